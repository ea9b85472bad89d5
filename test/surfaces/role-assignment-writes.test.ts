import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cliJson, readAdminCredential, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { adminToken, request } from '../fixtures/http.js';

/** Role assignment PUTs answered as ARM answers them: the body's scope must be the URL's, and a name (GUID) lives at one scope. */
let keyless: InProcessKeyless;
let token: string;
let sub: string;
let principalId: string;
const json = cliJson(() => keyless.dataDir);
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const call = (method: string, path: string, body?: object) =>
  request(keyless.info.caPath, method, `${keyless.info.baseUrl}${path}?api-version=2022-04-01`, {
    headers: { authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body }),
  });
const assignment = (scope: string, name: string) => `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
const properties = (extra: Record<string, unknown> = {}, role = READER) => ({
  properties: { roleDefinitionId: `${sub}/providers/Microsoft.Authorization/roleDefinitions/${role}`, principalId, principalType: 'ServicePrincipal', ...extra },
});
/** Contributor, so that the second test's assignments never duplicate the first's (same principal, role and scope is RoleAssignmentExists). */
const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';

before(async () => {
  keyless = await startInProcess();
  token = await adminToken(keyless.info.caPath, keyless.info.baseUrl, readAdminCredential(keyless.dataDir));
  sub = `/subscriptions/${keyless.info.subscriptionId}`;
  await json('group', 'create', '-n', 'ra');
  principalId = ((await json('identity', 'create', '-g', 'ra', '-n', 'reader')) as { properties: { principalId: string } }).properties.principalId;
});
after(async () => {
  await keyless.stop();
});

test("a properties.scope other than the URL's is 400 InvalidCreateRoleAssignmentRequest, and nothing is created", async () => {
  const name = '5b1f0a52-0001-4c6e-9f0a-8d2b7c3e4f01';
  const group = `${sub}/resourceGroups/ra`;
  for (const scope of [sub, `${group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/reader`, `${sub}/resourceGroups/other`, 42]) {
    const res = await call('PUT', assignment(group, name), properties({ scope }));
    assert.equal(res.status, 400, res.text);
    assert.deepEqual(res.json(), {
      error: {
        code: 'InvalidCreateRoleAssignmentRequest',
        message: `The request to create role assignment '${name}' is not valid. Role assignment scope '${String(scope)}' must match the scope specified on the URI '${group}'.`,
      },
    });
  }
  assert.equal((await call('GET', assignment(group, name))).status, 404);
  // The same scope, in any case and with a trailing slash, is the URL's: accepted (a GET's body can be PUT back).
  const created = await call('PUT', assignment(group, name), properties({ scope: `${group.toUpperCase()}/` }));
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json().properties.scope, group);
  const again = await call('PUT', assignment(group, name), created.json());
  assert.equal(again.status, 200, again.text);
});

test('the same name (GUID) at a second scope is 400 RoleAssignmentUpdateNotPermitted, whatever the case; free again once deleted', async () => {
  const name = '5b1f0a52-0002-4c6e-9f0a-8d2b7c3e4f02';
  const group = `${sub}/resourceGroups/ra`;
  assert.equal((await call('PUT', assignment(sub, name), properties({}, CONTRIBUTOR))).status, 201);
  for (const [scope, id] of [[group, name], [group, name.toUpperCase()], [`${group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/reader`, name]] as const) {
    const res = await call('PUT', assignment(scope, id), properties({}, CONTRIBUTOR));
    assert.equal(res.status, 400, res.text);
    assert.deepEqual(res.json(), {
      error: { code: 'RoleAssignmentUpdateNotPermitted', message: 'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.' },
    });
    assert.equal((await call('GET', assignment(scope, id))).status, 404);
  }
  assert.equal((await call('GET', assignment(sub, name))).status, 200, 'the first stays');
  assert.equal((await call('DELETE', assignment(sub, name))).status, 200);
  assert.equal((await call('PUT', assignment(group, name), properties({}, CONTRIBUTOR))).status, 201);
});
