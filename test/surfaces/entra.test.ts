import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readAdminCredential, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { request, type HttpResult } from '../fixtures/http.js';

/** The token endpoint and discovery documents: Entra's shapes and exact error bodies. */
let keyless: InProcessKeyless;
let admin: { tenantId: string; clientId: string; clientSecret: string };
let base: string;
const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<HttpResult> =>
  request(keyless.info.caPath, 'POST', `${base}${path}`, { form, headers });
const get = (path: string): Promise<HttpResult> => request(keyless.info.caPath, 'GET', `${base}${path}`);
const v2 = () => `/${admin.tenantId}/oauth2/v2.0/token`;

function assertEntraError(res: HttpResult, status: number, error: string, code: number, description: RegExp): void {
  assert.equal(res.status, status, res.text);
  const body = res.json();
  assert.deepEqual(Object.keys(body).sort(), ['correlation_id', 'error', 'error_codes', 'error_description', 'error_uri', 'timestamp', 'trace_id']);
  assert.equal(body.error, error);
  assert.deepEqual(body.error_codes, [code]);
  assert.match(body.error_description, new RegExp(`^AADSTS${code}: ${description.source} Trace ID: [0-9a-f-]{36} Correlation ID: [0-9a-f-]{36} Timestamp: \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}Z$`));
  assert.match(body.timestamp, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/);
  assert.equal(body.error_uri, `https://login.microsoftonline.com/error?code=${code}`);
}

before(async () => {
  keyless = await startInProcess({ tokenThrottle: true });
  admin = readAdminCredential(keyless.dataDir);
  base = keyless.info.baseUrl;
});
after(async () => {
  await keyless.stop();
});

describe('discovery', () => {
  test('v2, v1, ADFS, common: issuers and endpoints on the host the caller used', async () => {
    const t = admin.tenantId;
    const doc = (await get(`/${t}/v2.0/.well-known/openid-configuration`)).json();
    assert.equal(doc.issuer, `${base}/${t}/v2.0`);
    assert.equal(doc.token_endpoint, `${base}/${t}/oauth2/v2.0/token`);
    assert.equal(doc.jwks_uri, `${base}/${t}/discovery/v2.0/keys`);
    const viaIp = await request(keyless.info.caPath, 'GET', `https://127.0.0.1:${keyless.info.port}/${t}/v2.0/.well-known/openid-configuration`);
    assert.equal(viaIp.json().issuer, `https://127.0.0.1:${keyless.info.port}/${t}/v2.0`);
    assert.equal((await get(`/${t}/.well-known/openid-configuration`)).json().issuer, `${base}/${t}/`);
    const adfs = (await get('/adfs/.well-known/openid-configuration')).json();
    assert.equal(adfs.issuer, `${base}/adfs`);
    assert.equal(adfs.token_endpoint, `${base}/adfs/oauth2/token/`);
    assert.equal((await get('/common/v2.0/.well-known/openid-configuration')).json().issuer, `${base}/{tenantid}/v2.0`);
    const unknown = await get('/00000000-0000-0000-0000-000000000000/v2.0/.well-known/openid-configuration');
    assertEntraError(unknown, 400, 'invalid_request', 90002, /Tenant '00000000-0000-0000-0000-000000000000' not found\. Check to make sure you have the correct tenant ID .*/);
  });
});

