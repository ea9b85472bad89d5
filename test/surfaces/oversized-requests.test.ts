import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { readAdminCredential, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';

/**
 * Requests too large to read (headers over node's 16 KiB, a body over the
 * surface's limit) get an answer in the surface's dialect, 431 or 413, never
 * a connection cut with no answer: raw node requests, each sent several times.
 */
let keyless: InProcessKeyless;
let tenant: string;
const MB = 1024 * 1024;
const ROUNDS = 5;

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: any;
}

/** One request on a connection of its own; `body` is written in 64 KiB chunks, chunked when `length` is false. */
function send(base: string, method: string, path: string, headers: Record<string, string>, body?: string, length = true): Promise<Answer> {
  const url = new URL(path, base);
  const all = { ...headers, ...(body !== undefined && length ? { 'content-length': String(Buffer.byteLength(body)) } : {}) };
  const options = { method, headers: all, agent: false as const };
  return new Promise((resolve, reject) => {
    const done = (res: http.IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) }));
    };
    const req = url.protocol === 'https:' ? https.request(url, { ...options, ca: fs.readFileSync(keyless.info.caPath) }, done) : http.request(url, options, done);
    req.on('error', reject);
    if (body !== undefined) for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.slice(i, i + 64 * 1024));
    req.end();
  });
}

const big = (size: number) => 'k'.repeat(size);
const main = (method: string, path: string, headers: Record<string, string>, body?: string, length = true) => send(keyless.info.baseUrl, method, path, headers, body, length);
const identity = (path: string, headers: Record<string, string>) => send(keyless.info.identityUrl, 'GET', path, headers);

before(async () => {
  keyless = await startInProcess();
  tenant = readAdminCredential(keyless.dataDir).tenantId;
});
after(async () => {
  await keyless.stop();
});

test('a 1 MB api-key or Authorization header on the data plane: 431 in Azure OpenAI\'s envelope', async () => {
  const expected = { error: { code: '431', message: 'Request header fields too large: the request headers may total at most 16384 bytes.' } };
  for (let i = 0; i < ROUNDS; i++) {
    for (const header of [{ 'api-key': big(MB) }, { authorization: `Bearer ${big(MB)}` }, { 'api-key': big(20_000) }]) {
      const res = await main('POST', '/accounts/any/openai/deployments/chat/chat/completions?api-version=2024-10-21', { 'content-type': 'application/json', ...header }, '{}');
      assert.equal(res.status, 431);
      assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(res.headers['connection'], 'close');
      assert.deepEqual(res.body, expected);
    }
  }
});

test('oversized headers elsewhere on the main port: the token endpoint, Graph and ARM each in their dialect', async () => {
  const entra = await main('POST', `/${tenant}/oauth2/v2.0/token`, { 'content-type': 'application/x-www-form-urlencoded', 'x-big': big(MB) }, 'grant_type=client_credentials');
  assert.equal(entra.status, 431);
  assert.equal(entra.body.error, 'invalid_request');
  assert.deepEqual(entra.body.error_codes, [90004]);
  assert.match(entra.body.error_description, /^AADSTS90004: The request is not properly formatted\. The request headers are larger than 16384 bytes\. Trace ID: /);
  const graph = await main('GET', '/v1.0/servicePrincipals', { authorization: `Bearer ${big(MB)}` });
  assert.equal(graph.status, 431);
  assert.deepEqual({ code: graph.body.error.code, message: graph.body.error.message }, { code: 'Request_BadRequest', message: 'The request headers are larger than 16384 bytes.' });
  const arm = await main('GET', `/subscriptions/${keyless.info.subscriptionId}/resourcegroups?api-version=2021-04-01`, { authorization: `Bearer ${big(MB)}` });
  assert.equal(arm.status, 431);
  assert.deepEqual(arm.body, { error: { code: 'RequestHeaderFieldsTooLarge', message: 'The request headers are larger than 16384 bytes.' } });
});

test('a 5 MB form to the token endpoint: 413 in Entra\'s shape, with or without Content-Length', async () => {
  const form = `grant_type=client_credentials&padding=${'x'.repeat(5 * MB)}`;
  for (let i = 0; i < ROUNDS; i++) {
    for (const length of [true, false]) {
      const res = await main('POST', `/${tenant}/oauth2/v2.0/token`, { 'content-type': 'application/x-www-form-urlencoded' }, form, length);
      assert.equal(res.status, 413, `content-length ${length}`);
      assert.equal(res.headers['connection'], 'close');
      assert.deepEqual(res.body.error_codes, [90004]);
      assert.match(res.body.error_description, /^AADSTS90004: The request is not properly formatted\. The request body is larger than 262144 bytes\. /);
    }
  }
});

test('a 5 MB body on the data plane and on ARM: answered, not cut', async () => {
  const json = JSON.stringify({ x: 'a'.repeat(5 * MB) });
  for (let i = 0; i < ROUNDS; i++) {
    const dp = await main('POST', '/accounts/any/openai/deployments/chat/chat/completions?api-version=2024-10-21', { 'content-type': 'application/json', 'api-key': 'k' }, json);
    assert.equal(dp.status, 404, 'an unknown account is judged before the body');
    assert.deepEqual(dp.body, { error: { code: '404', message: 'Resource not found' } });
    const arm = await main('PUT', `/subscriptions/${keyless.info.subscriptionId}/resourcegroups/big?api-version=2021-04-01`, { 'content-type': 'application/json' }, json);
    assert.equal(arm.status, 413);
    assert.equal(arm.body.error.code, 'InvalidRequestContent');
  }
});

test('oversized headers on the identity port: App Service\'s envelope on its path, IMDS\'s elsewhere', async () => {
  for (let i = 0; i < ROUNDS; i++) {
    const app = await identity('/msi/token?api-version=2019-08-01&resource=https://management.azure.com', { 'x-identity-header': big(MB) });
    assert.equal(app.status, 431);
    assert.deepEqual({ statusCode: app.body.statusCode, message: app.body.message }, { statusCode: 431, message: 'The request headers are larger than 16384 bytes.' });
    assert.match(app.body.correlationId, /^[0-9a-f-]{36}$/);
    const imds = await identity('/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x', { metadata: 'true', 'x-big': big(MB) });
    assert.equal(imds.status, 431);
    assert.deepEqual(imds.body, { error: 'invalid_request', error_description: 'The request headers are larger than 16384 bytes.' });
  }
});

test('both listeners keep serving afterwards', async () => {
  assert.equal((await main('GET', '/healthz', {})).status, 200);
  assert.equal((await identity('/healthz', {})).status, 200);
});
