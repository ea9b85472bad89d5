import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cliJson, readAdminCredential, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { adminToken, request } from '../fixtures/http.js';
import { AZURE_REGION_DISPLAY_NAMES as REGIONS } from '../../src/resources/index.js';

/** Resource providers (`az provider …`), the operations lists, system-assigned identities by scope, and GET/DELETE by id. */
let keyless: InProcessKeyless;
let token: string;
let sub: string;
const json = cliJson(() => keyless.dataDir);
const call = async (method: string, path: string, options: { body?: object | string; as?: string; version?: string; query?: string } = {}) => {
  const url = `${keyless.info.baseUrl}${path}?api-version=${options.version ?? '2025-04-01'}${options.query ?? ''}`;
  const headers: Record<string, string> = { authorization: `Bearer ${options.as ?? token}` };
  const res = await request(keyless.info.caPath, method, url, { headers, ...(options.body !== undefined && { body: options.body }) });
  return { status: res.status, body: res.text === '' ? undefined : res.json() };
};
const tokenOf = (app: { tenant: string; appId: string; password: string }) =>
  adminToken(keyless.info.caPath, keyless.info.baseUrl, { tenantId: app.tenant, clientId: app.appId, clientSecret: app.password });

const COGNITIVE_VERSIONS = [
  '2025-09-01', '2025-07-01-preview', '2025-06-01', '2025-04-01-preview', '2024-10-01', '2024-06-01-preview', '2024-04-01-preview',
  '2023-10-01-preview', '2023-05-01', '2022-12-01', '2022-10-01', '2022-03-01', '2021-10-01', '2021-04-30', '2017-04-18', '2016-02-01-preview',
];
const cognitiveTypes = (aliases: boolean) => [
  { resourceType: 'accounts', locations: REGIONS, apiVersions: COGNITIVE_VERSIONS, ...(aliases && { aliases: [] }),
    capabilities: 'CrossResourceGroupResourceMove, CrossSubscriptionResourceMove, SystemAssignedResourceIdentity, SupportsTags, SupportsLocation' },
  { resourceType: 'accounts/deployments', locations: [], apiVersions: COGNITIVE_VERSIONS.slice(0, 13), ...(aliases && { aliases: [] }), capabilities: 'None' },
  { resourceType: 'operations', locations: [], apiVersions: COGNITIVE_VERSIONS, ...(aliases && { aliases: [] }), capabilities: 'None' },
  ...['locations', 'locations/models', 'locations/usages', 'locations/operationResults', 'deletedAccounts', 'locations/resourceGroups/deletedAccounts', 'skus'].map((resourceType) => (
    { resourceType, locations: [], apiVersions: COGNITIVE_VERSIONS, ...(aliases && { aliases: [] }), capabilities: 'None' })),
];
const NAMESPACES = ['Microsoft.CognitiveServices', 'Microsoft.ManagedIdentity', 'Microsoft.Web', 'Microsoft.Compute', 'Microsoft.Authorization', 'Microsoft.Resources'];

before(async () => {
  keyless = await startInProcess();
  token = await adminToken(keyless.info.caPath, keyless.info.baseUrl, readAdminCredential(keyless.dataDir));
  sub = `/subscriptions/${keyless.info.subscriptionId}`;
  await json('group', 'create', '-n', 'prov');
});
after(async () => keyless.stop());

