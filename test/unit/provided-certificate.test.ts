import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import { loadProvidedCertificate } from '../../src/runtime/provided-certificate.js';
import { StartupError } from '../../src/shared/errors.js';
import { issue, writePem, type Issued } from '../fixtures/certificates.js';
import { tempDataDir } from '../fixtures/server.js';

/**
 * `keyless up --tls-cert/--tls-key`: the chain and key are checked before
 * anything listens, each failure one clear StartupError with a stable code;
 * the CA clients must trust is the chain file when it ends in its own root.
 */
let dir: string;
let ca: Issued;
let server: Issued;
before(async () => {
  dir = tempDataDir();
  ca = await issue(undefined, { ca: true, subject: 'CN=Test Root CA' });
  server = await issue(ca, { dns: ['keyless.test', '*.example.com'], ip: ['10.0.0.5', 'fd00::5'] });
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const refused = (fn: () => unknown, code: string, message?: string | RegExp) =>
  assert.throws(fn, (error: Error) => {
    assert.ok(error instanceof StartupError, String(error));
    assert.equal(error.code, code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message, message);
    return true;
  });

test('a chain that ends in its root: served as given, and the chain file is the CA clients trust', () => {
  const f = writePem(dir, { 'chain.pem': `${server.certPem}\n${ca.certPem}`, 'key.pem': server.keyPem });
  const loaded = loadProvidedCertificate({ certFile: f['chain.pem']!, keyFile: f['key.pem']! }, 'keyless.test');
  assert.equal(loaded.certPem, fs.readFileSync(f['chain.pem']!, 'utf8'));
  assert.equal(loaded.keyPem, fs.readFileSync(f['key.pem']!, 'utf8'));
  assert.equal(loaded.caPath, f['chain.pem']);
});

test('a self-signed server certificate is its own CA', async () => {
  const self = await issue(undefined, { dns: ['keyless.test'] });
  const f = writePem(dir, { 'self.pem': self.certPem, 'self-key.pem': self.keyPem });
  assert.equal(loadProvidedCertificate({ certFile: f['self.pem']!, keyFile: f['self-key.pem']! }, 'keyless.test').caPath, f['self.pem']);
});

test('a chain from a CA outside the file names no CA file (clients must already trust that CA)', () => {
  const f = writePem(dir, { 'leaf.pem': server.certPem, 'key.pem': server.keyPem });
  assert.equal(loadProvidedCertificate({ certFile: f['leaf.pem']!, keyFile: f['key.pem']! }, 'keyless.test').caPath, undefined);
});

test('the server certificate must cover the name clients use: DNS names, wildcards and IP addresses', () => {
  const f = writePem(dir, { 'leaf.pem': server.certPem, 'key.pem': server.keyPem });
  const files = { certFile: f['leaf.pem']!, keyFile: f['key.pem']! };
  for (const name of ['keyless.test', 'KEYLESS.TEST', 'api.example.com', '10.0.0.5', '[fd00::5]', 'fd00::5']) {
    assert.doesNotThrow(() => loadProvidedCertificate(files, name), name);
  }
  refused(
    () => loadProvidedCertificate(files, 'localhost'),
    'TlsCertificateName',
    `The certificate ${files.certFile} does not cover localhost (its names: DNS:keyless.test, DNS:*.example.com, IP Address:10.0.0.5, IP Address:FD00:0:0:0:0:0:0:5); clients would refuse it. Give a certificate for localhost, or --public-url https://NAME with a name it covers.`,
  );
  refused(() => loadProvidedCertificate(files, 'a.b.example.com'), 'TlsCertificateName');
  refused(() => loadProvidedCertificate(files, '10.0.0.6'), 'TlsCertificateName');
});

test('unreadable files, files without PEM, and broken PEM are refused with the file named', () => {
  const f = writePem(dir, { 'leaf.pem': server.certPem, 'key.pem': server.keyPem, 'empty.pem': 'nothing here', 'bad.pem': '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' });
  const missing = `${dir}/missing.pem`;
  refused(() => loadProvidedCertificate({ certFile: missing, keyFile: f['key.pem']! }, 'keyless.test'), 'TlsCertificateUnreadable', `Cannot read the TLS certificate file ${missing} (ENOENT).`);
  refused(() => loadProvidedCertificate({ certFile: f['leaf.pem']!, keyFile: missing }, 'keyless.test'), 'TlsKeyUnreadable', `Cannot read the TLS private key file ${missing} (ENOENT).`);
  refused(() => loadProvidedCertificate({ certFile: dir, keyFile: f['key.pem']! }, 'keyless.test'), 'TlsCertificateUnreadable', `Cannot read the TLS certificate file ${dir} (EISDIR).`);
  refused(() => loadProvidedCertificate({ certFile: f['empty.pem']!, keyFile: f['key.pem']! }, 'keyless.test'), 'TlsCertificateInvalid', `${f['empty.pem']} holds no PEM certificate (-----BEGIN CERTIFICATE-----).`);
  refused(() => loadProvidedCertificate({ certFile: f['bad.pem']!, keyFile: f['key.pem']! }, 'keyless.test'), 'TlsCertificateInvalid', `Certificate 1 in ${f['bad.pem']} is not a valid X.509 certificate.`);
  refused(() => loadProvidedCertificate({ certFile: f['leaf.pem']!, keyFile: f['empty.pem']! }, 'keyless.test'), 'TlsKeyInvalid', `${f['empty.pem']} holds no PEM private key (-----BEGIN PRIVATE KEY-----).`);
});

test('a key that is not the certificate\'s, or an encrypted key, is refused', async () => {
  const other = await issue(ca, { dns: ['keyless.test'] });
  const encrypted = createPrivateKey(server.keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pass' }) as string;
  const f = writePem(dir, { 'leaf.pem': server.certPem, 'other-key.pem': other.keyPem, 'enc-key.pem': encrypted, 'reversed.pem': `${ca.certPem}\n${server.certPem}` });
  refused(
    () => loadProvidedCertificate({ certFile: f['leaf.pem']!, keyFile: f['other-key.pem']! }, 'keyless.test'),
    'TlsKeyMismatch',
    `The private key ${f['other-key.pem']} does not belong to the certificate ${f['leaf.pem']} (the first certificate in the file must be the server's own).`,
  );
  refused(() => loadProvidedCertificate({ certFile: f['leaf.pem']!, keyFile: f['enc-key.pem']! }, 'keyless.test'), 'TlsKeyEncrypted', /is encrypted; give it unencrypted/);
  // The CA first: the key is the server's, so the first certificate is not its own.
  const serverKey = writePem(dir, { 'key.pem': server.keyPem })['key.pem']!;
  refused(() => loadProvidedCertificate({ certFile: f['reversed.pem']!, keyFile: serverKey }, 'keyless.test'), 'TlsKeyMismatch');
});

test('a chain out of order, or a certificate outside its validity, is refused', async () => {
  const otherCa = await issue(undefined, { ca: true, subject: 'CN=Other CA' });
  const expired = await issue(ca, { dns: ['keyless.test'], notBefore: new Date(Date.now() - 10 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
  const future = await issue(ca, { dns: ['keyless.test'], notBefore: new Date(Date.now() + 86_400_000) });
  const f = writePem(dir, {
    'wrong-chain.pem': `${server.certPem}\n${otherCa.certPem}`,
    'key.pem': server.keyPem,
    'expired.pem': expired.certPem,
    'expired-key.pem': expired.keyPem,
    'future.pem': future.certPem,
    'future-key.pem': future.keyPem,
  });
  refused(
    () => loadProvidedCertificate({ certFile: f['wrong-chain.pem']!, keyFile: f['key.pem']! }, 'keyless.test'),
    'TlsChainOrder',
    `Certificate 2 in ${f['wrong-chain.pem']} (CN=Other CA) did not issue certificate 1: put the server's certificate first, then each issuer in order.`,
  );
  refused(() => loadProvidedCertificate({ certFile: f['expired.pem']!, keyFile: f['expired-key.pem']! }, 'keyless.test'), 'TlsCertificateExpired', /^Certificate 1 in .*expired\.pem \(CN=keyless\.test\) expired on \d{4}-/);
  refused(() => loadProvidedCertificate({ certFile: f['future.pem']!, keyFile: f['future-key.pem']! }, 'keyless.test'), 'TlsCertificateNotYetValid', /is not valid before/);
});
