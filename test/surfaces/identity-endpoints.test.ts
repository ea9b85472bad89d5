import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, startInProcess, type InProcessKeyless, cliJson } from '../fixtures/in-process.js';
import { request } from '../fixtures/http.js';

/** The managed identity endpoints' exact answers, per platform, over plain HTTP on loopback. */
let keyless: InProcessKeyless;
let sub: string;
const json = cliJson(() => keyless.dataDir);
const hostVars = async (host: string): Promise<Record<string, string>> => {
  const run = await runCli(keyless.dataDir, ['env', '--as', host, '-g', 'ie']);
  assert.equal(run.code, 0, run.stderr);
  return Object.fromEntries(run.stdout.split('\n').filter((l) => l.startsWith('export ')).map((l) => l.slice(7).split(/=(.*)/s).slice(0, 2) as [string, string]));
};
const RESOURCE = 'https://cognitiveservices.azure.com';
let ids: { one: any; two: any };
let appVars: Record<string, string>;
let vmBase: string;

before(async () => {
  keyless = await startInProcess({ identityThrottle: true });
  sub = `/subscriptions/${keyless.info.subscriptionId}`;
  await json('group', 'create', '-n', 'ie');
  ids = { one: await json('identity', 'create', '-g', 'ie', '-n', 'one'), two: await json('identity', 'create', '-g', 'ie', '-n', 'two') };
  await json('webapp', 'create', '-g', 'ie', '-n', 'app', '--assign-identity', 'system', ids.one.id);
  await json('vm', 'create', '-g', 'ie', '-n', 'vm', '--assign-identity', ids.one.id, ids.two.id);
  appVars = await hostVars('app');
  vmBase = (await hostVars('vm'))['AZURE_POD_IDENTITY_AUTHORITY_HOST'] ?? '';
});
after(async () => {
  await keyless.stop();
});

const imds = (base: string, query: string, headers: Record<string, string> = { metadata: 'true' }) =>
  fetch(`${base}/metadata/identity/oauth2/token?${query}`, { headers });

