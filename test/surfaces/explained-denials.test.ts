import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cliJson, runCli, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import fs from 'node:fs';
import { ClientSecretCredential } from '@azure/identity';
import { adminToken, request } from '../fixtures/http.js';
import { resolvingHttpClient } from '../fixtures/resolve.js';

/**
 * Denials outside RBAC that Keyless can explain: a host asking its identity
 * endpoint for an identity it does not have, a client failing at the token
 * endpoint. The caller gets its platform's exact body; the audit record says
 * why and, where Keyless has one, the command that fixes it.
 */
let keyless: InProcessKeyless;
let sub: string;
let admin: string;
const json = cliJson(() => keyless.dataDir);

async function denials(): Promise<Record<string, unknown>[]> {
  const res = await request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}${sub}/providers/Keyless/auditRecords?denied=true&top=1000&api-version=2026-01-01`, {
    headers: { authorization: `Bearer ${admin}` },
  });
  assert.equal(res.status, 200, res.text);
  return res.json().value as Record<string, unknown>[];
}

before(async () => {
  keyless = await startInProcess();
  sub = `/subscriptions/${keyless.info.subscriptionId}`;
  admin = await adminToken(keyless.info.caPath, keyless.info.baseUrl, keyless.admin());
});
after(async () => {
  await keyless.stop();
});

describe('identity endpoint denials in the audit: why, and the command that attaches the identity', () => {
  test('a user-assigned identity not attached to the web app; a VM with no identity at all', async () => {
    await json('group', 'create', '-n', 'hosts');
    const spare = (await json('identity', 'create', '-g', 'hosts', '-n', 'spare')) as { id: string; properties: { clientId: string } };
    const web = (await json('webapp', 'create', '-g', 'hosts', '-n', 'web', '--assign-identity', 'system')) as { id: string; identity: { principalId: string } };
    await json('vm', 'create', '-g', 'hosts', '-n', 'bare');
    const vars = async (host: string): Promise<Record<string, string>> => {
      const run = await runCli(keyless.dataDir, ['env', '--as', host, '-g', 'hosts']);
      assert.equal(run.code, 0, run.stderr);
      return Object.fromEntries(run.stdout.split('\n').filter((l) => l.startsWith('export ')).map((l) => l.slice(7).split(/=(.*)/s).slice(0, 2) as [string, string]));
    };
    const webVars = await vars('web');
    const res = await fetch(`${webVars['IDENTITY_ENDPOINT']}?api-version=2019-08-01&resource=https://cognitiveservices.azure.com&client_id=${spare.properties.clientId}`, {
      headers: { 'x-identity-header': webVars['IDENTITY_HEADER'] ?? '' },
    });
    assert.equal(res.status, 400);
    const body = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['correlationId', 'message', 'statusCode']);
    assert.equal(body['message'], 'Unable to load the proper Managed Identity.');

    const vmBase = (await vars('bare'))['AZURE_POD_IDENTITY_AUTHORITY_HOST'] ?? '';
    const bare = await fetch(`${vmBase}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://cognitiveservices.azure.com`, { headers: { metadata: 'true' } });
    assert.equal(bare.status, 400);
    assert.deepEqual(await bare.json(), { error: 'invalid_request', error_description: 'Identity not found' });

    const records = (await denials()).filter((r) => r['surface'] === 'identity');
    const webClientId = ((await json('ad', 'sp', 'show', '--id', web.identity.principalId)) as { appId: string }).appId;
    const notAttached = records.find((r) => r['account'] === web.id);
    assert.ok(notAttached);
    assert.equal(notAttached['explanation'], `the user-assigned identity ${spare.id} (clientId ${spare.properties.clientId}) is not attached to this host; host ${web.id} has these identities: system-assigned (client id ${webClientId})`);
    assert.equal(notAttached['fix'], `keyless webapp identity assign -g hosts -n web --identities ${spare.id}`);
    const vmId = `${sub}/resourceGroups/hosts/providers/Microsoft.Compute/virtualMachines/bare`;
    const none = records.find((r) => r['account'] === vmId);
    assert.ok(none);
    assert.equal(none['explanation'], `the request named no identity, and host ${vmId} has these identities: none`);
    assert.equal(none['fix'], 'keyless vm identity assign -g hosts -n bare --identities system');
    // The fix works: the web app gets its token once the identity is attached.
    assert.equal((await runCli(keyless.dataDir, String(notAttached['fix']).split(' ').slice(1))).code, 0);
    const granted = await fetch(`${webVars['IDENTITY_ENDPOINT']}?api-version=2019-08-01&resource=https://cognitiveservices.azure.com&client_id=${spare.properties.clientId}`, {
      headers: { 'x-identity-header': webVars['IDENTITY_HEADER'] ?? '' },
    });
    assert.equal(granted.status, 200);
  });
});