describe('token endpoint', () => {
  test('v2 and v1 answers; HTTP Basic; unknown parameters are ignored', async () => {
    const v2Answer = await post(v2(), {
      grant_type: 'client_credentials', client_id: admin.clientId, client_secret: admin.clientSecret,
      scope: 'https://cognitiveservices.azure.com/.default', 'x-client-SKU': 'msal.js.node', claims: '{"access_token":{}}', client_info: '1',
    });
    assert.equal(v2Answer.status, 200);
    assert.deepEqual(Object.keys(v2Answer.json()).sort(), ['access_token', 'expires_in', 'ext_expires_in', 'token_type']);
    assert.equal(v2Answer.headers['cache-control'], 'no-store');
    const basic = Buffer.from(`${admin.clientId}:${encodeURIComponent(admin.clientSecret)}`).toString('base64');
    const v1 = await post(`/${admin.tenantId}/oauth2/token`, { grant_type: 'client_credentials', resource: 'https://management.azure.com/' }, { authorization: `Basic ${basic}` });
    assert.equal(v1.status, 200, v1.text);
    const body = v1.json();
    for (const field of ['expires_in', 'ext_expires_in', 'expires_on', 'not_before']) assert.match(body[field], /^\d+$/);
    assert.equal(body.resource, 'https://management.azure.com/');
  });

  test("Entra's errors: bad secret, no credential, unknown client, bad scope, unknown resource, missing grant, unsupported grant", async () => {
    const form = { grant_type: 'client_credentials', client_id: admin.clientId, scope: 'https://cognitiveservices.azure.com/.default' };
    assertEntraError(await post(v2(), { ...form, client_secret: 'nope' }), 401, 'invalid_client', 7000215, /Invalid client secret provided\. .*/);
    assertEntraError(await post(v2(), form), 401, 'invalid_client', 7000218, /The request body must contain the following parameter: 'client_assertion' or 'client_secret'\./);
    assertEntraError(await post(v2(), { ...form, client_id: '11111111-1111-4111-8111-111111111111', client_secret: 'x' }), 400, 'unauthorized_client', 700016, /Application with identifier '11111111-1111-4111-8111-111111111111' was not found in the directory .*/);
    assertEntraError(await post(v2(), { ...form, client_secret: admin.clientSecret, scope: 'https://cognitiveservices.azure.com/user.read' }), 400, 'invalid_scope', 70011, /The provided value for the input parameter 'scope' is not valid\..*/);
    assertEntraError(await post(v2(), { ...form, client_secret: admin.clientSecret, scope: 'https://vault.example/.default' }), 400, 'invalid_resource', 500011, /The resource principal named https:\/\/vault\.example was not found in the tenant named .*/);
    assertEntraError(await post(v2(), { client_id: admin.clientId }), 400, 'invalid_request', 900144, /The request body must contain the following parameter: 'grant_type'\./);
    assertEntraError(await post(v2(), { ...form, grant_type: 'password' }), 400, 'unsupported_grant_type', 70003, /The app requested an unsupported grant type 'password'\./);
  });

  test('the correlation id the client sent comes back', async () => {
    const res = await post(`${v2()}?client-request-id=0b8f1a2c-3d4e-4f50-8a6b-7c8d9e0f1a2b`, { grant_type: 'client_credentials', client_id: admin.clientId, client_secret: 'x', scope: 'x/.default' });
    assert.equal(res.json().correlation_id, '0b8f1a2c-3d4e-4f50-8a6b-7c8d9e0f1a2b');
  });

  test('--token-throttle counts only authenticated requests: wrong secrets for a client do not use up its limits', async () => {
    keyless.clock.advance(1100);
    const wrong = { grant_type: 'client_credentials', client_id: admin.clientId, client_secret: 'not-the-secret', scope: `${base}/.default` };
    const failures = await Promise.all(Array.from({ length: 40 }, () => post(v2(), wrong)));
    assert.deepEqual([...new Set(failures.map((f) => f.status))], [401]);
    const right = await post(v2(), { ...wrong, client_secret: admin.clientSecret });
    assert.equal(right.status, 200, right.text);
  });

  test('--token-throttle: 429 with Retry-After past 20 requests per second for one client', async () => {
    const form = { grant_type: 'client_credentials', client_id: admin.clientId, client_secret: admin.clientSecret, scope: `${base}/.default` };
    keyless.clock.advance(1100);
    // All 30 fall in one second of the server's clock, however long the machine takes to send them.
    keyless.clock.freeze();
    try {
      const answers = await Promise.all(Array.from({ length: 30 }, () => post(v2(), form)));
      const throttled = answers.filter((a) => a.status === 429);
      assert.ok(throttled.length >= 10, `expected throttling, got ${throttled.length}`);
      assert.equal(throttled[0]?.headers['retry-after'], '1');
      assertEntraError(throttled[0] as HttpResult, 429, 'temporarily_unavailable', 50196, /The server terminated an operation because it encountered a client request loop\. Please contact your app vendor\./);
    } finally {
      keyless.clock.unfreeze();
    }
  });
});