describe('GET /subscriptions/{s}/providers[/{namespace}]', () => {
  test("one namespace in Azure's Provider shape, any case; $expand=resourceTypes/aliases adds empty aliases", async () => {
    const expected = {
      id: `${sub}/providers/Microsoft.CognitiveServices`,
      namespace: 'Microsoft.CognitiveServices',
      registrationState: 'Registered',
      registrationPolicy: 'RegistrationRequired',
      resourceTypes: cognitiveTypes(false),
    };
    assert.deepEqual(await call('GET', `${sub}/providers/Microsoft.CognitiveServices`), { status: 200, body: expected });
    assert.deepEqual(await call('GET', `${sub}/providers/microsoft.cognitiveservices`, { version: '2021-04-01' }), { status: 200, body: expected });
    const expanded = await call('GET', `${sub}/providers/Microsoft.CognitiveServices`, { query: '&$expand=resourceTypes/aliases' });
    assert.deepEqual(expanded.body, { ...expected, resourceTypes: cognitiveTypes(true) });
  });

  test('the list: every namespace Keyless serves; the registration-free ones are always registered; $top cuts it', async () => {
    const { status, body } = await call('GET', `${sub}/providers`);
    assert.equal(status, 200);
    assert.deepEqual(body.value.map((p: Record<string, string>) => [p['namespace'], p['registrationState'], p['registrationPolicy']]), [
      ['Microsoft.CognitiveServices', 'Registered', 'RegistrationRequired'],
      ['Microsoft.ManagedIdentity', 'Registered', 'RegistrationRequired'],
      ['Microsoft.Web', 'Registered', 'RegistrationRequired'],
      ['Microsoft.Compute', 'Registered', 'RegistrationRequired'],
      ['Microsoft.Authorization', 'Registered', 'RegistrationFree'],
      ['Microsoft.Resources', 'Registered', 'RegistrationFree'],
    ]);
    const identity = body.value[1];
    assert.deepEqual(identity.resourceTypes.map((t: Record<string, string>) => t['resourceType']),
      ['Identities', 'userAssignedIdentities', 'userAssignedIdentities/federatedIdentityCredentials', 'operations']);
    assert.deepEqual(identity.resourceTypes[1].apiVersions.slice(0, 5), ['2026-05-31', '2026-04-30', '2025-05-31-preview', '2025-01-31-preview', '2024-11-30']);
    const top = await call('GET', `${sub}/providers`, { version: '2019-05-01', query: '&$top=2' });
    assert.deepEqual(top.body.value.map((p: Record<string, string>) => p['namespace']), NAMESPACES.slice(0, 2));
    assert.deepEqual(await call('GET', `${sub}/providers`, { query: '&$top=0' }), {
      status: 400,
      body: { error: { code: 'InvalidQueryParameterValue', message: "The value '0' of the query parameter '$top' is not valid: it must be a whole number from 1 to 1000." } },
    });
  });

  test('a namespace Keyless does not serve, known to Azure or not, is 404 InvalidResourceNamespace; another subscription is 404', async () => {
    for (const namespace of ['Microsoft.Storage', 'Contoso.Nothing']) {
      assert.deepEqual(await call('GET', `${sub}/providers/${namespace}`), {
        status: 404,
        body: { error: { code: 'InvalidResourceNamespace', message: `The resource namespace '${namespace}' is invalid.` } },
      });
    }
    const other = '00000000-0000-0000-0000-000000000001';
    assert.deepEqual(await call('GET', `/subscriptions/${other}/providers`), {
      status: 404, body: { error: { code: 'SubscriptionNotFound', message: `The subscription '${other}' could not be found.` } },
    });
  });

  test('reading needs Microsoft.Resources/subscriptions/providers/read at the subscription (Reader has it)', async () => {
    const app = await json('ad', 'sp', 'create-for-rbac', '-n', 'prov-nobody');
    const nobody = await tokenOf(app);
    const sp = await json('ad', 'sp', 'show', '--id', app.appId);
    assert.deepEqual(await call('GET', `${sub}/providers/Microsoft.Web`, { as: nobody }), {
      status: 403,
      body: { error: { code: 'AuthorizationFailed', message: `The client '${app.appId}' with object id '${sp.id}' does not have authorization to perform action 'Microsoft.Resources/subscriptions/providers/read' over scope '${sub}' or the scope is invalid. If access was recently granted, please refresh your credentials.` } },
    });
    // At tenant scope and for the operations lists, any signed-in caller.
    assert.equal((await call('GET', '/providers/Microsoft.Web', { as: nobody })).status, 200);
    assert.equal((await call('GET', '/providers/Microsoft.Web/operations', { as: nobody })).status, 200);
  });
});

describe('GET /providers[/{namespace}] (tenant scope)', () => {
  test('no registration: id, namespace and resource types', async () => {
    const { status, body } = await call('GET', '/providers/Microsoft.Authorization');
    assert.equal(status, 200);
    assert.deepEqual(body, {
      id: '/providers/Microsoft.Authorization',
      namespace: 'Microsoft.Authorization',
      resourceTypes: [
        { resourceType: 'roleAssignments', locations: [], capabilities: 'SupportsExtension', apiVersions: [
          '2022-04-01', '2022-01-01-preview', '2020-10-01-preview', '2020-08-01-preview', '2020-04-01-preview',
          '2020-03-01-preview', '2018-09-01-preview', '2018-01-01-preview', '2017-10-01-preview', '2015-07-01'] },
        { resourceType: 'roleDefinitions', locations: [], capabilities: 'SupportsExtension', apiVersions: ['2022-05-01-preview', '2022-04-01', '2018-01-01-preview', '2015-07-01'] },
        { resourceType: 'operations', locations: [], capabilities: 'None', apiVersions: ['2022-04-01', '2015-07-01'] },
      ],
    });
    const list = await call('GET', '/providers');
    assert.deepEqual(list.body.value.map((p: Record<string, unknown>) => Object.keys(p)), NAMESPACES.map(() => ['id', 'namespace', 'resourceTypes']));
    assert.equal((await call('GET', '/providers/Microsoft.Storage')).status, 404);
  });
});

