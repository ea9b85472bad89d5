import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cliJson, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { adminToken, request, type HttpResult } from '../fixtures/http.js';

/**
 * A request with both an `api-key` and an `Authorization` header: as Azure
 * OpenAI, the key decides and the Authorization header is not read (Microsoft's
 * azure-ai-inference sends `api-key: K` with `Authorization: Bearer K` to Azure
 * OpenAI on purpose). docs/compatibility.md, "Both credentials".
 */
let keyless: InProcessKeyless;
let endpoint: string;
let key: string;
let token: string;
let appObjectId: string;
const json = cliJson(() => keyless.dataDir);
const KEY_401 = {
  error: {
    code: '401',
    message:
      'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
  },
};
const GARBAGE_KEY = '0'.repeat(64);
const GARBAGE_BEARER = 'Bearer not.a.token';

const chat = (headers: Record<string, string>): Promise<HttpResult> =>
  request(keyless.info.caPath, 'POST', `${endpoint}openai/deployments/chat/chat/completions?api-version=2024-10-21`, {
    headers,
    body: { messages: [{ role: 'user', content: 'hi' }] },
  });

async function auditOf(res: HttpResult): Promise<Record<string, unknown>> {
  const admin = await adminToken(keyless.info.caPath, keyless.info.baseUrl, keyless.admin());
  const list = await request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}/subscriptions/${keyless.info.subscriptionId}/providers/Keyless/auditRecords?api-version=2026-01-01&top=100`, {
    headers: { authorization: `Bearer ${admin}` },
  });
  const record = (list.json().value as Record<string, unknown>[]).find((r) => r['requestId'] === res.headers['x-request-id']);
  assert.ok(record, 'audited');
  return record;
}

before(async () => {
  keyless = await startInProcess();
  await json('group', 'create', '-n', 'both');
  const account = await json('openai', 'create', '-g', 'both', '-n', 'both-openai');
  endpoint = account.properties.endpoint;
  await json('openai', 'deployment', 'create', '-g', 'both', '-n', 'both-openai', '--deployment-name', 'chat', '--model-name', 'gpt-4o-mini');
  key = (await json('openai', 'keys', 'list', '-g', 'both', '-n', 'both-openai')).key1;
  const app = await json('ad', 'sp', 'create-for-rbac', '-n', 'both-user', '--role', 'Cognitive Services OpenAI User', '--scopes', account.id);
  appObjectId = (await json('ad', 'sp', 'show', '--id', app.appId)).id;
  token = await adminToken(keyless.info.caPath, keyless.info.baseUrl, { tenantId: keyless.info.tenantId, clientId: app.appId, clientSecret: app.password }, 'https://cognitiveservices.azure.com');
});
after(async () => {
  await keyless.stop();
});

test('a valid key and a garbage bearer: 200 as the key (the Authorization header is not read)', async () => {
  for (const authorization of [GARBAGE_BEARER, `Bearer ${key}`, 'Basic Zm9vOmJhcg==', '']) {
    const res = await chat({ 'api-key': key, authorization });
    assert.equal(res.status, 200, `${authorization}: ${res.text}`);
    assert.equal(res.json().object, 'chat.completion');
  }
  const res = await chat({ 'api-key': key, authorization: GARBAGE_BEARER });
  const record = await auditOf(res);
  assert.deepEqual([record['keyName'], record['principalId'], record['decision']], ['key1', null, 'allowed']);
});

test('a garbage key and a valid bearer: the key 401, as without the bearer', async () => {
  const res = await chat({ 'api-key': GARBAGE_KEY, authorization: `Bearer ${token}` });
  assert.equal(res.status, 401);
  assert.deepEqual(res.json(), KEY_401);
  assert.equal((await auditOf(res))['reason'], 'unknown key');
  // The bearer alone is enough: it is the key that failed.
  assert.equal((await chat({ authorization: `Bearer ${token}` })).status, 200);
});

test('both valid: 200 as the key, never as the token\'s principal', async () => {
  const res = await chat({ 'api-key': key, authorization: `Bearer ${token}` });
  assert.equal(res.status, 200, res.text);
  const record = await auditOf(res);
  assert.deepEqual([record['keyName'], record['principalId']], ['key1', null]);
  assert.notEqual(record['principalId'], appObjectId);
});