describe('IMDS (virtual machines)', () => {
  test('every value of a success is a string; the path works with a trailing slash and in upper case', async () => {
    const res = await fetch(`${vmBase.toUpperCase().replace('HTTP://', 'http://')}/metadata/identity/oauth2/token/?api-version=2018-02-01&resource=${RESOURCE}&client_id=${ids.two.properties.clientId}`, { headers: { metadata: 'true' } });
    assert.equal(res.status, 200);
    const body = (await res.json()) as Record<string, unknown>;
    for (const [name, value] of Object.entries(body)) assert.equal(typeof value, 'string', name);
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'client_id', 'expires_in', 'expires_on', 'ext_expires_in', 'not_before', 'refresh_token', 'resource', 'token_type']);
    assert.equal(body['client_id'], ids.two.properties.clientId);
    assert.equal(body['resource'], RESOURCE);
    assert.equal(body['token_type'], 'Bearer');
    assert.equal(body['refresh_token'], '');
    assert.match(String(body['expires_on']), /^\d{10}$/);
  });

  test('IMDS errors: no Metadata header, X-Forwarded-For, no api-version, several user-assigned identities, unknown identity, unknown resource', async () => {
    const q = `api-version=2018-02-01&resource=${RESOURCE}`;
    const cases: [Response, unknown][] = [
      [await imds(vmBase, q, {}), { error: 'invalid_request', error_description: 'Required metadata header not specified' }],
      [await imds(vmBase, `${q}&client_id=${ids.one.properties.clientId}`, { metadata: 'true', 'x-forwarded-for': '10.0.0.1' }), { error: 'invalid_request', error_description: 'Requests with the X-Forwarded-For header are not accepted.' }],
      [await imds(vmBase, `resource=${RESOURCE}`), { error: 'Bad request. api-version was not specified in the request. For more information refer to aka.ms/azureimds', 'newest-versions': ['2018-02-01'] }],
      [await imds(vmBase, q), { error: 'invalid_request', error_description: 'Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request' }],
      [await imds(vmBase, `${q}&client_id=00000000-0000-0000-0000-000000000000`), { error: 'invalid_request', error_description: 'Identity not found' }],
    ];
    for (const [res, body] of cases) {
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), body);
    }
    const unknown = await imds(vmBase, `api-version=2018-02-01&resource=https://vault.example&msi_res_id=${ids.one.id}`);
    assert.equal(unknown.status, 400);
    const body = (await unknown.json()) as Record<string, string>;
    assert.equal(body['error'], 'invalid_resource');
    assert.match(body['error_description'] ?? '', /^AADSTS500011: The resource principal named https:\/\/vault\.example was not found in the tenant named /);
  });

  test('a request that came through a proxy is refused whichever header says so: X-Forwarded-For or RFC 7239 Forwarded', async () => {
    const q = `api-version=2018-02-01&resource=${RESOURCE}&client_id=${ids.one.properties.clientId}`;
    const cases: [Record<string, string>, string][] = [
      [{ 'x-forwarded-for': '10.0.0.1' }, 'X-Forwarded-For'],
      [{ 'x-forwarded-for': '' }, 'X-Forwarded-For'],
      [{ forwarded: 'for=10.0.0.1' }, 'Forwarded'],
      [{ forwarded: 'for="[2001:db8::1]";proto=https, for=192.0.2.43' }, 'Forwarded'],
      [{ Forwarded: '' }, 'Forwarded'],
      [{ forwarded: 'for=10.0.0.1', 'x-forwarded-for': '10.0.0.1' }, 'X-Forwarded-For'],
    ];
    for (const [headers, name] of cases) {
      const res = await imds(vmBase, q, { metadata: 'true', ...headers });
      assert.equal(res.status, 400, JSON.stringify(headers));
      assert.deepEqual(await res.json(), { error: 'invalid_request', error_description: `Requests with the ${name} header are not accepted.` });
    }
    assert.equal((await imds(vmBase, q)).status, 200);
  });

  test('the bare IMDS path and unknown paths are 400, never 404 (the client libraries retry 404 for a minute)', async () => {
    const bare = await imds(keyless.info.identityUrl, `api-version=2018-02-01&resource=${RESOURCE}`);
    assert.equal(bare.status, 400);
    const unknown = await fetch(`${keyless.info.identityUrl}/something/else`);
    assert.equal(unknown.status, 400);
  });
});

