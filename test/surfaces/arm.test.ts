import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readAdminCredential, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { adminToken, request } from '../fixtures/http.js';

/** The control plane's exact answers: ARM's status codes, error bodies and headers. */
let keyless: InProcessKeyless;
let token: string;
let base: string;
let sub: string;
const call = (method: string, path: string, body?: object, bearer: string | null = token) =>
  request(keyless.info.caPath, method, `${keyless.info.baseUrl}${path}`, {
    headers: bearer === null ? {} : { authorization: `Bearer ${bearer}` },
    ...(body === undefined ? {} : { body }),
  });

before(async () => {
  keyless = await startInProcess();
  token = await adminToken(keyless.info.caPath, keyless.info.baseUrl, readAdminCredential(keyless.dataDir));
  base = keyless.info.baseUrl;
  sub = `/subscriptions/${keyless.info.subscriptionId}`;
});
after(async () => {
  await keyless.stop();
});

describe('authentication', () => {
  test('a missing Authorization header is 401 AuthenticationFailed with a WWW-Authenticate challenge', async () => {
    const res = await call('GET', `${sub}/resourcegroups?api-version=2021-04-01`, undefined, null);
    assert.equal(res.status, 401);
    assert.deepEqual(res.json(), {
      error: { code: 'AuthenticationFailed', message: "Authentication failed. The 'Authorization' header is missing." },
    });
    assert.equal(
      res.headers['www-authenticate'],
      `Bearer authorization_uri="${base}/", error="invalid_token", error_description="The authentication failed because of missing 'Authorization' header."`,
    );
  });

  test('a token with a bad signature is 401 InvalidAuthenticationToken', async () => {
    const [h, p] = token.split('.');
    const forged = `${h}.${p}.${Buffer.from('not the signature').toString('base64url')}`;
    const res = await call('GET', `${sub}/resourcegroups?api-version=2021-04-01`, undefined, forged);
    assert.equal(res.status, 401);
    assert.deepEqual(res.json(), { error: { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' } });
    assert.match(String(res.headers['www-authenticate']), /^Bearer authorization_uri=/);
  });

  test('an alg=none token is refused', async () => {
    const [, p] = token.split('.');
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${p}.`;
    const res = await call('GET', `${sub}/resourcegroups?api-version=2021-04-01`, undefined, none);
    assert.equal(res.status, 401);
    assert.equal(res.json().error.code, 'InvalidAuthenticationToken');
  });

  test('a token for another audience is 401 InvalidAuthenticationTokenAudience', async () => {
    const other = await adminToken(keyless.info.caPath, base, readAdminCredential(keyless.dataDir), 'https://cognitiveservices.azure.com');
    const res = await call('GET', `${sub}/resourcegroups?api-version=2021-04-01`, undefined, other);
    assert.equal(res.status, 401);
    const body = res.json();
    assert.equal(body.error.code, 'InvalidAuthenticationTokenAudience');
    assert.match(body.error.message, /^The access token has been obtained for wrong audience or resource 'https:\/\/cognitiveservices\.azure\.com'\. It should exactly match with one of the allowed audiences /);
  });

  test('tokens for management.azure.com and management.core.windows.net are accepted', async () => {
    for (const audience of ['https://management.azure.com', 'https://management.core.windows.net/']) {
      const t = await adminToken(keyless.info.caPath, base, readAdminCredential(keyless.dataDir), audience);
      const res = await call('GET', `${sub}/resourcegroups?api-version=2021-04-01`, undefined, t);
      assert.equal(res.status, 200, audience);
    }
  });
});

describe('validation', () => {
  test('a query parameter given twice is 400 InvalidQueryParameterValue, not a guess', async () => {
    for (const path of [
      `${sub}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=atScope()&$filter=atScope()`,
      `${sub}/providers/Keyless/auditRecords?api-version=2026-01-01&principalId=a&principalId=b`,
      `${sub}/resourcegroups?api-version=2021-04-01&api-version=2021-04-01`,
    ]) {
      const res = await call('GET', path);
      assert.equal(res.status, 400, path);
      assert.equal(res.json().error.code, 'InvalidQueryParameterValue', path);
    }
  });

  test('a name with an encoded slash addresses nothing (no deployment nested in a deployment)', async () => {
    assert.equal((await call('PUT', `${sub}/resourcegroups/slash?api-version=2021-04-01`, { location: 'eastus' })).status, 201);
    const account = `${sub}/resourceGroups/slash/providers/Microsoft.CognitiveServices/accounts`;
    const nested = await call('PUT', `${account}/acct%2Fdeployments%2Fd1/deployments/d2?api-version=2024-10-01`, {
      sku: { name: 'Standard', capacity: 1 },
      properties: { model: { format: 'OpenAI', name: 'gpt-4o-mini', version: '2024-07-18' } },
    });
    assert.equal(nested.status, 404);
    assert.equal(nested.json().error.code, 'NoRegisteredProviderFound');
  });

  test('a malformed identity block is 400, judged before the linked assign permission', async () => {
    assert.equal((await call('PUT', `${sub}/resourcegroups/idblock?api-version=2021-04-01`, { location: 'eastus' })).status, 201);
    const site = `${sub}/resourceGroups/idblock/providers/Microsoft.Web/sites/app?api-version=2023-01-01`;
    const res = await call('PUT', site, { location: 'eastus', identity: { type: 'UserAssigned', userAssignedIdentities: ['x'] } });
    assert.equal(res.status, 400, res.text);
    assert.deepEqual(res.json(), {
      error: { code: 'InvalidRequestContent', message: "The 'identity.userAssignedIdentities' property must be an object keyed by identity resource id." },
    });
  });

  test('PATCH of a group changes its tags and keeps its location; of a missing group, 404', async () => {
    assert.equal((await call('PUT', `${sub}/resourcegroups/patched?api-version=2021-04-01`, { location: 'westus', tags: { a: '1' } })).status, 201);
    const patched = await call('PATCH', `${sub}/resourcegroups/patched?api-version=2021-04-01`, { tags: { b: '2' } });
    assert.equal(patched.status, 200);
    assert.deepEqual([patched.json().location, patched.json().tags], ['westus', { b: '2' }]);
    const missing = await call('PATCH', `${sub}/resourcegroups/never-made?api-version=2021-04-01`, { tags: {} });
    assert.equal(missing.status, 404);
    assert.equal(missing.json().error.code, 'ResourceGroupNotFound');
  });

  test('a group PUT in another location is 409 InvalidResourceGroupLocation', async () => {
    assert.equal((await call('PUT', `${sub}/resourcegroups/located?api-version=2021-04-01`, { location: 'eastus' })).status, 201);
    const moved = await call('PUT', `${sub}/resourcegroups/located?api-version=2021-04-01`, { location: 'westus' });
    assert.equal(moved.status, 409);
    assert.deepEqual(moved.json(), {
      error: { code: 'InvalidResourceGroupLocation', message: "Invalid resource group location 'westus'. The Resource group already exists in location 'eastus'." },
    });
  });

  test('a missing api-version is 400 MissingApiVersionParameter', async () => {
    const res = await call('GET', `${sub}/resourcegroups`);
    assert.equal(res.status, 400);
    assert.deepEqual(res.json(), {
      error: { code: 'MissingApiVersionParameter', message: 'The api-version query parameter (?api-version=) is required for all requests.' },
    });
  });

  test('a malformed api-version is 400 InvalidApiVersionParameter', async () => {
    const res = await call('GET', `${sub}/resourcegroups?api-version=latest`);
    assert.equal(res.status, 400);
    assert.equal(res.json().error.code, 'InvalidApiVersionParameter');
  });

  test('an unknown group is 404 ResourceGroupNotFound', async () => {
    const res = await call('GET', `${sub}/resourcegroups/nope?api-version=2021-04-01`);
    assert.equal(res.status, 404);
    assert.deepEqual(res.json(), { error: { code: 'ResourceGroupNotFound', message: "Resource group 'nope' could not be found." } });
  });

  test('an invalid resource name is 400 InvalidResourceName and writes nothing', async () => {
    await call('PUT', `${sub}/resourcegroups/val-rg?api-version=2021-04-01`, { location: 'eastus' });
    const res = await call('PUT', `${sub}/resourceGroups/val-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/a!b?api-version=2023-01-31`, {});
    assert.equal(res.status, 400);
    assert.equal(res.json().error.code, 'InvalidResourceName');
    const list = await call('GET', `${sub}/resourceGroups/val-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities?api-version=2023-01-31`);
    assert.deepEqual(list.json(), { value: [] });
  });

  test('malformed JSON is 400 InvalidRequestContent, never 500', async () => {
    const res = await request(keyless.info.caPath, 'PUT', `${base}${sub}/resourcegroups/x?api-version=2021-04-01`, {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"location": ',
    });
    assert.equal(res.status, 400);
    assert.equal(res.json().error.code, 'InvalidRequestContent');
  });

  test('a bad identity type is refused and the resource is not created', async () => {
    const res = await call('PUT', `${sub}/resourceGroups/val-rg/providers/Microsoft.Web/sites/app1?api-version=2023-12-01`, {
      identity: { type: 'Magic' },
    });
    assert.equal(res.status, 400);
    assert.equal(res.json().error.code, 'InvalidIdentity');
    const get = await call('GET', `${sub}/resourceGroups/val-rg/providers/Microsoft.Web/sites/app1?api-version=2023-12-01`);
    assert.equal(get.status, 404);
    assert.equal(get.json().error.code, 'ResourceNotFound');
  });

  test('role assignment errors: unknown role, unknown principal, non-GUID name', async () => {
    const path = (name: string) => `${sub}/providers/Microsoft.Authorization/roleAssignments/${name}?api-version=2022-04-01`;
    const role = `${sub}/providers/Microsoft.Authorization/roleDefinitions`;
    const principal = '00000000-0000-0000-0000-000000000001';
    const unknownRole = await call('PUT', path('9f8b3d3e-0000-4000-8000-000000000001'), {
      properties: { roleDefinitionId: `${role}/00000000-0000-0000-0000-000000000000`, principalId: principal },
    });
    assert.equal(unknownRole.status, 400);
    assert.deepEqual(unknownRole.json(), {
      error: { code: 'RoleDefinitionDoesNotExist', message: "The specified role definition with ID '00000000-0000-0000-0000-000000000000' does not exist." },
    });
    const unknownPrincipal = await call('PUT', path('9f8b3d3e-0000-4000-8000-000000000002'), {
      properties: { roleDefinitionId: `${role}/acdd72a7-3385-48ef-bd42-f606fba81ae7`, principalId: principal },
    });
    assert.equal(unknownPrincipal.status, 400);
    assert.equal(unknownPrincipal.json().error.code, 'PrincipalNotFound');
    const badName = await call('PUT', path('not-a-guid'), {
      properties: { roleDefinitionId: `${role}/acdd72a7-3385-48ef-bd42-f606fba81ae7`, principalId: principal },
    });
    assert.equal(badName.status, 400);
    assert.equal(badName.json().error.code, 'InvalidRoleAssignmentId');
  });
});

describe('deployment capacity', () => {
  let deployments: string;
  before(async () => {
    assert.equal((await call('PUT', `${sub}/resourcegroups/capacity?api-version=2021-04-01`, { location: 'eastus' })).status, 201);
    const account = `${sub}/resourceGroups/capacity/providers/Microsoft.CognitiveServices/accounts/cap`;
    const created = await call('PUT', `${account}?api-version=2024-10-01`, { kind: 'OpenAI', location: 'eastus', sku: { name: 'S0' }, properties: {} });
    assert.ok(created.status === 200 || created.status === 201, String(created.status));
    deployments = `${account}/deployments`;
  });
  const model = { format: 'OpenAI', name: 'gpt-4o-mini', version: '2024-07-18' };

  test('a deployment without sku, or with a sku without capacity, gets the generous default: 1,000 units', async () => {
    const bare = await call('PUT', `${deployments}/bare?api-version=2024-10-01`, { properties: { model } });
    assert.equal(bare.status, 201);
    assert.deepEqual(bare.json().sku, { name: 'Standard', capacity: 1000 });
    const named = await call('PUT', `${deployments}/named?api-version=2024-10-01`, { sku: { name: 'GlobalStandard' }, properties: { model } });
    assert.deepEqual(named.json().sku, { name: 'GlobalStandard', capacity: 1000 });
  });

  test('a given capacity is kept, from 1 to 150,000, and a later PUT without sku keeps it', async () => {
    for (const capacity of [1, 150_000]) {
      const res = await call('PUT', `${deployments}/c${capacity}?api-version=2024-10-01`, { sku: { name: 'Standard', capacity }, properties: { model } });
      assert.equal(res.status, 201);
      assert.deepEqual(res.json().sku, { name: 'Standard', capacity });
    }
    const again = await call('PUT', `${deployments}/c1?api-version=2024-10-01`, { properties: { model } });
    assert.equal(again.status, 200);
    assert.deepEqual(again.json().sku, { name: 'Standard', capacity: 1 });
  });

  test('a capacity that is not a whole number from 1 to 150,000 is 400 InvalidCapacity in ARM\'s words, and writes nothing', async () => {
    for (const [capacity, shown] of [[0, '0'], [-5, '-5'], [1.5, '1.5'], [150_001, '150001'], ['10', '10'], [true, 'true'], [{ n: 1 }, '{"n":1}']] as const) {
      const res = await call('PUT', `${deployments}/bad?api-version=2024-10-01`, { sku: { name: 'Standard', capacity }, properties: { model } });
      assert.equal(res.status, 400, String(capacity));
      assert.deepEqual(res.json(), {
        error: { code: 'InvalidCapacity', message: `The specified capacity '${shown}' of account deployment should be greater than 0 and no more than 150000.` },
      });
    }
    assert.equal((await call('GET', `${deployments}/bad?api-version=2024-10-01`)).status, 404);
  });
});

describe('authorization', () => {
  test('a principal with only Reader can read but gets 403 AuthorizationFailed on writes', async () => {
    const admin = readAdminCredential(keyless.dataDir);
    const assignments = await call('GET', `${sub}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`);
    const owner = (assignments.json().value as any[]).find((a) => a.properties.roleDefinitionId.endsWith('8e3af657-a8ff-443c-a75c-2fe8c4bcb635'));
    const adminObjectId = owner.properties.principalId as string;
    const reader = await call('PUT', `${sub}/providers/Microsoft.Authorization/roleAssignments/11111111-2222-4333-8444-555555555555?api-version=2022-04-01`, {
      properties: { roleDefinitionId: `${sub}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`, principalId: adminObjectId },
    });
    assert.equal(reader.status, 201);
    const removed = await call('DELETE', `${owner.id}?api-version=2022-04-01`);
    assert.equal(removed.status, 200);

    const read = await call('GET', `${sub}/resourcegroups?api-version=2021-04-01`);
    assert.equal(read.status, 200);
    const write = await call('PUT', `${sub}/resourcegroups/denied?api-version=2021-04-01`, { location: 'eastus' });
    assert.equal(write.status, 403);
    assert.deepEqual(write.json(), {
      error: {
        code: 'AuthorizationFailed',
        message: `The client '${admin.clientId}' with object id '${adminObjectId}' does not have authorization to perform action 'Microsoft.Resources/subscriptions/resourceGroups/write' over scope '${sub}/resourceGroups/denied' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      },
    });
  });
});

describe('malformed URLs', () => {
  test('bad percent-encoding gets a plain JSON 400, not the framework\'s own error', async () => {
    const res = await call('GET', `${sub}/resourcegroups/%ZZ?api-version=2021-04-01`);
    assert.equal(res.status, 400);
    assert.deepEqual(res.json(), { error: { code: 'InvalidRequest', message: 'The request URL is malformed.' } });
  });
});
