import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { adminToken, request } from '../fixtures/http.js';

/** Each surface answers in its own dialect, also where fastify decides (docs/compatibility.md, "Error bodies of each listener"), and the admin router keeps ARM's paths. */
let keyless: InProcessKeyless;
let token: string;
let sub: string;
/** `bearer` '' sends no Authorization header. */
const call = (method: string, path: string, bearer: string = token, body?: string) =>
  request(keyless.info.caPath, method, `${keyless.info.baseUrl}${path}`, {
    headers: { ...(bearer === '' ? {} : { authorization: `Bearer ${bearer}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body }),
  });

before(async () => {
  keyless = await startInProcess();
  token = await adminToken(keyless.info.caPath, keyless.info.baseUrl, keyless.admin());
  sub = `/subscriptions/${keyless.info.subscriptionId}`;
});
after(async () => {
  await keyless.stop();
});

describe('admin router', () => {
  test('operator paths compare in any case and run ARM\'s pipeline; other methods there are ARM\'s 405', async () => {
    const records = await call('GET', `${sub}/providers/keyless/AUDITRECORDS?api-version=2024-01-01&top=1`);
    assert.equal(records.status, 200);
    assert.ok(Array.isArray(records.json().value));
    const noVersion = await call('GET', `${sub}/providers/Keyless/auditRecords`);
    assert.deepEqual(noVersion.json(), { error: { code: 'MissingApiVersionParameter', message: 'The api-version query parameter (?api-version=) is required for all requests.' } });
    const head = await call('HEAD', `${sub}/providers/Keyless/auditRecords?api-version=2024-01-01`);
    assert.equal(head.status, 405);
    const get = await call('GET', `${sub}/providers/Keyless/signingKeys/rotate?api-version=2024-01-01`);
    assert.deepEqual(get.json(), { error: { code: 'MethodNotAllowed', message: "The HTTP method 'GET' is not supported at this path." } });
    const otherSub = await call('POST', '/subscriptions/nope/providers/Keyless/workloadTokens/issue?api-version=2024-01-01', token, '{}');
    assert.deepEqual(otherSub.json(), { error: { code: 'SubscriptionNotFound', message: "The subscription 'nope' could not be found." } });
  });
});

describe('Graph under /v1.0', () => {
  test('an unknown path is Graph\'s unknown segment, after its token check', async () => {
    const anonymous = await call('GET', '/v1.0/nothing', '');
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.json().error.code, 'InvalidAuthenticationToken');
    const unknown = await call('GET', '/v1.0/nothing');
    assert.equal(unknown.status, 400);
    assert.equal(unknown.json().error.code, 'BadRequest');
    assert.equal(unknown.json().error.message, "Resource not found for the segment 'nothing'.");
  });
});

describe('the identity port', () => {
  test('a URL that cannot be decoded is IMDS\'s invalid_request, never the main port\'s shape', async () => {
    const res = await fetch(`${keyless.info.identityUrl}/x%zz/metadata/identity/oauth2/token`);
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { error: 'invalid_request', error_description: 'The request URL is malformed.' });
  });
});
