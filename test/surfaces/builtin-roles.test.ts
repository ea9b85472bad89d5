import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_ROLES } from '../../src/rbac/index.js';
import { cliJson, readAdminCredential, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { adminToken, request } from '../fixtures/http.js';
import { ROLE_IDS as ROLE } from '../fixtures/role-ids.js';

/**
 * The built-in catalogue over ARM (issue 12): the definitions exactly as Azure
 * publishes them, the $filters az sends, and two of the new roles at work
 * (Managed Identity Operator's linked assign, Azure AI Account Owner's ABAC condition).
 */
let keyless: InProcessKeyless;
let token: string;
let sub: string;
const json = cliJson(() => keyless.dataDir);
const url = (path: string, query = '') => `${keyless.info.baseUrl}${path}?api-version=2022-04-01${query}`;
const call = (method: string, path: string, body?: object, query = '', bearer = token) =>
  request(keyless.info.caPath, method, url(path, query), { headers: { authorization: `Bearer ${bearer}` }, ...(body === undefined ? {} : { body }) });
const definitions = () => `${sub}/providers/Microsoft.Authorization/roleDefinitions`;
const byRoleName = (name: string) => call('GET', definitions(), undefined, `&$filter=${encodeURIComponent(`roleName eq '${name}'`)}`);
const assignmentPath = (scope: string, name: string) => `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
const oidOf = (jwt: string) => (JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as { oid: string }).oid;

/** A service principal holding `role` at `scope`, and a token for it. */
async function principalWith(name: string, role: string, scope: string): Promise<{ appId: string; oid: string; token: string }> {
  const sp = (await json('ad', 'sp', 'create-for-rbac', '-n', name, '--role', role, '--scopes', scope)) as { appId: string; password: string };
  const res = await request(keyless.info.caPath, 'POST', `${keyless.info.baseUrl}/${keyless.info.tenantId}/oauth2/v2.0/token`, {
    form: { grant_type: 'client_credentials', client_id: sp.appId, client_secret: sp.password, scope: `${keyless.info.baseUrl}/.default` },
  });
  assert.equal(res.status, 200, res.text);
  const access = res.json().access_token as string;
  return { appId: sp.appId, oid: oidOf(access), token: access };
}

/** A built-in role as ARM returns it at the subscription: Azure's published JSON, with the dates Keyless shows for every built-in. */
function asArm(id: string, properties: { roleName: string; description: string; permissions: object[] }): object {
  return {
    id: `${sub}/providers/Microsoft.Authorization/roleDefinitions/${id}`,
    name: id,
    type: 'Microsoft.Authorization/roleDefinitions',
    properties: {
      roleName: properties.roleName,
      type: 'BuiltInRole',
      description: properties.description,
      assignableScopes: ['/'],
      permissions: properties.permissions,
      createdOn: '2015-02-02T21:55:09.8806423Z',
      updatedOn: '2025-01-01T00:00:00.0000000Z',
      createdBy: null,
      updatedBy: null,
    },
  };
}

before(async () => {
  keyless = await startInProcess();
  token = await adminToken(keyless.info.caPath, keyless.info.baseUrl, readAdminCredential(keyless.dataDir));
  sub = `/subscriptions/${keyless.info.subscriptionId}`;
  await json('group', 'create', '-n', 'web');
  await json('group', 'create', '-n', 'ai');
});
after(async () => {
  await keyless.stop();
});

test("$filter=roleName eq '…' finds a built-in by name (any case), with Azure's published definition", async () => {
  const operator = await byRoleName('managed identity operator');
  assert.equal(operator.status, 200, operator.text);
  // MicrosoftDocs/azure-docs built-in-roles/identity.md, JSON block.
  assert.deepEqual(operator.json(), {
    value: [
      asArm('f1a07417-d97a-45cb-824c-7a7467783830', {
        roleName: 'Managed Identity Operator',
        description: 'Read and Assign User Assigned Identity',
        permissions: [
          {
            actions: [
              'Microsoft.ManagedIdentity/userAssignedIdentities/*/read',
              'Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action',
              'Microsoft.Authorization/*/read',
              'Microsoft.Insights/alertRules/*',
              'Microsoft.Resources/subscriptions/resourceGroups/read',
              'Microsoft.Resources/deployments/*',
              'Microsoft.Support/*',
            ],
            notActions: [],
            dataActions: [],
            notDataActions: [],
          },
        ],
      }),
    ],
  });
  // built-in-roles/ai-machine-learning.md, JSON block.
  assert.deepEqual((await byRoleName('Cognitive Services Usages Reader')).json().value, [
    asArm('bba48692-92b0-4667-a9ad-c31c7b334ac2', {
      roleName: 'Cognitive Services Usages Reader',
      description: 'Minimal permission to view Cognitive Services usages.',
      permissions: [{ actions: ['Microsoft.CognitiveServices/locations/usages/read'], notActions: [], dataActions: [], notDataActions: [] }],
    }),
  ]);
  // built-in-roles/privileged.md, JSON block: no condition on the definition.
  assert.deepEqual((await call('GET', `${definitions()}/f58310d9-a9f6-439a-9e8d-f62e7b41a168`)).json(),
    asArm('f58310d9-a9f6-439a-9e8d-f62e7b41a168', {
      roleName: 'Role Based Access Control Administrator',
      description: 'Manage access to Azure resources by assigning roles using Azure RBAC. This role does not allow you to manage access using other ways, such as Azure Policy.',
      permissions: [
        { actions: ['Microsoft.Authorization/roleAssignments/write', 'Microsoft.Authorization/roleAssignments/delete', '*/read', 'Microsoft.Support/*'], notActions: [], dataActions: [], notDataActions: [] },
      ],
    }),
  );
});

test('a role with an ABAC condition shows it on its permission block, as az shows it', async () => {
  const owner = (await byRoleName('Azure AI Account Owner')).json().value[0];
  assert.equal(owner.name, ROLE.azureAiAccountOwner);
  const block = owner.properties.permissions[0];
  assert.equal(block.conditionVersion, '2.0');
  assert.equal(
    block.condition,
    "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals{53ca6127-db72-4b80-b1b0-d745d6d5456d})) AND ((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals{53ca6127-db72-4b80-b1b0-d745d6d5456d}))",
  );
});

test("$filter=type eq 'BuiltInRole' lists the whole catalogue, in its order", async () => {
  const builtIns = await call('GET', definitions(), undefined, `&$filter=${encodeURIComponent("type eq 'BuiltInRole'")}`);
  assert.equal(builtIns.status, 200, builtIns.text);
  const names = builtIns.json().value.map((r: { properties: { roleName: string } }) => r.properties.roleName);
  assert.equal(names.length, 45);
  assert.deepEqual(names, BUILTIN_ROLES.map((r) => r.roleName));
  const both = await call('GET', definitions(), undefined, `&$filter=${encodeURIComponent("roleName eq 'Website Contributor' and type eq 'BuiltInRole'")}`);
  assert.deepEqual(both.json().value.map((r: { name: string }) => r.name), [ROLE.websiteContributor]);
});

test('Website Contributor may put a web app, and attach a user-assigned identity once it is also Managed Identity Operator on it', async () => {
  const group = `${sub}/resourceGroups/web`;
  const identity = (await json('identity', 'create', '-g', 'web', '-n', 'app-id')) as { id: string };
  const deployer = await principalWith('web-deployer', 'Website Contributor', group);
  const site = `${group}/providers/Microsoft.Web/sites/shop`;
  const put = () =>
    request(keyless.info.caPath, 'PUT', `${keyless.info.baseUrl}${site}?api-version=2023-12-01`, {
      headers: { authorization: `Bearer ${deployer.token}` },
      body: { location: 'eastus', identity: { type: 'UserAssigned', userAssignedIdentities: { [identity.id]: {} } } },
    });
  const ASSIGN = 'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action';
  const refused = await put();
  assert.equal(refused.status, 403, refused.text);
  assert.deepEqual(refused.json(), {
    error: {
      code: 'LinkedAuthorizationFailed',
      message: `The client '${deployer.appId}' with object id '${deployer.oid}' has permission to perform the write, but does not have permission to perform action '${ASSIGN}' on the linked scope '${identity.id}' or the linked scope is invalid.`,
    },
  });
  await json('role', 'assignment', 'create', '--assignee', deployer.appId, '--role', 'Managed Identity Operator', '--scope', identity.id);
  const created = await put();
  assert.equal(created.status, 201, created.text);
});

test('Azure AI Account Owner assigns and removes Azure AI User, and is refused any other role with Azure\'s ABAC wording', async () => {
  const group = `${sub}/resourceGroups/ai`;
  const owner = await principalWith('ai-account-owner', 'Azure AI Account Owner', group);
  const member = await principalWith('ai-member', 'Reader', group);
  const assign = (name: string, role: string) =>
    call('PUT', assignmentPath(group, name), { properties: { roleDefinitionId: `${sub}/providers/Microsoft.Authorization/roleDefinitions/${role}`, principalId: member.oid, principalType: 'ServicePrincipal' } }, '', owner.token);
  const abac = (action: string) => ({
    error: {
      code: 'AuthorizationFailed',
      message: `The client '${owner.appId}' with object id '${owner.oid}' does not have authorization or an ABAC condition not fulfilled to perform action '${action}' over scope '${group}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    },
  });

  const toOwner = await assign('7c1e0a52-0c01-4c6e-9f0a-8d2b7c3e4f01', ROLE.owner);
  assert.equal(toOwner.status, 403, toOwner.text);
  assert.deepEqual(toOwner.json(), abac('Microsoft.Authorization/roleAssignments/write'));

  const toUser = await assign('7c1e0a52-0c02-4c6e-9f0a-8d2b7c3e4f02', ROLE.azureAiUser);
  assert.equal(toUser.status, 201, toUser.text);
  const removed = await call('DELETE', assignmentPath(group, '7c1e0a52-0c02-4c6e-9f0a-8d2b7c3e4f02'), undefined, '', owner.token);
  assert.equal(removed.status, 200, removed.text);

  // The Reader assignment create-for-rbac made for the member is not the owner's to remove.
  const readers = (await call('GET', `${group}/providers/Microsoft.Authorization/roleAssignments`, undefined, `&$filter=${encodeURIComponent(`principalId eq '${member.oid}'`)}`)).json().value as { name: string }[];
  assert.equal(readers.length, 1);
  const notOwn = await call('DELETE', assignmentPath(group, readers[0]?.name ?? ''), undefined, '', owner.token);
  assert.equal(notOwn.status, 403, notOwn.text);
  assert.deepEqual(notOwn.json(), abac('Microsoft.Authorization/roleAssignments/delete'));
});

test('an assignment with a condition (as Azure recommends for RBAC Administrator) is refused, never stored unevaluated', async () => {
  const group = `${sub}/resourceGroups/ai`;
  const member = await principalWith('rbac-delegate', 'Reader', group);
  const condition =
    "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAllValues:GuidNotEquals{8e3af657-a8ff-443c-a75c-2fe8c4bcb635, 18d7d88d-d35e-4fb5-a5c3-7773c20a72d9, f58310d9-a9f6-439a-9e8d-f62e7b41a168}))";
  const name = '7c1e0a52-0c03-4c6e-9f0a-8d2b7c3e4f03';
  const res = await call('PUT', assignmentPath(group, name), {
    properties: { roleDefinitionId: `${sub}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.rbacAdmin}`, principalId: member.oid, condition, conditionVersion: '2.0' },
  });
  assert.equal(res.status, 400, res.text);
  assert.deepEqual(res.json(), {
    error: { code: 'UnsupportedRoleAssignmentCondition', message: 'Keyless does not support conditions on role assignments: assign a narrower role, or a custom role, instead.' },
  });
  assert.equal((await call('GET', assignmentPath(group, name))).status, 404);
});
