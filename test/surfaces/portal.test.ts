import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { adminToken, request } from '../fixtures/http.js';

/** The portal's static files (exact security headers) and its sign-in: one-time codes and rotating refresh tokens at the token endpoint. */
let keyless: InProcessKeyless;
let admin: string;
const CSP = "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";

before(async () => {
  keyless = await startInProcess();
  admin = await adminToken(keyless.info.caPath, keyless.info.baseUrl, keyless.admin());
});
after(async () => {
  await keyless.stop();
});

const get = (path: string) => request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}${path}`);

function assertPortalHeaders(headers: Record<string, string | string[] | undefined>): void {
  assert.equal(headers['content-security-policy'], CSP);
  assert.equal(headers['x-frame-options'], 'DENY');
  assert.equal(headers['x-content-type-options'], 'nosniff');
  assert.equal(headers['referrer-policy'], 'no-referrer');
  assert.equal(headers['cross-origin-opener-policy'], 'same-origin');
  assert.equal(headers['cache-control'], 'no-cache');
}

test('the page, its script and its styles are served with the strict headers and no sign-in', async () => {
  const page = await get('/portal/');
  assert.equal(page.status, 200);
  assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
  assertPortalHeaders(page.headers);
  // No inline script or style, nothing from another host.
  assert.match(page.text, /<script type="module" src="app\.js"><\/script>/);
  assert.doesNotMatch(page.text, /<script>|<style|style=|https?:\/\//);
  const script = await get('/portal/app.js');
  assert.equal(script.status, 200);
  assert.equal(script.headers['content-type'], 'text/javascript; charset=utf-8');
  assertPortalHeaders(script.headers);
  const css = await get('/portal/app.css');
  assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
  assertPortalHeaders(css.headers);
  const again = await request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}/portal/app.js`, { headers: { 'if-none-match': String(script.headers['etag']) } });
  assert.equal(again.status, 304);
});

test('/portal redirects to /portal/, and any other file is a 404 with the same headers', async () => {
  const bare = await get('/portal');
  assert.equal(bare.status, 301);
  assert.equal(bare.headers['location'], '/portal/');
  const missing = await get('/portal/../admin-credential.json');
  assert.notEqual(missing.status, 200);
  const unknown = await get('/portal/secrets.json');
  assert.equal(unknown.status, 404);
  assertPortalHeaders(unknown.headers);
});

async function issueCode(): Promise<any> {
  const res = await request(keyless.info.caPath, 'POST', `${keyless.info.baseUrl}/subscriptions/${keyless.info.subscriptionId}/providers/Keyless/signInCodes?api-version=2026-01-01`, {
    headers: { authorization: `Bearer ${admin}` },
    body: {},
  });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.headers['cache-control'], 'no-store');
  return res.json();
}

function token(form: Record<string, string>) {
  return request(keyless.info.caPath, 'POST', `${keyless.info.baseUrl}/${keyless.info.tenantId}/oauth2/v2.0/token`, {
    form: { client_id: keyless.admin().clientId, scope: `${keyless.info.baseUrl}/.default`, ...form },
  });
}

test('a sign-in code is answered once with its portal link, redeemed once for an admin token, and refused the second time', async () => {
  const issued = await issueCode();
  const { clientId, tenantId } = keyless.admin();
  assert.deepEqual(Object.keys(issued).sort(), ['clientId', 'code', 'expiresOn', 'portalUrl', 'tenantId']);
  assert.equal(issued.clientId, clientId);
  assert.equal(issued.tenantId, tenantId);
  assert.equal(Date.parse(issued.expiresOn) - keyless.clock.now() <= 120_000, true);
  assert.equal(issued.portalUrl, `${keyless.info.baseUrl}/portal/#${new URLSearchParams({ code: issued.code, client_id: clientId, tenant: tenantId })}`);

  const first = await token({ grant_type: 'authorization_code', code: issued.code });
  assert.equal(first.status, 200, first.text);
  assert.equal(first.headers['cache-control'], 'no-store');
  const body = first.json();
  assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'ext_expires_in', 'refresh_token', 'refresh_token_expires_in', 'scope', 'token_type']);
  assert.equal(body.token_type, 'Bearer');
  assert.equal(body.scope, `${keyless.info.baseUrl}/.default`);
  // An ordinary admin token: ARM answers it.
  const groups = await request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}/subscriptions/${keyless.info.subscriptionId}/resourcegroups?api-version=2021-04-01`, {
    headers: { authorization: `Bearer ${body.access_token}` },
  });
  assert.equal(groups.status, 200);

  const second = await token({ grant_type: 'authorization_code', code: issued.code });
  assert.equal(second.status, 400);
  assert.equal(second.json().error, 'invalid_grant');
  assert.deepEqual(second.json().error_codes, [54005]);
  assert.match(second.json().error_description, /^AADSTS54005: OAuth2 Authorization code was already redeemed/);
});

test('an expired, an unknown and a missing code are refused in Entra dialect', async () => {
  const issued = await issueCode();
  keyless.clock.advance(120_001);
  const expired = await token({ grant_type: 'authorization_code', code: issued.code });
  assert.equal(expired.status, 400);
  assert.deepEqual(expired.json().error_codes, [70008]);
  const unknown = await token({ grant_type: 'authorization_code', code: 'not-a-code' });
  assert.deepEqual(unknown.json().error_codes, [70000]);
  const missing = await token({ grant_type: 'authorization_code' });
  assert.deepEqual(missing.json().error_codes, [900144]);
});

test('refresh tokens rotate: each works once, and presenting a spent one ends the session', async () => {
  const issued = await issueCode();
  const signedIn = (await token({ grant_type: 'authorization_code', code: issued.code })).json();
  const renewed = await token({ grant_type: 'refresh_token', refresh_token: signedIn.refresh_token });
  assert.equal(renewed.status, 200, renewed.text);
  const next = renewed.json().refresh_token as string;
  assert.notEqual(next, signedIn.refresh_token);
  const replay = await token({ grant_type: 'refresh_token', refresh_token: signedIn.refresh_token });
  assert.equal(replay.status, 400);
  assert.equal(replay.json().error, 'invalid_grant');
  assert.deepEqual(replay.json().error_codes, [70000]);
  // The replay ended the session: the newest refresh token is refused too.
  const after = await token({ grant_type: 'refresh_token', refresh_token: next });
  assert.deepEqual(after.json().error_codes, [70000]);
});

test('the code never reaches the audit trail', async () => {
  const issued = await issueCode();
  await token({ grant_type: 'authorization_code', code: issued.code });
  await token({ grant_type: 'authorization_code', code: issued.code });
  const res = await request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}/subscriptions/${keyless.info.subscriptionId}/providers/Keyless/auditRecords?api-version=2026-01-01`, {
    headers: { authorization: `Bearer ${admin}` },
  });
  const secret = String(issued.code).split('.')[1] as string;
  assert.equal(res.text.includes(secret), false);
  assert.match(res.text, /sign-in code for/);
  assert.match(res.text, /AADSTS54005/);
});