describe('App Service (web apps)', () => {
  const url = (query: string) => `${appVars['IDENTITY_ENDPOINT']}?${query}`;
  const header = () => ({ 'x-identity-header': appVars['IDENTITY_HEADER'] ?? '' });

  test('success: the system-assigned identity by default, expires_on in unix seconds as a string; repeated requests get the cached token', async () => {
    const first = await fetch(url(`api-version=2019-08-01&resource=${RESOURCE}`), { headers: header() });
    assert.equal(first.status, 200);
    const body = (await first.json()) as Record<string, string>;
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'client_id', 'expires_on', 'resource', 'token_type']);
    assert.match(body['expires_on'] ?? '', /^\d{10}$/);
    const again = (await (await fetch(url(`api-version=2019-08-01&resource=${RESOURCE}&unknown=ignored`), { headers: header() })).json()) as Record<string, string>;
    assert.equal(again['access_token'], body['access_token']);
    const named = (await (await fetch(url(`api-version=2019-08-01&resource=${RESOURCE}&mi_res_id=${ids.one.id}`), { headers: header() })).json()) as Record<string, string>;
    assert.equal(named['client_id'], ids.one.properties.clientId);
  });

  test("Keyless's own ARM origin is a known resource here as at the token endpoint (az login --identity asks for it)", async () => {
    for (const origin of [keyless.info.baseUrl, keyless.info.baseUrl.replace('localhost', '127.0.0.1')]) {
      const res = await fetch(url(`api-version=2019-08-01&resource=${encodeURIComponent(`${origin}/`)}`), { headers: header() });
      assert.equal(res.status, 200, origin);
      const body = (await res.json()) as Record<string, string>;
      assert.equal(body['resource'], `${origin}/`);
      const claims = JSON.parse(Buffer.from((body['access_token'] ?? '').split('.')[1] ?? '', 'base64url').toString()) as { aud: string };
      assert.equal(claims.aud, `${origin}/`);
    }
  });

  test('the older protocol (MSI_ENDPOINT, api-version 2017-09-01, a `secret` header), as az 2.45 and msrestazure call it', async () => {
    assert.equal(appVars['MSI_ENDPOINT'], appVars['IDENTITY_ENDPOINT']);
    assert.equal(appVars['MSI_SECRET'], appVars['IDENTITY_HEADER']);
    // msrestazure speaks this protocol only where it sees App Service's site name among the app settings.
    assert.equal(appVars['WEBSITE_SITE_NAME'], 'app');
    assert.equal(appVars['APPSETTING_WEBSITE_SITE_NAME'], 'app');
    const secret = { secret: appVars['MSI_SECRET'] ?? '' };
    // msrestazure asks `{MSI_ENDPOINT}/?resource=…` with the resource as it is, not percent-encoded.
    const res = await fetch(`${appVars['MSI_ENDPOINT']}/?resource=https://cognitiveservices.azure.com&api-version=2017-09-01`, { headers: secret });
    assert.equal(res.status, 200);
    const body = (await res.json()) as Record<string, string>;
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_on', 'resource', 'token_type']);
    assert.equal(body['resource'], 'https://cognitiveservices.azure.com');
    assert.equal(body['token_type'], 'Bearer');
    // MM/DD/YYYY HH:mm:ss +00:00 (UTC), the instant the token's exp names.
    const claims = JSON.parse(Buffer.from((body['access_token'] ?? '').split('.')[1] ?? '', 'base64url').toString()) as { exp: number; oid: string };
    const match = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2}) \+00:00$/.exec(body['expires_on'] ?? '');
    assert.ok(match, body['expires_on']);
    const [, mm, dd, yyyy, hh, mi, ss] = match.map(Number);
    assert.equal(Date.UTC(yyyy!, mm! - 1, dd, hh, mi, ss) / 1000, claims.exp);

    const chosen = (await (await fetch(url(`api-version=2017-09-01&resource=${RESOURCE}&clientid=${ids.one.properties.clientId}`), { headers: secret })).json()) as Record<string, string>;
    const chosenClaims = JSON.parse(Buffer.from((chosen['access_token'] ?? '').split('.')[1] ?? '', 'base64url').toString()) as { oid: string };
    assert.equal(chosenClaims.oid, ids.one.properties.principalId);
    assert.notEqual(claims.oid, chosenClaims.oid);

    // Each protocol takes the secret in its own header.
    const wrongHeader = await fetch(url(`api-version=2017-09-01&resource=${RESOURCE}`), { headers: header() });
    assert.equal(wrongHeader.status, 400);
    assert.equal(((await wrongHeader.json()) as Record<string, unknown>)['message'], 'The secret header is missing or does not belong to an app.');
    assert.equal((await fetch(url(`api-version=2019-08-01&resource=${RESOURCE}`), { headers: secret })).status, 400);
    // 2017-09-01 names a user-assigned identity by `clientid` only.
    const several = await fetch(url(`api-version=2017-09-01&resource=${RESOURCE}&client_id=${ids.one.properties.clientId}`), { headers: secret });
    assert.equal(several.status, 200, 'client_id is not a 2017-09-01 parameter: ignored, as unknown parameters are');
    const unsupported = await fetch(url(`api-version=2018-02-01&resource=${RESOURCE}`), { headers: header() });
    assert.equal(((await unsupported.json()) as Record<string, unknown>)['message'], "The api-version '2018-02-01' is not supported; use 2019-08-01 (or 2017-09-01).");
  });

  test("errors use App Service's envelope", async () => {
    const res = await fetch(url(`api-version=2019-08-01&resource=${RESOURCE}&client_id=00000000-0000-0000-0000-000000000000`), { headers: header() });
    assert.equal(res.status, 400);
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body['statusCode'], 400);
    assert.equal(body['message'], 'Unable to load the proper Managed Identity.');
    assert.match(String(body['correlationId']), /^[0-9a-f-]{36}$/);
    const wrong = await fetch(url(`api-version=2019-08-01&resource=${RESOURCE}`), { headers: { 'x-identity-header': '0'.repeat(32) } });
    assert.equal(wrong.status, 400);
    // A VM's secret is not an app's header.
    const vmSecret = vmBase.split('/').pop() ?? '';
    const crossed = await fetch(url(`api-version=2019-08-01&resource=${RESOURCE}`), { headers: { 'x-identity-header': vmSecret } });
    assert.equal(crossed.status, 400);
  });

  test('forwarding headers are not screened: the endpoint is a local sidecar that Azure reaches through its own front end', async () => {
    const res = await fetch(url(`api-version=2019-08-01&resource=${RESOURCE}`), { headers: { ...header(), 'x-forwarded-for': '10.0.0.1', forwarded: 'for=10.0.0.1' } });
    assert.equal(res.status, 200);
  });

  test('throttling (--identity-throttle): at most 5 at once and 20 per second per host, then 429 with Retry-After', async () => {
    // All 40 fall in one second of the server's clock, however long the machine takes to send them.
    keyless.clock.freeze();
    try {
      const results = await Promise.all(
        Array.from({ length: 40 }, () => fetch(url(`api-version=2019-08-01&resource=${RESOURCE}`), { headers: header() })),
      );
      const throttled = results.filter((r) => r.status === 429);
      assert.ok(throttled.length >= 20, `expected at least 20 of 40 throttled, got ${throttled.length}`);
      assert.equal(throttled[0]?.headers.get('retry-after'), '1');
      keyless.clock.advance(1100);
      assert.equal((await fetch(url(`api-version=2019-08-01&resource=${RESOURCE}`), { headers: header() })).status, 200);
    } finally {
      keyless.clock.unfreeze();
    }
  });
});