describe('POST /subscriptions/{s}/providers/{namespace}/register | unregister', () => {
  test("az's empty JSON body and no body both work; the answer is the provider in its new state, which is kept", async () => {
    const unregistered = await call('POST', `${sub}/providers/Microsoft.Compute/unregister`, { body: {} });
    assert.equal(unregistered.status, 200);
    assert.deepEqual({ ...unregistered.body, resourceTypes: undefined }, {
      id: `${sub}/providers/Microsoft.Compute`, namespace: 'Microsoft.Compute', registrationState: 'NotRegistered',
      registrationPolicy: 'RegistrationRequired', resourceTypes: undefined,
    });
    assert.equal((await call('GET', `${sub}/providers/Microsoft.Compute`)).body.registrationState, 'NotRegistered');
    const vm = `${sub}/resourceGroups/prov/providers/Microsoft.Compute/virtualMachines/vm1`;
    const message = "The subscription is not registered to use namespace 'Microsoft.Compute'. See https://aka.ms/rps-not-found for how to register subscriptions.";
    assert.deepEqual(await call('PUT', vm, { body: { location: 'eastus' } }), {
      status: 409,
      body: { error: { code: 'MissingSubscriptionRegistration', message, details: [{ code: 'MissingSubscriptionRegistration', target: 'Microsoft.Compute', message }] } },
    });
    // No body at all, and an empty body sent as JSON (what a client without options may send).
    const registered = await call('POST', `${sub}/providers/Microsoft.Compute/register`);
    assert.equal(registered.body.registrationState, 'Registered');
    const empty = await request(keyless.info.caPath, 'POST', `${keyless.info.baseUrl}${sub}/providers/Microsoft.Compute/register?api-version=2025-04-01`, {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': '0' },
    });
    assert.deepEqual([empty.status, empty.json().registrationState], [200, 'Registered']);
    assert.equal((await call('PUT', vm, { body: { location: 'eastus' } })).status, 201);
  });

  test('a namespace with resources cannot be unregistered; registration-free namespaces stay registered; GET is 405', async () => {
    await json('identity', 'create', '-g', 'prov', '-n', 'keep-me');
    assert.deepEqual(await call('POST', `${sub}/providers/Microsoft.ManagedIdentity/unregister`, { body: {} }), {
      status: 409,
      body: { error: { code: 'Conflict', message: "The resource provider 'Microsoft.ManagedIdentity' cannot be unregistered while the subscription has resources of its types (1). Delete them first." } },
    });
    assert.equal((await call('POST', `${sub}/providers/Microsoft.Resources/unregister`)).body.registrationState, 'Registered');
    assert.equal((await call('GET', `${sub}/providers/Microsoft.Web/register`)).status, 405);
    assert.equal((await call('POST', `${sub}/providers/Microsoft.Storage/register`)).body.error.code, 'InvalidResourceNamespace');
  });

  test('registering needs {namespace}/register/action at the subscription (Reader lacks it)', async () => {
    const app = await json('ad', 'sp', 'create-for-rbac', '-n', 'prov-reader', '--role', 'Reader', '--scopes', sub);
    const reader = await tokenOf(app);
    assert.equal((await call('GET', `${sub}/providers/Microsoft.Web`, { as: reader })).status, 200);
    const denied = await call('POST', `${sub}/providers/Microsoft.Web/register`, { as: reader, body: {} });
    assert.equal(denied.status, 403);
    assert.match(denied.body.error.message, /perform action 'Microsoft\.Web\/register\/action' over scope '\/subscriptions\/[^']+'/);
  });
});

describe('GET /providers/{namespace}/operations', () => {
  test("Azure's OperationListResult: control actions (origin user,system) and data actions (user)", async () => {
    const { status, body } = await call('GET', '/providers/Microsoft.ManagedIdentity/operations', { version: '2024-11-30' });
    assert.equal(status, 200);
    assert.deepEqual(body.value[2], {
      name: 'Microsoft.ManagedIdentity/userAssignedIdentities/read',
      isDataAction: false,
      display: { provider: 'Managed Service Identity', resource: 'User Assigned Identities', operation: 'Get User Assigned Identity', description: 'Gets an existing user assigned identity' },
      origin: 'user,system',
    });
    assert.deepEqual(body.value.map((o: { name: string }) => o.name), [
      'Microsoft.ManagedIdentity/register/action', 'Microsoft.ManagedIdentity/unregister/action',
      'Microsoft.ManagedIdentity/userAssignedIdentities/read', 'Microsoft.ManagedIdentity/userAssignedIdentities/write',
      'Microsoft.ManagedIdentity/userAssignedIdentities/delete', 'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action',
      'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/read',
      'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write',
      'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/delete',
      'Microsoft.ManagedIdentity/identities/read',
    ]);
    const cognitive = await call('GET', '/providers/Microsoft.CognitiveServices/operations');
    const chat = cognitive.body.value.find((o: { name: string }) => o.name.endsWith('/chat/completions/action'));
    assert.deepEqual(chat, {
      name: 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action',
      isDataAction: true,
      display: { provider: 'Microsoft Cognitive Services', resource: 'Deployments', operation: 'Creates a completion for the chat message',
        description: 'Creates a completion for the provided prompt, parameters and chosen model.' },
      origin: 'user',
    });
    assert.deepEqual(await call('GET', '/providers/Microsoft.Storage/operations'), {
      status: 404, body: { error: { code: 'InvalidResourceNamespace', message: "The resource namespace 'Microsoft.Storage' is invalid." } },
    });
  });
});

