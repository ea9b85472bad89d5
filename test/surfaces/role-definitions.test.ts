import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cliJson, readAdminCredential, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { adminToken, request } from '../fixtures/http.js';

/** Custom role definitions on ARM (issue 11): Azure's shapes, its validation errors, and the rules that tie roles to assignments. */
let keyless: InProcessKeyless;
let token: string;
let adminOid: string;
let sub: string;
let principalId: string;
const json = cliJson(() => keyless.dataDir);
const call = (method: string, path: string, body?: object, query = '') =>
  request(keyless.info.caPath, method, `${keyless.info.baseUrl}${path}?api-version=2022-04-01${query}`, {
    headers: { authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body }),
  });
const definition = (scope: string, name: string) => `${scope}/providers/Microsoft.Authorization/roleDefinitions/${name}`;
const assignment = (scope: string, name: string) => `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
const CHAT = 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action';
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const body = (roleName: string, extra: Record<string, unknown> = {}, permissions: Record<string, unknown> = {}) => ({
  properties: {
    roleName,
    description: 'Chat only',
    type: 'CustomRole',
    permissions: [{ actions: ['Microsoft.CognitiveServices/*/read'], notActions: [], dataActions: [CHAT], notDataActions: [], ...permissions }],
    assignableScopes: [sub],
    ...extra,
  },
});

before(async () => {
  keyless = await startInProcess();
  token = await adminToken(keyless.info.caPath, keyless.info.baseUrl, readAdminCredential(keyless.dataDir));
  adminOid = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { oid: string }).oid;
  sub = `/subscriptions/${keyless.info.subscriptionId}`;
  await json('group', 'create', '-n', 'cr');
  await json('group', 'create', '-n', 'other');
  principalId = ((await json('identity', 'create', '-g', 'cr', '-n', 'caller')) as { properties: { principalId: string } }).properties.principalId;
});
after(async () => {
  await keyless.stop();
});

test('PUT creates a custom role (201, Azure shape), GET and the filtered lists show it, a second PUT updates it (201 again)', async () => {
  const name = '7c1e0a52-0001-4c6e-9f0a-8d2b7c3e4f01';
  const created = await call('PUT', definition(sub, name), body('Chat Only'));
  assert.equal(created.status, 201, created.text);
  const role = created.json();
  assert.match(role.properties.createdOn, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  assert.deepEqual(role, {
    id: definition(sub, name),
    name,
    type: 'Microsoft.Authorization/roleDefinitions',
    properties: {
      roleName: 'Chat Only',
      type: 'CustomRole',
      description: 'Chat only',
      assignableScopes: [sub],
      permissions: [{ actions: ['Microsoft.CognitiveServices/*/read'], notActions: [], dataActions: [CHAT], notDataActions: [] }],
      createdOn: role.properties.createdOn,
      updatedOn: role.properties.createdOn,
      createdBy: adminOid,
      updatedBy: adminOid,
    },
  });
  assert.deepEqual((await call('GET', definition(sub, name.toUpperCase()))).json().properties, role.properties);
  const byName = await call('GET', `${sub}/providers/Microsoft.Authorization/roleDefinitions`, undefined, `&$filter=${encodeURIComponent("roleName eq 'chat only'")}`);
  assert.deepEqual(byName.json().value.map((r: { name: string }) => r.name), [name]);
  const customs = await call('GET', `${sub}/providers/Microsoft.Authorization/roleDefinitions`, undefined, `&$filter=${encodeURIComponent("type eq 'CustomRole'")}`);
  assert.deepEqual(customs.json().value.map((r: { name: string }) => r.name), [name]);
  const all = (await call('GET', `${sub}/providers/Microsoft.Authorization/roleDefinitions`)).json().value.map((r: { name: string }) => r.name);
  assert.ok(all.includes(name) && all.includes(READER));

  const updated = await call('PUT', definition(sub, name), body('Chat Only', { description: 'Chat, and nothing else' }));
  assert.equal(updated.status, 201, updated.text);
  assert.equal(updated.json().properties.description, 'Chat, and nothing else');
  assert.equal(updated.json().properties.createdOn, role.properties.createdOn);
  assert.equal((await call('DELETE', definition(sub, name))).status, 200);
});

test("Azure's validation errors, each a 400 or 409 that writes nothing", async () => {
  const name = '7c1e0a52-0002-4c6e-9f0a-8d2b7c3e4f02';
  const cases: [string, string, object, number, { code: string; message: string }][] = [
    ['not a GUID', 'chat-role', body('X'), 400, { code: 'InvalidRoleDefinitionId', message: "The role definition ID 'chat-role' is not valid. The role definition ID must be a GUID." }],
    ['a built-in id', READER, body('X'), 400, { code: 'BuiltInRoleDefinitionNotModifiable', message: `The role definition '${READER}' is a built-in role. Built-in roles cannot be created, updated or deleted.` }],
    ['a malformed action', name, body('X', {}, { actions: ['Microsoft.CognitiveServices//read'] }), 400,
      { code: 'InvalidActionOrNotAction', message: "'Microsoft.CognitiveServices//read' does not match any of the actions supported by the providers." }],
    ['a wildcard provider', name, body('X', {}, { notActions: ['Microsoft.*/read'] }), 400,
      { code: 'InvalidActionOrNotAction', message: "'Microsoft.*/read' does not match any of the actions supported by the providers." }],
    ['an unknown provider', name, body('X', {}, { actions: ['Contoso.Widgets/widgets/read'] }), 400,
      { code: 'InvalidActionOrNotAction', message: 'The resource provider referenced in the action is not returned in the list of providers from Azure Resource Manager.' }],
    ['a control-plane provider as a data action', name, body('X', {}, { dataActions: ['Microsoft.ManagedIdentity/userAssignedIdentities/read'] }), 400,
      { code: 'InvalidDataActionOrNotDataAction', message: "'Microsoft.ManagedIdentity/userAssignedIdentities/read' does not match any of the actions supported by the providers." }],
    ['a malformed data action', name, body('X', {}, { notDataActions: ['chat completions'] }), 400,
      { code: 'InvalidDataActionOrNotDataAction', message: "'chat completions' does not match any of the actions supported by the providers." }],
    ['another subscription', name, body('X', { assignableScopes: ['/subscriptions/00000000-0000-0000-0000-000000000000'] }), 400,
      { code: 'InvalidAssignableScopes', message: `The assignable scope '/subscriptions/00000000-0000-0000-0000-000000000000' is not valid. Assignable scopes of a custom role must be the subscription '${sub}' or a resource group or resource in it.` }],
    ['the root scope', name, body('X', { assignableScopes: ['/'] }), 400,
      { code: 'InvalidAssignableScopes', message: `The assignable scope '/' is not valid. Assignable scopes of a custom role must be the subscription '${sub}' or a resource group or resource in it.` }],
    ['no assignable scope', name, body('X', { assignableScopes: [] }), 400, { code: 'InvalidAssignableScopes', message: 'A custom role needs at least one assignable scope.' }],
    ['no roleName', name, body(''), 400, { code: 'InvalidRequestContent', message: "The request content was invalid: 'properties.roleName' must be a non-empty string." }],
    ["a built-in role's name", name, body('reader'), 409, { code: 'RoleDefinitionWithSameNameExists', message: 'A role definition cannot be updated with a name that already exists.' }],
  ];
  for (const [why, id, payload, status, error] of cases) {
    const res = await call('PUT', definition(sub, id), payload);
    assert.equal(res.status, status, `${why}: ${res.text}`);
    assert.deepEqual(res.json(), { error }, why);
  }
  assert.equal((await call('GET', definition(sub, name))).status, 404);
  const builtInDelete = await call('DELETE', definition(sub, READER));
  assert.equal(builtInDelete.status, 400, builtInDelete.text);

  // A second custom role may not take the first's name, in any case; the first keeps it.
  assert.equal((await call('PUT', definition(sub, name), body('Taken Name'))).status, 201);
  const clash = await call('PUT', definition(sub, '7c1e0a52-0003-4c6e-9f0a-8d2b7c3e4f03'), body('TAKEN name'));
  assert.equal(clash.status, 409, clash.text);
  assert.deepEqual(clash.json(), { error: { code: 'RoleDefinitionWithSameNameExists', message: 'A role definition cannot be updated with a name that already exists.' } });
  assert.equal((await call('DELETE', definition(sub, name))).status, 200);
});

test('a GET of an unknown role is 404 RoleDefinitionDoesNotExist; a DELETE of one is 204', async () => {
  const name = '7c1e0a52-0004-4c6e-9f0a-8d2b7c3e4f04';
  const res = await call('GET', definition(sub, name));
  assert.equal(res.status, 404);
  assert.deepEqual(res.json(), { error: { code: 'RoleDefinitionDoesNotExist', message: `The specified role definition with ID '${name}' does not exist.` } });
  assert.equal((await call('DELETE', definition(sub, name))).status, 204);
});

test('assignments: refused outside the assignable scopes, allowed inside; the role cannot be deleted while assigned', async () => {
  const name = '7c1e0a52-0005-4c6e-9f0a-8d2b7c3e4f05';
  const group = `${sub}/resourceGroups/cr`;
  const created = await call('PUT', definition(group, name), body('Group Chat', { assignableScopes: [group] }));
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json().id, definition(group, name));
  const assign = (scope: string, id: string) =>
    call('PUT', assignment(scope, id), { properties: { roleDefinitionId: definition(sub, name), principalId, principalType: 'ServicePrincipal' } });

  for (const scope of [sub, `${sub}/resourceGroups/other`]) {
    const refused = await assign(scope, '7c1e0a52-1005-4c6e-9f0a-8d2b7c3e4f05');
    assert.equal(refused.status, 400, refused.text);
    assert.deepEqual(refused.json(), { error: { code: 'RoleDefinitionDoesNotExist', message: `The specified role definition with ID '${name}' does not exist.` } });
  }
  // Outside its assignable scopes the role is not there to read either; at and under them it is.
  assert.equal((await call('GET', definition(`${sub}/resourceGroups/other`, name))).status, 404);
  assert.equal((await call('GET', definition(group, name))).status, 200);

  const granted = await assign(group, '7c1e0a52-2005-4c6e-9f0a-8d2b7c3e4f05');
  assert.equal(granted.status, 201, granted.text);
  const refused = await call('DELETE', definition(group, name));
  assert.equal(refused.status, 409, refused.text);
  assert.deepEqual(refused.json(), { error: { code: 'RoleDefinitionHasAssignments', message: 'There are existing role assignments referencing role.' } });
  assert.equal((await call('GET', definition(group, name))).status, 200, 'still there');

  assert.equal((await call('DELETE', assignment(group, '7c1e0a52-2005-4c6e-9f0a-8d2b7c3e4f05'))).status, 200);
  const deleted = await call('DELETE', definition(group, name));
  assert.equal(deleted.status, 200, deleted.text);
  assert.equal(deleted.json().properties.roleName, 'Group Chat');
  assert.equal((await call('GET', definition(group, name))).status, 404);
  const gone = await assign(group, '7c1e0a52-3005-4c6e-9f0a-8d2b7c3e4f05');
  assert.equal(gone.status, 400, 'a deleted role cannot be assigned');
});

test('an unsupported $filter is 400 UnsupportedQuery; a PUT at the root scope is refused', async () => {
  const res = await call('GET', `${sub}/providers/Microsoft.Authorization/roleDefinitions`, undefined, `&$filter=${encodeURIComponent("startswith(roleName,'A')")}`);
  assert.equal(res.status, 400);
  assert.equal(res.json().error.code, 'UnsupportedQuery');
  const root = await call('PUT', definition('', '7c1e0a52-0006-4c6e-9f0a-8d2b7c3e4f06'), body('Root'));
  assert.equal(root.status, 400, root.text);
  assert.equal(root.json().error.code, 'InvalidRequestContent');
});

test('writing a role needs roleDefinitions/write at the URL scope (AuthorizationFailed) and at each assignable scope (LinkedAuthorizationFailed)', async () => {
  const group = `${sub}/resourceGroups/cr`;
  const owner = await json('ad', 'sp', 'create-for-rbac', '-n', 'group-owner', '--role', 'Owner', '--scopes', group);
  const res = await request(keyless.info.caPath, 'POST', `${keyless.info.baseUrl}/${keyless.info.tenantId}/oauth2/v2.0/token`, {
    form: { grant_type: 'client_credentials', client_id: owner.appId, client_secret: owner.password, scope: `${keyless.info.baseUrl}/.default` },
  });
  assert.equal(res.status, 200, res.text);
  const ownerToken = res.json().access_token as string;
  const oid = (JSON.parse(Buffer.from(ownerToken.split('.')[1] ?? '', 'base64url').toString()) as { oid: string }).oid;
  const put = (scope: string, name: string, assignableScopes: string[]) =>
    request(keyless.info.caPath, 'PUT', `${keyless.info.baseUrl}${definition(scope, name)}?api-version=2022-04-01`, {
      headers: { authorization: `Bearer ${ownerToken}` },
      body: body(`Owner's ${name.slice(-2)}`, { assignableScopes }),
    });
  const WRITE = 'Microsoft.Authorization/roleDefinitions/write';

  const atSubscription = await put(sub, '7c1e0a52-0007-4c6e-9f0a-8d2b7c3e4f07', [group]);
  assert.equal(atSubscription.status, 403, atSubscription.text);
  assert.deepEqual(atSubscription.json(), {
    error: {
      code: 'AuthorizationFailed',
      message: `The client '${owner.appId}' with object id '${oid}' does not have authorization to perform action '${WRITE}' over scope '${sub}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    },
  });
  const linked = await put(group, '7c1e0a52-0008-4c6e-9f0a-8d2b7c3e4f08', [group, `${sub}/resourceGroups/other`]);
  assert.equal(linked.status, 403, linked.text);
  assert.deepEqual(linked.json(), {
    error: {
      code: 'LinkedAuthorizationFailed',
      message: `The client '${owner.appId}' with object id '${oid}' has permission to perform the write, but does not have permission to perform action '${WRITE}' on the linked scope '${sub}/resourceGroups/other' or the linked scope is invalid.`,
    },
  });
  assert.equal((await call('GET', definition(sub, '7c1e0a52-0008-4c6e-9f0a-8d2b7c3e4f08'))).status, 404, 'nothing written');
  const own = await put(group, '7c1e0a52-0009-4c6e-9f0a-8d2b7c3e4f09', [group]);
  assert.equal(own.status, 201, own.text);
  assert.equal(own.json().properties.createdBy, oid);
});

test('malformed bodies and scopes are 400s in ARM dialect, never a 500, and write nothing', async () => {
  const name = '7c1e0a52-0010-4c6e-9f0a-8d2b7c3e4f10';
  const bodies: object[] = [
    {},
    { properties: [] },
    { properties: { roleName: 'x', permissions: 'all', assignableScopes: [sub] } },
    { properties: { roleName: 'x', permissions: [{ actions: [1] }], assignableScopes: [sub] } },
    { properties: { roleName: 'x', permissions: [{ dataActions: {} }], assignableScopes: [sub] } },
    { properties: { roleName: 'x', permissions: [{}], assignableScopes: sub } },
    { properties: { roleName: 'x', permissions: [{}], assignableScopes: [null] } },
    { properties: { roleName: 'x', permissions: [{}], assignableScopes: [`${sub}/resourceGroups`] } },
    { properties: { roleName: ['x'], permissions: [{}], assignableScopes: [sub] } },
  ];
  for (const payload of bodies) {
    const res = await call('PUT', definition(sub, name), payload);
    assert.equal(res.status, 400, `${JSON.stringify(payload)}: ${res.text}`);
    assert.equal(typeof res.json().error.code, 'string');
    assert.equal(typeof res.json().error.message, 'string');
  }
  const odd = await call('PUT', definition(`${sub}/resourceGroups/cr/providers/Microsoft.Web`, name), body('Odd'));
  assert.equal(odd.status, 400, odd.text);
  assert.equal(odd.json().error.code, 'InvalidRequestContent');
  const text = await request(keyless.info.caPath, 'PUT', `${keyless.info.baseUrl}${definition(sub, name)}?api-version=2022-04-01`, {
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{"properties": ',
  });
  assert.equal(text.status, 400, text.text);
  assert.equal((await call('GET', definition(sub, name))).status, 404, 'nothing written');
});