describe('a user-assigned identity deleted and created again', () => {
  test('is not attached to the hosts of the old one: no token for it, no silent switch to the other identity, shown without ids', async () => {
    await json('identity', 'create', '-g', 'ie', '-n', 'gone');
    const kept = await json('identity', 'create', '-g', 'ie', '-n', 'kept');
    const gone = await json('identity', 'show', '-g', 'ie', '-n', 'gone');
    await json('vm', 'create', '-g', 'ie', '-n', 'vm-re', '--assign-identity', gone.id, kept.id);
    const base = (await hostVars('vm-re'))['AZURE_POD_IDENTITY_AUTHORITY_HOST'] ?? '';
    const q = `api-version=2018-02-01&resource=${RESOURCE}`;
    const multiple = { error: 'invalid_request', error_description: 'Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request' };

    assert.equal((await runCli(keyless.dataDir, ['identity', 'delete', '-g', 'ie', '-n', 'gone'])).code, 0);
    // The deleted one still counts as listed: the request without a selector does not get the other identity.
    const after = await imds(base, q);
    assert.equal(after.status, 400);
    assert.deepEqual(await after.json(), multiple);

    const again = await json('identity', 'create', '-g', 'ie', '-n', 'gone');
    assert.notEqual(again.properties.principalId, gone.properties.principalId);
    for (const selector of [`client_id=${again.properties.clientId}`, `msi_res_id=${again.id}`, `object_id=${again.properties.principalId}`]) {
      const res = await imds(base, `${q}&${selector}`);
      assert.equal(res.status, 400, selector);
      assert.deepEqual(await res.json(), { error: 'invalid_request', error_description: 'Identity not found' });
    }
    const shown = await json('vm', 'show', '-g', 'ie', '-n', 'vm-re');
    const entries = shown.identity.userAssignedIdentities as Record<string, Record<string, string>>;
    assert.deepEqual(entries[gone.id], {});
    assert.equal(entries[kept.id]?.['principalId'], kept.properties.principalId);
    assert.equal((await imds(base, `${q}&client_id=${kept.properties.clientId}`)).status, 200);

    // Assigning it again (which needs the assign action) attaches the new principal.
    await json('vm', 'identity', 'assign', '-g', 'ie', '-n', 'vm-re', '--identities', again.id);
    assert.equal((await imds(base, `${q}&client_id=${again.properties.clientId}`)).status, 200);
  });
});

