import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, startKeyless, tempDataDir } from '../fixtures/server.js';
import { issue, writePem, type Issued } from '../fixtures/certificates.js';

/**
 * A real `keyless up` with a certificate from a CA outside the chain file
 * (as a company or public CA would issue it), configured through
 * KEYLESS_PUBLIC_URL, KEYLESS_TLS_CERT and KEYLESS_TLS_KEY: the banner and
 * runtime.json name no CA file, and the CLI trusts what Node trusts
 * (NODE_EXTRA_CA_CERTS). Bad TLS flags stop the start with one clear line.
 */
const PUBLIC = 'https://keyless.test:9443';
let certDir: string;
let ca: Issued;
let files: Record<string, string>;

before(async () => {
  certDir = tempDataDir();
  ca = await issue(undefined, { ca: true, subject: 'CN=Company CA' });
  const server = await issue(ca, { dns: ['keyless.test'] });
  const other = await issue(ca, { dns: ['keyless.test'] });
  files = writePem(certDir, { 'company-ca.pem': ca.certPem, 'leaf.pem': server.certPem, 'leaf-key.pem': server.keyPem, 'other-key.pem': other.keyPem });
});
after(() => fs.rmSync(certDir, { recursive: true, force: true }));

test('a chain whose CA is not in the file: no CA line, no caPath, and the CLI connects once Node trusts that CA', async () => {
  const keyless = await startKeyless({
    env: { KEYLESS_PUBLIC_URL: PUBLIC, KEYLESS_TLS_CERT: files['leaf.pem'], KEYLESS_TLS_KEY: files['leaf-key.pem'] },
  });
  try {
    const banner = keyless.output().trim().split('\n');
    assert.equal(banner.at(-1), `# ${files['leaf.pem']} is issued by a CA outside the file: clients need no NODE_EXTRA_CA_CERTS if they already trust it`);
    assert.ok(!keyless.output().includes('export NODE_EXTRA_CA_CERTS'));
    assert.ok(banner.includes(`  authority, control plane, data plane: ${PUBLIC}`));
    assert.ok(banner.includes(`  listening on: https://127.0.0.1:${keyless.info.port}`));
    const runtime = JSON.parse(fs.readFileSync(path.join(keyless.dataDir, 'runtime.json'), 'utf8'));
    assert.equal(runtime.caPath, undefined);
    assert.equal(runtime.serverName, 'keyless.test');
    assert.equal(runtime.baseUrl, PUBLIC);
    assert.ok(!fs.existsSync(path.join(keyless.dataDir, 'ca.pem')), 'no local CA is made when a certificate is given');

    const untrusted = await runCli(keyless.dataDir, ['account', 'show', '-o', 'json'], { NODE_EXTRA_CA_CERTS: '' });
    assert.equal(untrusted.code, 1);
    assert.equal(
      untrusted.stderr,
      `ERROR: Keyless at ${PUBLIC} (listening on 127.0.0.1:${keyless.info.port}) presented a certificate for keyless.test that this machine does not trust (UNABLE_TO_VERIFY_LEAF_SIGNATURE); add its CA to NODE_EXTRA_CA_CERTS.\n`,
    );

    const trusted = await runCli(keyless.dataDir, ['account', 'show', '-o', 'json'], { NODE_EXTRA_CA_CERTS: files['company-ca.pem']! });
    assert.equal(trusted.code, 0, trusted.stderr);
    assert.deepEqual(JSON.parse(trusted.stdout).endpoints, { authority: PUBLIC, resourceManager: PUBLIC, identity: keyless.info.identityUrl });

    // `keyless env` leaves the CA settings to the environment: there is no Keyless CA to add.
    const trust = { NODE_EXTRA_CA_CERTS: files['company-ca.pem']! };
    assert.equal((await runCli(keyless.dataDir, ['group', 'create', '-n', 'web'], trust)).code, 0);
    assert.equal((await runCli(keyless.dataDir, ['webapp', 'create', '-g', 'web', '-n', 'app', '--assign-identity', 'system'], trust)).code, 0);
    const env = await runCli(keyless.dataDir, ['env', '--as', 'app', '-g', 'web'], trust);
    assert.equal(env.code, 0, env.stderr);
    assert.match(env.stdout, /^export IDENTITY_ENDPOINT=/m);
    assert.doesNotMatch(env.stdout, /NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|REQUESTS_CA_BUNDLE|CURL_CA_BUNDLE/);
  } finally {
    assert.equal(await keyless.stop(), 0);
  }
});

test('TLS flags that cannot work stop the start with one clear line, before anything listens', async () => {
  const dir = tempDataDir();
  const up = (...args: string[]) => runCli(dir, ['up', '--data', dir, '--port', '0', '--identity-port', '0', ...args]);
  const cases: [string[], string][] = [
    [['--tls-cert', files['leaf.pem']!], 'keyless: --tls-cert and --tls-key go together: give --tls-key FILE (the PEM private key) as well, or neither to use the generated localhost certificate.'],
    [
      ['--public-url', PUBLIC, '--tls-cert', files['leaf.pem']!, '--tls-key', files['other-key.pem']!],
      `keyless: The private key ${files['other-key.pem']} does not belong to the certificate ${files['leaf.pem']} (the first certificate in the file must be the server's own).`,
    ],
    [
      ['--tls-cert', files['leaf.pem']!, '--tls-key', files['leaf-key.pem']!],
      `keyless: The certificate ${files['leaf.pem']} does not cover localhost (its names: DNS:keyless.test); clients would refuse it. Give a certificate for localhost, or --public-url https://NAME with a name it covers.`,
    ],
    [['--public-url', 'http://keyless.test'], 'keyless: --public-url http://keyless.test must be https; give the origin clients use, e.g. https://keyless.example.com or https://keyless.example.com:8443.'],
  ];
  for (const [args, line] of cases) {
    const run = await up(...args);
    assert.equal(run.code, 1, args.join(' '));
    assert.equal(run.stderr, `${line}\n`);
    assert.equal(run.stdout, '');
    assert.ok(!fs.existsSync(path.join(dir, 'runtime.json')));
  }
});