describe('token endpoint denials in the audit', () => {
  test('a wrong client secret: Entra\'s AADSTS7000215, and the record says why and how to get a new secret', async () => {
    const app = await json('ad', 'sp', 'create-for-rbac', '-n', 'ci-job');
    const res = await request(keyless.info.caPath, 'POST', `${keyless.info.baseUrl}/${keyless.info.tenantId}/oauth2/v2.0/token`, {
      form: { grant_type: 'client_credentials', client_id: app.appId, client_secret: 'not-the-secret', scope: `${keyless.info.baseUrl}/.default` },
    });
    assert.equal(res.status, 401);
    const body = res.json();
    assert.equal(body.error, 'invalid_client');
    assert.match(body.error_description, /^AADSTS7000215: Invalid client secret provided\./);
    assert.ok(!res.text.includes('keyless ad sp'), 'the fix stays in the audit');
    const record = (await denials()).find((r) => r['surface'] === 'entra' && String(r['reason']).startsWith(`client ${app.appId}: InvalidSecret`));
    assert.ok(record);
    assert.equal(record['explanation'], `the client secret is none of application ${app.appId}'s current secrets: mistyped, deleted, or replaced by a credential reset without --append`);
    assert.equal(record['fix'], `keyless ad sp credential reset --id ${app.appId} --append`);
    assert.ok(!JSON.stringify(record).includes('not-the-secret'), 'never the secret');
  });

  test('@azure/identity with a secret that was replaced: AADSTS7000215 to the library, the reset command in the audit', async () => {
    const app = await json('ad', 'sp', 'create-for-rbac', '-n', 'rotated-job');
    // Reset without --append: the secret the job still has stops working.
    await json('ad', 'sp', 'credential', 'reset', '--id', app.appId);
    const httpClient = resolvingHttpClient({ origin: keyless.info.baseUrl, port: keyless.info.port, ca: fs.readFileSync(keyless.info.caPath, 'utf8') });
    const credential = new ClientSecretCredential(keyless.info.tenantId, app.appId, app.password, { authorityHost: keyless.info.baseUrl, disableInstanceDiscovery: true, httpClient });
    const error = await credential.getToken(`${keyless.info.baseUrl}/.default`).then(
      () => assert.fail('expected an invalid secret'),
      (e: Error) => e,
    );
    assert.match(error.message, /AADSTS7000215/);
    const record = (await denials()).find((r) => r['surface'] === 'entra' && String(r['reason']).startsWith(`client ${app.appId}: InvalidSecret`));
    assert.ok(record);
    assert.equal(record['fix'], `keyless ad sp credential reset --id ${app.appId} --append`);
    assert.ok(!JSON.stringify(record).includes(app.password), 'never the secret');
  });
});

