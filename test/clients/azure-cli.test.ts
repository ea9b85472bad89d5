import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { ROOT, type KeylessProcess } from '../fixtures/server.js';
import { cliJson } from '../fixtures/cli-thread.js';
import { az, azJson, azReady, azSkip, ci, claims, pythonEnv, pythonReady, refused, run, startAzureCliHarness, signedInAccount } from '../fixtures/azure-cli.js';

/**
 * The real Azure CLI (Debian's azure-cli 2.45, on /usr/bin/python3) and
 * Python's management SDKs (Debian's python3-azure) against a real
 * `keyless up`, unmodified: az registers Keyless as a cloud from its
 * /metadata/endpoints, signs in as a service principal, and manages groups,
 * identities, accounts, keys and deployments, then calls the data plane.
 * How every Python process is kept on loopback: test/fixtures/azure-cli.ts.
 * `az login --identity` inside a web app: azure-cli-identity.test.ts.
 */
const PYTHON_MGMT = path.join(ROOT, 'test/clients/scenarios/python_mgmt.py');

let keyless: KeylessProcess;
let origin: string;
let sub: string;
let tenant: string;
let sp: { appId: string; password: string };
let spObjectId: string;
const json = cliJson(() => keyless.dataDir);

const roleId = (guid: string) => `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

before(async () => {
  if (!azReady && !pythonReady) return;
  ({ keyless, origin } = await startAzureCliHarness());
  sub = keyless.info.subscriptionId;
  tenant = keyless.info.tenantId;
  sp = await json('ad', 'sp', 'create-for-rbac', '-n', 'az-cli', '--role', 'Owner', '--scopes', `/subscriptions/${sub}`);
  spObjectId = (await json('ad', 'sp', 'show', '--id', sp.appId)).id;
});
after(async () => {
  await keyless?.stop();
});

describe('the Azure CLI (az 2.45)', { skip: azSkip }, () => {
  let endpoint: string;
  let keys: { key1: string; key2: string };

  test('az is installed (required when CI=true; .ci/run installs it)', () => {
    assert.ok(azReady, 'az with /usr/bin/python3 is required when CI=true');
  });

  test('az cloud register from /metadata/endpoints alone: the /adfs authority, ARM, its audience, AD Graph', async () => {
    await azJson('cloud', 'register', '-n', 'keyless', '--endpoint-resource-manager', `${origin}/`);
    const cloud = await azJson('cloud', 'show', '-n', 'keyless');
    assert.equal(cloud.endpoints.resourceManager, `${origin}/`);
    assert.equal(cloud.endpoints.activeDirectory, `${origin}/adfs`);
    assert.equal(cloud.endpoints.activeDirectoryResourceId, `${origin}/`);
    assert.equal(cloud.endpoints.management, `${origin}/`);
    assert.equal(cloud.endpoints.activeDirectoryGraphResourceId, `${origin}/`);
    // az 2.45 reads the 2015-01-01 form (msrestazure), which has no Microsoft Graph: one more setting, below.
    assert.equal(cloud.endpoints.microsoftGraphResourceId, null);
  });

  test('az cloud update --cloud-config adds Microsoft Graph; az cloud set', async () => {
    await azJson('cloud', 'update', '-n', 'keyless', '--cloud-config', JSON.stringify({ endpoints: { microsoftGraphResourceId: `${origin}/` } }));
    await azJson('cloud', 'set', '-n', 'keyless');
    const cloud = await azJson('cloud', 'show');
    assert.equal(cloud.name, 'keyless');
    assert.equal(cloud.isActive, true);
    assert.equal(cloud.endpoints.microsoftGraphResourceId, `${origin}/`);
    assert.equal(cloud.endpoints.activeDirectory, `${origin}/adfs`, 'update keeps what register found');
  });

  test('az login --service-principal with a secret and the tenant id: no instance discovery', async () => {
    const accounts = await azJson('login', '--service-principal', '-u', sp.appId, '-p', sp.password, '--tenant', tenant);
    assert.deepEqual(accounts, [signedInAccount(keyless, 'cloudName', accounts[0].name, { name: sp.appId, type: 'servicePrincipal' })]);
  });

  test('az group create, az identity create', async () => {
    const group = await azJson('group', 'create', '-n', 'az-rg', '-l', 'eastus');
    assert.equal(group.id, `/subscriptions/${sub}/resourceGroups/az-rg`);
    assert.equal(group.properties.provisioningState, 'Succeeded');
    const identity = await azJson('identity', 'create', '-g', 'az-rg', '-n', 'az-id');
    assert.equal(identity.type, 'Microsoft.ManagedIdentity/userAssignedIdentities');
    assert.match(identity.clientId, /^[0-9a-f-]{36}$/);
    assert.equal(identity.tenantId, tenant);
  });

  test('az cognitiveservices account create --kind OpenAI', async () => {
    const account = await azJson('cognitiveservices', 'account', 'create', '-g', 'az-rg', '-n', 'az-openai', '--kind', 'OpenAI', '--sku', 'S0', '-l', 'eastus', '--yes');
    assert.equal(account.kind, 'OpenAI');
    assert.equal(account.properties.provisioningState, 'Succeeded');
    endpoint = account.properties.endpoint;
    assert.equal(endpoint, `${origin}/accounts/az-openai/`);
  });

  test('az cognitiveservices account keys list, keys regenerate', async () => {
    keys = await azJson('cognitiveservices', 'account', 'keys', 'list', '-g', 'az-rg', '-n', 'az-openai');
    assert.deepEqual(Object.keys(keys).sort(), ['key1', 'key2']);
    const regenerated = await azJson('cognitiveservices', 'account', 'keys', 'regenerate', '-g', 'az-rg', '-n', 'az-openai', '--key-name', 'key2');
    assert.equal(regenerated.key1, keys.key1);
    assert.notEqual(regenerated.key2, keys.key2);
    keys = regenerated;
  });

  test('az cognitiveservices account deployment create (az 2.45 sends api-version 2022-12-01 with scaleSettings)', async () => {
    const deployment = await azJson(
      'cognitiveservices', 'account', 'deployment', 'create', '-g', 'az-rg', '-n', 'az-openai', '--deployment-name', 'chat',
      '--model-name', 'gpt-4o-mini', '--model-version', '2024-07-18', '--model-format', 'OpenAI', '--scale-settings-scale-type', 'Standard',
    );
    assert.equal(deployment.name, 'chat');
    // az's 2022-12-01 model adds callRateLimit: null to what ARM answered.
    assert.deepEqual({ ...deployment.properties.model, callRateLimit: undefined }, { format: 'OpenAI', name: 'gpt-4o-mini', version: '2024-07-18', callRateLimit: undefined });
    assert.equal(deployment.properties.provisioningState, 'Succeeded');
  });

  test('az ad sp show reads Keyless’s Microsoft Graph', async () => {
    const shown = await azJson('ad', 'sp', 'show', '--id', sp.appId);
    assert.equal(shown.appId, sp.appId);
    assert.equal(shown.id, spObjectId);
  });

  test('a role assignment through az rest (az role assignment create fails inside Debian’s az 2.45 before any request)', async () => {
    // 'RoleAssignmentsOperations' object has no attribute 'config': Debian's azure-mgmt-authorization is newer than az 2.45 expects.
    const broken = await az('role', 'assignment', 'create', '--assignee-object-id', spObjectId, '--assignee-principal-type', 'ServicePrincipal', '--role', 'Cognitive Services OpenAI User', '--scope', `/subscriptions/${sub}/resourceGroups/az-rg`);
    assert.notEqual(broken.code, 0);
    assert.match(broken.stderr, /has no attribute 'config'/);
    const name = randomUUID();
    const assignment = await azJson(
      'rest', '--method', 'put',
      '--url', `/subscriptions/${sub}/resourceGroups/az-rg/providers/Microsoft.Authorization/roleAssignments/${name}?api-version=2022-04-01`,
      '--body', JSON.stringify({ properties: { roleDefinitionId: roleId('5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'), principalId: spObjectId, principalType: 'ServicePrincipal' } }),
    );
    assert.equal(assignment.name, name);
    assert.equal(assignment.properties.principalId, spObjectId);
    const listed = await azJson('rest', '--method', 'get', '--url', `/subscriptions/${sub}/resourceGroups/az-rg/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=atScope()`);
    assert.ok(listed.value.some((a: any) => a.name === name));
  });

  test('az account get-access-token --resource https://cognitiveservices.azure.com', async () => {
    const token = await azJson('account', 'get-access-token', '--resource', 'https://cognitiveservices.azure.com');
    assert.equal(token.tenant, tenant);
    assert.equal(token.subscription, sub);
    const c = claims(token.accessToken);
    assert.equal(c.aud, 'https://cognitiveservices.azure.com');
    assert.equal(c.appid, sp.appId);
    assert.equal(c.oid, spObjectId);
    assert.equal(c.tid, tenant);
    assert.equal(c.iss, `${origin}/${tenant}/`);
  });

  test('az rest to the data plane: a chat completion with the Entra token, then with a key', async () => {
    const url = `${endpoint}openai/deployments/chat/chat/completions?api-version=2024-10-21`;
    const body = JSON.stringify({ messages: [{ role: 'user', content: 'Hello from az' }] });
    const withToken = await azJson('rest', '--method', 'post', '--url', url, '--resource', 'https://cognitiveservices.azure.com', '--body', body);
    assert.equal(withToken.object, 'chat.completion');
    assert.equal(typeof withToken.choices[0].message.content, 'string');
    const withKey = await azJson('rest', '--method', 'post', '--url', url, '--skip-authorization-header', '--headers', `api-key=${keys.key2}`, '--body', body);
    assert.equal(withKey.object, 'chat.completion');
  });

  test('az resource list', async () => {
    const listed = await azJson('resource', 'list', '-g', 'az-rg');
    assert.deepEqual(listed.map((r: any) => `${r.type}/${r.name}`).sort(), [
      'Microsoft.CognitiveServices/accounts/az-openai',
      'Microsoft.ManagedIdentity/userAssignedIdentities/az-id',
    ]);
  });

  test('az provider show -n Microsoft.CognitiveServices', async () => {
    const provider = await azJson('provider', 'show', '-n', 'Microsoft.CognitiveServices');
    assert.equal(provider.namespace, 'Microsoft.CognitiveServices');
    assert.equal(provider.registrationState, 'Registered');
    assert.ok(provider.resourceTypes.some((t: any) => t.resourceType === 'accounts'));
  });

  test('az provider register -n Microsoft.CognitiveServices', async () => {
    const result = await az('provider', 'register', '-n', 'Microsoft.CognitiveServices');
    assert.equal(result.code, 0, result.stderr);
  });

  test('az cognitiveservices account list-models', async () => {
    const models = await azJson('cognitiveservices', 'account', 'list-models', '-g', 'az-rg', '-n', 'az-openai');
    assert.ok(models.some((m: any) => m.name === 'gpt-4o-mini'));
  });

  test('az group delete --yes removes the group and what is in it', async () => {
    const deleted = await az('group', 'delete', '-n', 'az-rg', '--yes');
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(await azJson('group', 'exists', '-n', 'az-rg'), false);
    const resources = await azJson('resource', 'list');
    assert.deepEqual(resources.filter((r: any) => /\/resourceGroups\/az-rg\//i.test(r.id)), []);
  });

  test('az cognitiveservices account list-deleted, show-deleted, purge: the group delete soft-deleted its account', async () => {
    const id = `/subscriptions/${sub}/providers/Microsoft.CognitiveServices/locations/eastus/resourceGroups/az-rg/deletedAccounts/az-openai`;
    const listed = await azJson('cognitiveservices', 'account', 'list-deleted');
    assert.deepEqual(listed.map((a: any) => a.id), [id]);
    const shown = await azJson('cognitiveservices', 'account', 'show-deleted', '-g', 'az-rg', '-n', 'az-openai', '-l', 'eastus');
    assert.equal(shown.id, id);
    assert.equal(Date.parse(shown.properties.scheduledPurgeDate) - Date.parse(shown.properties.deletionDate), 48 * 3600_000);
    const purged = await az('cognitiveservices', 'account', 'purge', '-g', 'az-rg', '-n', 'az-openai', '-l', 'eastus');
    assert.deepEqual({ code: purged.code, stderr: purged.stderr }, { code: 0, stderr: '' });
    assert.deepEqual(await azJson('cognitiveservices', 'account', 'list-deleted'), []);
  });
});
describe("Python's management SDKs (Debian's python3-azure)", { skip: pythonReady || ci ? false : 'python3-azure is not installed' }, () => {
  let steps: Record<string, { ok: boolean; value?: any; error?: string }>;
  const ok = (name: string): any => {
    const step = steps[name];
    assert.ok(step, `no step ${name}`);
    assert.equal(step.error, undefined, name);
    assert.equal(step.ok, true);
    return step.value;
  };

  before(async () => {
    if (!pythonReady) return;
    const result = await run('/usr/bin/python3', [PYTHON_MGMT], pythonEnv({
      KEYLESS_URL: keyless.info.baseUrl,
      KEYLESS_TENANT: tenant,
      KEYLESS_SUBSCRIPTION: sub,
      KEYLESS_CLIENT_ID: sp.appId,
      KEYLESS_SECRET: sp.password,
    }));
    assert.equal(refused(), '', 'the management SDKs tried to leave loopback');
    assert.equal(result.code, 0, result.stderr);
    steps = JSON.parse(result.stdout);
  });

  test('python3-azure is installed (required when CI=true; .ci/run installs it)', () => {
    assert.ok(pythonReady);
  });

  test('resource groups: create_or_update, list', () => {
    assert.equal(ok('groups.create_or_update'), 'pymgmt');
    assert.ok(ok('groups.list').includes('pymgmt'));
  });

  test('accounts: begin_create (kind OpenAI), list_keys', () => {
    assert.deepEqual(ok('accounts.begin_create'), { kind: 'OpenAI', provisioningState: 'Succeeded' });
    assert.deepEqual(ok('accounts.list_keys'), { key1: 64, key2: 64 });
  });

  test('deployments: begin_create_or_update, then a chat completion with key1', () => {
    assert.deepEqual(ok('deployments.begin_create_or_update'), { name: 'chat', model: 'gpt-4o-mini', provisioningState: 'Succeeded' });
    assert.deepEqual(ok('chat with key1'), { status: 200, object: 'chat.completion' });
  });

  test('resources.list', () => {
    assert.deepEqual(ok('resources.list'), ['Microsoft.CognitiveServices/accounts/pymgmt-openai']);
  });

  test("providers.get('Microsoft.CognitiveServices')", () => {
    assert.deepEqual(ok('providers.get'), { namespace: 'Microsoft.CognitiveServices', registrationState: 'Registered', accounts: true });
  });

  test('accounts.list_models, list_skus, list_usages; resource_skus.list', () => {
    assert.ok(ok('accounts.list_models').includes('gpt-4o-mini'));
    assert.ok(ok('accounts.list_skus').includes('S0'));
    assert.ok(ok('resource_skus.list').includes('S0'));
    assert.ok(Array.isArray(ok('accounts.list_usages')));
  });

  test('resource groups: begin_delete', () => {
    assert.equal(ok('groups.begin_delete'), false);
  });
});