describe('GET {scope}/providers/Microsoft.ManagedIdentity/identities/default', () => {
  test("the resource's system-assigned identity; 404 when it has none or does not exist", async () => {
    const site = await json('webapp', 'create', '-g', 'prov', '-n', 'sys-app', '--assign-identity', '[system]');
    const principalId = site.identity.principalId as string;
    const sp = await json('ad', 'sp', 'show', '--id', principalId);
    const path = `${site.id}/providers/Microsoft.ManagedIdentity/identities/default`;
    const tenant = keyless.info.tenantId;
    assert.deepEqual(await call('GET', path, { version: '2024-11-30' }), {
      status: 200,
      body: {
        id: `${site.id}/providers/Microsoft.ManagedIdentity/Identities/default`,
        name: 'default',
        type: 'Microsoft.ManagedIdentity/Identities',
        location: site.location,
        tags: {},
        properties: {
          tenantId: tenant, principalId, clientId: sp.appId,
          clientSecretUrl: `${keyless.info.baseUrl}${site.id}/credentials?tid=${tenant}&oid=${principalId}&aid=${sp.appId}`,
        },
      },
    });
    const plain = await json('webapp', 'create', '-g', 'prov', '-n', 'plain-app');
    assert.deepEqual(await call('GET', `${plain.id}/providers/Microsoft.ManagedIdentity/identities/default`), {
      status: 404,
      body: { error: { code: 'ResourceNotFound', message: "The Resource 'Microsoft.ManagedIdentity/identities/default' under resource group 'prov' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix" } },
    });
    const missing = await call('GET', `${sub}/resourceGroups/prov/providers/Microsoft.Web/sites/nope/providers/Microsoft.ManagedIdentity/identities/default`);
    assert.deepEqual(missing, {
      status: 404,
      body: { error: { code: 'ResourceNotFound', message: "The Resource 'Microsoft.Web/sites/nope' under resource group 'prov' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix" } },
    });
  });
});

describe('GET and DELETE by resource id, with the api-version the provider lists', () => {
  test('az resource show --ids picks the newest non-preview version of the type; every type Keyless serves answers it', async () => {
    const account = await json('openai', 'create', '-g', 'prov', '-n', 'byid-openai');
    await json('openai', 'deployment', 'create', '-g', 'prov', '-n', 'byid-openai', '--deployment-name', 'chat', '--model-name', 'gpt-4o-mini');
    const identity = await json('identity', 'create', '-g', 'prov', '-n', 'byid-id');
    const site = await json('webapp', 'create', '-g', 'prov', '-n', 'byid-app');
    const vm = await json('vm', 'create', '-g', 'prov', '-n', 'byid-vm');
    const ids = [account.id, `${account.id}/deployments/chat`, identity.id, site.id, vm.id, `${sub}/resourceGroups/prov`];
    for (const id of ids) {
      const [, namespace, ...rest] = /\/providers\/([^/]+)\/(.*)$/.exec(id) ?? [null, 'Microsoft.Resources', 'resourceGroups/prov'];
      const type = (rest[0] as string).split('/').filter((_, i) => i % 2 === 0).join('/');
      const provider = (await call('GET', `${sub}/providers/${namespace}`)).body;
      const versions: string[] = provider.resourceTypes.find((t: { resourceType: string }) => t.resourceType.toLowerCase() === type.toLowerCase()).apiVersions;
      const version = versions.find((v) => !v.includes('preview')) as string;
      const res = await call('GET', id, { version });
      assert.equal(res.status, 200, `${id} with ${version}`);
      assert.equal(res.body.id, id);
    }
    for (const id of [`${account.id}/deployments/chat`, identity.id, site.id, vm.id, account.id]) {
      assert.equal((await call('DELETE', id, { version: '2024-10-01' })).status, 200, id);
      assert.equal((await call('GET', id, { version: '2024-10-01' })).status, 404, id);
    }
  });
});
