import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readAdminCredential, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { request, type HttpResult } from '../fixtures/http.js';

/** The token endpoint reads only a form, each parameter once, as Entra does; a body too large is said to be so. */
let keyless: InProcessKeyless;
let admin: { tenantId: string; clientId: string; clientSecret: string };
const v2 = () => `${keyless.info.baseUrl}/${admin.tenantId}/oauth2/v2.0/token`;
const post = (body: string, contentType: string | undefined, url = v2()): Promise<HttpResult> =>
  request(keyless.info.caPath, 'POST', url, { body, headers: contentType === undefined ? {} : { 'content-type': contentType } });
const form = (pairs: [string, string][]): string => pairs.map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join('&');

function assertEntraError(res: HttpResult, status: number, error: string, code: number, description: string): void {
  assert.equal(res.status, status, res.text);
  assert.equal(res.headers['cache-control'], 'no-store');
  const body = res.json();
  assert.deepEqual(Object.keys(body).sort(), ['correlation_id', 'error', 'error_codes', 'error_description', 'error_uri', 'timestamp', 'trace_id']);
  assert.equal(body.error, error);
  assert.deepEqual(body.error_codes, [code]);
  assert.equal(body.error_description, `AADSTS${code}: ${description} Trace ID: ${body.trace_id} Correlation ID: ${body.correlation_id} Timestamp: ${body.timestamp}`);
  assert.equal(body.error_uri, `https://login.microsoftonline.com/error?code=${code}`);
}

before(async () => {
  keyless = await startInProcess();
  admin = readAdminCredential(keyless.dataDir);
});
after(async () => {
  await keyless.stop();
});

const good = (): [string, string][] => [
  ['grant_type', 'client_credentials'],
  ['client_id', admin.clientId],
  ['client_secret', admin.clientSecret],
  ['scope', 'https://cognitiveservices.azure.com/.default'],
];

test('a body that is not a form is read as no parameters: 900144 for grant_type, as Entra answers a JSON body', async () => {
  const json = JSON.stringify(Object.fromEntries(good()));
  const missing = "The request body must contain the following parameter: 'grant_type'.";
  for (const type of ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/octet-stream', undefined]) {
    assertEntraError(await post(json, type), 400, 'invalid_request', 900144, missing);
  }
  // The same parameters as a form are a token: only the body's type differed.
  assert.equal((await post(form(good()), 'application/x-www-form-urlencoded')).status, 200);
});

test('a parameter given twice is AADSTS9000411, never "the last one wins"', async () => {
  const cases: [[string, string][], string][] = [
    [[['client_id', '11111111-1111-4111-8111-111111111111'], ...good()], 'client_id'],
    [[...good(), ['scope', 'https://management.azure.com/.default']], 'scope'],
    [[...good(), ['scope', 'https://cognitiveservices.azure.com/.default']], 'scope'],
    [[['client_secret', 'bad'], ...good()], 'client_secret'],
    [[...good(), ['grant_type', 'client_credentials']], 'grant_type'],
    [[...good(), ['x-client-SKU', 'a'], ['x-client-SKU', 'b']], 'x-client-SKU'],
  ];
  for (const [pairs, name] of cases) {
    assertEntraError(await post(form(pairs), 'application/x-www-form-urlencoded'), 400, 'invalid_request', 9000411, `The request is not properly formatted. The parameter '${name}' is duplicated.`);
  }
  for (const url of [`${keyless.info.baseUrl}/${admin.tenantId}/oauth2/token`, `${keyless.info.baseUrl}/adfs/oauth2/token`]) {
    const v1 = [['resource', 'https://cognitiveservices.azure.com'], ...good().slice(0, 3), ['resource', 'https://management.azure.com']] as [string, string][];
    assertEntraError(await post(form(v1), 'application/x-www-form-urlencoded', url), 400, 'invalid_request', 9000411, "The request is not properly formatted. The parameter 'resource' is duplicated.");
  }
});

test('a form over the body limit (100,000 parameters) is 413, said to be too large', async () => {
  const many = Array.from({ length: 100_000 }, (_, i) => `p${i}=1`).join('&');
  const tooLarge = 'The request is not properly formatted. The request body is larger than 262144 bytes.';
  assertEntraError(await post(`${form(good())}&${many}`, 'application/x-www-form-urlencoded'), 413, 'invalid_request', 90004, tooLarge);
  assertEntraError(await post(JSON.stringify({ padding: 'x'.repeat(300_000) }), 'application/json'), 413, 'invalid_request', 90004, tooLarge);
  // A form just under the limit is read.
  const padded = `${form(good())}&padding=${'x'.repeat(256 * 1024 - form(good()).length - 20)}`;
  assert.equal((await post(padded, 'application/x-www-form-urlencoded')).status, 200);
});
