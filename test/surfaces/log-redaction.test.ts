import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
import { cliJson, runCli, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';

/** A VM's identity secret never reaches the logs, whatever shape the path that carries it has, on either port. */
let keyless: InProcessKeyless;
let secret: string;
const json = cliJson(() => keyless.dataDir);

before(async () => {
  keyless = await startInProcess({ logLevel: 'trace' });
  await json('group', 'create', '-n', 'logs');
  await json('vm', 'create', '-g', 'logs', '-n', 'vm', '--assign-identity', 'system');
  const run = await runCli(keyless.dataDir, ['env', '--as', 'vm', '-g', 'logs']);
  assert.equal(run.code, 0, run.stderr);
  const base = /AZURE_POD_IDENTITY_AUTHORITY_HOST=(\S+)/.exec(run.stdout)?.[1] ?? '';
  secret = base.slice(base.lastIndexOf('/') + 1);
  assert.match(secret, /^[0-9a-f]{32}$/);
});
after(async () => {
  await keyless.stop();
});

/** One request with the path sent exactly as written (no URL normalisation of `..` or `%2e`), answered or cut. */
function raw(base: string, path: string, headers: Record<string, string> = {}): Promise<number> {
  const url = new URL(base);
  const options = { host: url.hostname, port: url.port, path, method: 'GET', headers: { metadata: 'true', ...headers } };
  return new Promise((resolve) => {
    const done = (res: http.IncomingMessage) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    };
    const req = url.protocol === 'https:' ? https.request({ ...options, ca: fs.readFileSync(keyless.info.caPath) }, done) : http.request(options, done);
    req.on('error', () => resolve(0));
    req.end();
  });
}

const percentEncoded = (text: string) => [...text].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');

test('malformed identity paths: the secret, its halves and its upper case appear in no log line at trace level', async () => {
  const token = '/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://cognitiveservices.azure.com';
  const half = secret.length / 2;
  const paths = [
    `/${secret}${token}`,
    `/..%2f${secret}${token}`,
    `/%2e%2e%2f${secret}${token}`,
    `/..%252f${secret}${token}`,
    `/..%25252f${secret}${token}`,
    `/x/../${secret}${token}`,
    `/x/..%5c${secret}${token}`,
    `/${percentEncoded(secret)}${token}`,
    `/${percentEncoded(percentEncoded(secret))}${token}`,
    `/${secret.toUpperCase()}${token}`,
    `/${secret}x${token}`,
    `/a-${secret}-b${token}`,
    `/${secret.slice(0, half)}/${secret.slice(half)}${token}`,
    `/${secret}%zz${token}`,
    `/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${secret}&x=${percentEncoded(secret)}`,
    `/${secret}`,
  ];
  for (const path of paths) {
    assert.notEqual(await raw(keyless.info.identityUrl, path), 0, path);
    assert.notEqual(await raw(keyless.info.baseUrl, path), 0, path);
  }
  // Headers too large for node's parser: answered before any route, with the path in the rejected bytes.
  await raw(keyless.info.identityUrl, `/..%2f${secret}${token}`, { 'x-big': 'a'.repeat(20_000) });
  await raw(keyless.info.baseUrl, `/..%2f${secret}${token}`, { 'x-big': 'a'.repeat(20_000) });
  const output = keyless.output();
  assert.match(output, /incoming request/, 'the requests were logged');
  const lower = output.toLowerCase();
  for (const part of [secret, secret.slice(0, half), secret.slice(half)]) assert.ok(!lower.includes(part), `the log holds ${part === secret ? 'the secret' : 'half of it'}`);
});
