import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cliJson, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { adminToken, request } from '../fixtures/http.js';

/**
 * Acting as a host: `listIdentityEnvironment` hands out the secret of a host's
 * identity endpoint, so whoever may call it acts as the host's identities. As
 * in Azure (whoever may deploy a web app's code acts as its identity), a
 * Contributor may, and so climbs to Owner through a host whose identity holds
 * Owner. Every such call, and every secret rotation, is in the audit.
 */
let keyless: InProcessKeyless;
let sub: string;
let admin: string;
let web: { id: string; identity: { principalId: string } };
const json = cliJson(() => keyless.dataDir);
const OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';

const arm = (token: string, method: string, path: string, body?: object) =>
  request(keyless.info.caPath, method, `${keyless.info.baseUrl}${path}${path.includes('?') ? '&' : '?'}api-version=2023-12-01`, {
    headers: { authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body }),
  });
const tokenFor = (appId: string, secret: string) => adminToken(keyless.info.caPath, keyless.info.baseUrl, { tenantId: keyless.info.tenantId, clientId: appId, clientSecret: secret });
/** The newest `arm` records of the audit, as the admin reads them. */
async function armRecords(): Promise<Record<string, unknown>[]> {
  const res = await arm(admin, 'GET', `${sub}/providers/Keyless/auditRecords?top=1000`);
  assert.equal(res.status, 200, res.text);
  return (res.json().value as Record<string, unknown>[]).filter((r) => r['surface'] === 'arm');
}
const withoutTimes = (r: Record<string, unknown>) => {
  const { at, requestId, ...rest } = r;
  assert.match(String(at), /^\d{4}-\d{2}-\d{2}T/);
  assert.match(String(requestId), /^[0-9a-f-]{36}$/);
  return rest;
};

before(async () => {
  keyless = await startInProcess();
  sub = `/subscriptions/${keyless.info.subscriptionId}`;
  admin = await adminToken(keyless.info.caPath, keyless.info.baseUrl, keyless.admin());
  await json('group', 'create', '-n', 'hosts');
  web = await json('webapp', 'create', '-g', 'hosts', '-n', 'web', '--assign-identity', 'system');
  // The web app's identity is an Owner: the privileged host of this story.
  await json('role', 'assignment', 'create', '--assignee', web.identity.principalId, '--role', 'Owner', '--scope', sub);
});
after(async () => {
  await keyless.stop();
});

test("a Contributor acts as a host's identities through listIdentityEnvironment, and so can make itself Owner; the audit says so", async () => {
  const contributor = await json('ad', 'sp', 'create-for-rbac', '-n', 'contrib', '--role', 'Contributor', '--scopes', sub);
  const contributorId = ((await json('ad', 'sp', 'show', '--id', contributor.appId)) as { id: string }).id;
  const token = await tokenFor(contributor.appId, contributor.password);
  // Through Keyless's own privileged operations it cannot (test/surfaces/privileged.test.ts); it cannot grant itself a role either.
  const grant = (bearer: string, name: string) =>
    arm(bearer, 'PUT', `${sub}/providers/Microsoft.Authorization/roleAssignments/${name}`, {
      properties: { roleDefinitionId: `${sub}/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`, principalId: contributorId, principalType: 'ServicePrincipal' },
    });
  assert.equal((await grant(token, '7c0de000-0000-4000-8000-000000000001')).status, 403);

  const env = await arm(token, 'POST', `${web.id}/listIdentityEnvironment`);
  assert.equal(env.status, 200, env.text);
  assert.equal(env.headers['cache-control'], 'no-store');
  const { IDENTITY_ENDPOINT: endpoint, IDENTITY_HEADER: secret } = env.json().variables as Record<string, string>;
  const mi = await fetch(`${endpoint}?api-version=2019-08-01&resource=https://management.azure.com`, { headers: { 'x-identity-header': secret ?? '' } });
  assert.equal(mi.status, 200);
  const asHost = ((await mi.json()) as { access_token: string }).access_token;
  const owned = await grant(asHost, '7c0de000-0000-4000-8000-000000000002');
  assert.equal(owned.status, 201, owned.text);

  const record = (await armRecords()).find((r) => r['principalId'] === contributorId);
  assert.ok(record, 'the call is audited');
  assert.deepEqual(withoutTimes(record), {
    surface: 'arm',
    operation: `POST ${web.id}/listIdentityEnvironment`,
    account: web.id,
    principalId: contributorId,
    principalType: 'ServicePrincipal',
    keyName: null,
    decision: 'allowed',
    reason: `acting as host ${web.id}'s identities (system-assigned ${web.identity.principalId})`,
  });
});

test('rotateIdentitySecret is audited too, and a caller without the action is audited as denied', async () => {
  const uai = (await json('identity', 'create', '-g', 'hosts', '-n', 'vm-id')) as { id: string };
  const vm = (await json('vm', 'create', '-g', 'hosts', '-n', 'vm', '--assign-identity', 'system', uai.id)) as { id: string; identity: { principalId: string } };
  const rotated = await arm(admin, 'POST', `${vm.id}/rotateIdentitySecret`);
  assert.equal(rotated.status, 204);
  const reader = await json('ad', 'sp', 'create-for-rbac', '-n', 'reader', '--role', 'Reader', '--scopes', sub);
  const readerId = ((await json('ad', 'sp', 'show', '--id', reader.appId)) as { id: string }).id;
  const refused = await arm(await tokenFor(reader.appId, reader.password), 'POST', `${vm.id}/listIdentityEnvironment`);
  assert.equal(refused.status, 403);
  assert.equal(refused.json().error.code, 'AuthorizationFailed');

  const records = await armRecords();
  const identities = `system-assigned ${vm.identity.principalId}, user-assigned ${uai.id}`;
  const rotation = records.find((r) => r['operation'] === `POST ${vm.id}/rotateIdentitySecret`);
  assert.ok(rotation);
  assert.deepEqual({ decision: rotation['decision'], reason: rotation['reason'], account: rotation['account'] }, {
    decision: 'allowed',
    reason: `rotated host ${vm.id}'s identity secret: its processes lose its identities (${identities}) until they get the new one`,
    account: vm.id,
  });
  const denial = records.find((r) => r['principalId'] === readerId);
  assert.ok(denial);
  assert.deepEqual({ operation: denial['operation'], decision: denial['decision'], reason: denial['reason'] }, {
    operation: `POST ${vm.id}/listIdentityEnvironment`,
    decision: 'denied',
    reason: `lacks Microsoft.Compute/virtualMachines/listIdentityEnvironment/action at ${vm.id}`,
  });
});