describe('data-plane key refusals in the audit', () => {
  test('a wrong api-key: Azure\'s 401 body, and the record points at the account\'s keys', async () => {
    await json('group', 'create', '-n', 'keys');
    const account = (await json('openai', 'create', '-g', 'keys', '-n', 'keyed')) as { id: string; properties: { endpoint: string } };
    await json('openai', 'deployment', 'create', '-g', 'keys', '-n', 'keyed', '--deployment-name', 'chat', '--model-name', 'gpt-4o-mini');
    const res = await request(keyless.info.caPath, 'POST', `${account.properties.endpoint}openai/deployments/chat/chat/completions?api-version=2024-10-21`, {
      headers: { 'api-key': 'f'.repeat(64) },
      body: { messages: [{ role: 'user', content: 'hi' }] },
    });
    assert.equal(res.status, 401);
    assert.equal(res.json().error.code, '401');
    const record = (await denials()).find((r) => r['surface'] === 'openai' && r['account'] === account.id && r['reason'] === 'unknown key');
    assert.ok(record);
    assert.equal(record['explanation'], `the api-key sent to account ${account.id} is refused: it is neither key1 nor key2 of the account (mistyped, or regenerated since it was copied)`);
    assert.equal(record['fix'], 'keyless openai keys list -g keys -n keyed');
    assert.ok(!JSON.stringify(record).includes('f'.repeat(64)), 'never the key');
  });
});

describe('credentials refused before any role is judged: why, in the record only', () => {
  test('an expired token, a token for another audience, no credential: Azure\'s 401 to the caller, the reason in the record', async () => {
    await json('group', 'create', '-n', 'tokens');
    const account = (await json('openai', 'create', '-g', 'tokens', '-n', 'tokened')) as { id: string; properties: { endpoint: string } };
    await json('openai', 'deployment', 'create', '-g', 'tokens', '-n', 'tokened', '--deployment-name', 'chat', '--model-name', 'gpt-4o-mini');
    const url = `${account.properties.endpoint}openai/deployments/chat/chat/completions?api-version=2024-10-21`;
    const chat = (headers: Record<string, string>) => request(keyless.info.caPath, 'POST', url, { headers, body: { messages: [{ role: 'user', content: 'hi' }] } });
    const recordFor = async (reason: string) => (await denials()).find((r) => r['surface'] === 'openai' && r['account'] === account.id && r['reason'] === reason);

    // The admin's token is for ARM: another audience.
    const wrongAudience = await chat({ authorization: `Bearer ${admin}` });
    assert.equal(wrongAudience.status, 401);
    const audience = await recordFor('TokenAudienceInvalid');
    assert.equal(audience?.['explanation'], `the bearer token sent to account ${account.id} is refused: the token was issued for another audience: the data plane takes tokens for https://cognitiveservices.azure.com (scope https://cognitiveservices.azure.com/.default)`);
    assert.equal(audience?.['fix'], undefined);
    assert.ok(!JSON.stringify(audience).includes(admin), 'never the token');

    const none = await chat({});
    assert.equal(none.status, 401);
    assert.equal((await recordFor('no credential'))?.['explanation'],
      `the call to account ${account.id} is refused: the request carries neither an api-key header nor an Authorization: Bearer token; send a Microsoft Entra token of a principal holding a data role (keyless role check shows which), or one of the account's keys (keyless openai keys list -g tokens -n tokened)`);

    const dataToken = await adminToken(keyless.info.caPath, keyless.info.baseUrl, keyless.admin(), 'https://cognitiveservices.azure.com');
    keyless.clock.advance(25 * 3600 * 1000);
    // The operator's own token has expired too: a new one, to read the trail (and for the tests after this one).
    admin = await adminToken(keyless.info.caPath, keyless.info.baseUrl, keyless.admin());
    const expired = await chat({ authorization: `Bearer ${dataToken}` });
    assert.equal(expired.status, 401);
    assert.match(String((await recordFor('TokenExpired'))?.['explanation']), /is refused: the token has expired \(its exp is past\)/);
  });

  test('a host secret nobody owns, and a resource Keyless issues no tokens for: the record says which', async () => {
    await json('group', 'create', '-n', 'secrets');
    await json('webapp', 'create', '-g', 'secrets', '-n', 'app', '--assign-identity', 'system');
    const run = await runCli(keyless.dataDir, ['env', '--as', 'app', '-g', 'secrets']);
    const vars = Object.fromEntries(run.stdout.split('\n').filter((l) => l.startsWith('export ')).map((l) => l.slice(7).split(/=(.*)/s).slice(0, 2) as [string, string]));
    const endpoint = vars['IDENTITY_ENDPOINT'] ?? '';
    const stranger = await fetch(`${endpoint}?api-version=2019-08-01&resource=https://cognitiveservices.azure.com`, { headers: { 'x-identity-header': '0'.repeat(32) } });
    assert.equal(stranger.status, 400);
    const records = await denials();
    const unknown = records.find((r) => r['surface'] === 'identity' && r['reason'] === 'unknown identity header');
    assert.equal(unknown?.['explanation'], 'no managed identity token: the secret belongs to no host: it was rotated (rotate-secret) or its host was deleted, or it was never a host secret');
    assert.equal(unknown?.['fix'], 'keyless env --as HOST -g GROUP');
    const unnamed = records.find((r) => r['surface'] === 'identity' && r['reason'] === 'no identity header');
    assert.equal(unnamed, undefined, 'not asked yet');
    const noHeader = await fetch(`${endpoint}?api-version=2019-08-01&resource=https://cognitiveservices.azure.com`);
    assert.equal(noHeader.status, 400);
    assert.match(String((await denials()).find((r) => r['surface'] === 'identity' && r['reason'] === 'no identity header')?.['explanation']), /the request carried no host secret/);

    const elsewhere = await fetch(`${endpoint}?api-version=2019-08-01&resource=https://example.org`, { headers: { 'x-identity-header': vars['IDENTITY_HEADER'] ?? '' } });
    assert.equal(elsewhere.status, 400);
    const resource = (await denials()).find((r) => r['surface'] === 'identity' && r['reason'] === 'unknown resource');
    assert.equal(resource?.['explanation'], "no managed identity token: 'https://example.org' is not a resource Keyless issues tokens for (e.g. https://cognitiveservices.azure.com, https://management.azure.com/)");
  });
});