describe('tokens of deleted identities', () => {
  test('keep working until they expire, as in Azure (their orphaned assignments still match)', async () => {
    await json('openai', 'create', '-g', 'ie', '-n', 'ie-openai');
    await json('openai', 'deployment', 'create', '-g', 'ie', '-n', 'ie-openai', '--deployment-name', 'chat');
    const identity = await json('identity', 'create', '-g', 'ie', '-n', 'short');
    await json('role', 'assignment', 'create', '--assignee', identity.properties.principalId, '--role', 'Cognitive Services OpenAI User', '--scope', `${sub}/resourceGroups/ie`);
    await json('webapp', 'identity', 'assign', '-g', 'ie', '-n', 'app', '--identities', identity.id);
    const token = ((await (await fetch(`${appVars['IDENTITY_ENDPOINT']}?api-version=2019-08-01&resource=${RESOURCE}&client_id=${identity.properties.clientId}`, { headers: { 'x-identity-header': appVars['IDENTITY_HEADER'] ?? '' } })).json()) as Record<string, string>)['access_token'];
    await json('identity', 'delete', '-g', 'ie', '-n', 'short');
    const res = await request(keyless.info.caPath, 'POST', `${keyless.info.baseUrl}/accounts/ie-openai/openai/deployments/chat/chat/completions?api-version=2024-10-21`, {
      headers: { authorization: `Bearer ${token}` },
      body: { messages: [{ role: 'user', content: 'still here?' }] },
    });
    assert.equal(res.status, 200);
  });
});

describe('--strict-revocation', () => {
  test('a token of a deleted identity fails at once with the token 401 body', async () => {
    const strict = await startInProcess({ strictRevocation: true });
    try {
      const run = async (...args: string[]) => {
        const r = await runCli(strict.dataDir, [...args, '-o', 'json']);
        assert.equal(r.code, 0, r.stderr);
        return r.stdout.trim() === '' ? undefined : JSON.parse(r.stdout);
      };
      const s = `/subscriptions/${strict.info.subscriptionId}`;
      await run('group', 'create', '-n', 'sr');
      await run('openai', 'create', '-g', 'sr', '-n', 'sr-openai');
      await run('openai', 'deployment', 'create', '-g', 'sr', '-n', 'sr-openai', '--deployment-name', 'chat');
      const identity = await run('identity', 'create', '-g', 'sr', '-n', 'gone-soon');
      await run('role', 'assignment', 'create', '--assignee', identity.properties.principalId, '--role', 'Cognitive Services OpenAI User', '--scope', `${s}/resourceGroups/sr`);
      await run('vm', 'create', '-g', 'sr', '-n', 'vm', '--assign-identity', identity.id);
      const env = await runCli(strict.dataDir, ['env', '--as', 'vm', '-g', 'sr']);
      const base = /AZURE_POD_IDENTITY_AUTHORITY_HOST=(\S+)/.exec(env.stdout)?.[1] ?? '';
      const token = ((await (await fetch(`${base}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${RESOURCE}`, { headers: { metadata: 'true' } })).json()) as Record<string, string>)['access_token'];
      const chat = () =>
        request(strict.info.caPath, 'POST', `${strict.info.baseUrl}/accounts/sr-openai/openai/deployments/chat/chat/completions?api-version=2024-10-21`, {
          headers: { authorization: `Bearer ${token}` },
          body: { messages: [{ role: 'user', content: 'hello' }] },
        });
      assert.equal((await chat()).status, 200);
      await run('identity', 'delete', '-g', 'sr', '-n', 'gone-soon');
      const refused = await chat();
      assert.equal(refused.status, 401);
      assert.deepEqual(refused.json(), {
        statusCode: 401,
        message: 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.',
      });
    } finally {
      await strict.stop();
    }
  });
});