describe('Graph write refusals in the audit', () => {
  test('a Contributor creating an application: Graph\'s 403, and the record names the role that would allow it', async () => {
    const contributor = await json('ad', 'sp', 'create-for-rbac', '-n', 'graph-contrib', '--role', 'Contributor', '--scopes', sub);
    const { id } = (await json('ad', 'sp', 'show', '--id', contributor.appId)) as { id: string };
    const token = await adminToken(keyless.info.caPath, keyless.info.baseUrl, { tenantId: keyless.info.tenantId, clientId: contributor.appId, clientSecret: contributor.password });
    const res = await request(keyless.info.caPath, 'POST', `${keyless.info.baseUrl}/v1.0/applications`, { headers: { authorization: `Bearer ${token}` }, body: { displayName: 'sneaky' } });
    assert.equal(res.status, 403);
    assert.equal(res.json().error.code, 'Authorization_RequestDenied');
    const record = (await denials()).find((r) => r['surface'] === 'graph' && r['principalId'] === id);
    assert.ok(record);
    assert.equal(record['operation'], 'POST /v1.0/applications');
    assert.equal(record['reason'], `lacks Microsoft.Authorization/roleAssignments/write at ${sub}`);
    assert.match(String(record['explanation']), /Contributor at \/subscriptions\/[^:]+: actions '\*' matches, but notActions 'Microsoft.Authorization\/\*\/Write' removes it/);
    assert.equal(record['fix'], `keyless role assignment create --assignee ${id} --role "Role Based Access Control Administrator" --scope ${sub}`);
  });
});
