import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cliJson, runCli, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { adminToken, request } from '../fixtures/http.js';

/**
 * Issue 12's wire details of the control plane, each as Azure answers it:
 * `tags` left out or `{}` per resource provider, systemData with who created
 * and last changed a resource, and deployments through old api-versions
 * (scaleSettings instead of sku).
 */
let keyless: InProcessKeyless;
let admin: string;
let adminAppId: string;
let sub: string;
const json = cliJson(() => keyless.dataDir);
const CS = '2024-10-01';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const call = (method: string, path: string, body?: object, token = admin) =>
  request(keyless.info.caPath, method, `${keyless.info.baseUrl}${sub}${path}`, {
    headers: { authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body }),
  });
const accountPath = (group: string, name: string) => `/resourceGroups/${group}/providers/Microsoft.CognitiveServices/accounts/${name}`;

before(async () => {
  keyless = await startInProcess();
  admin = await adminToken(keyless.info.caPath, keyless.info.baseUrl, keyless.admin());
  adminAppId = keyless.admin().clientId;
  sub = `/subscriptions/${keyless.info.subscriptionId}`;
  await json('group', 'create', '-n', 'fid');
  await json('openai', 'create', '-g', 'fid', '-n', 'fid-openai');
});
after(async () => {
  await keyless.stop();
});

describe('tags when none were given', () => {
  test('a resource group leaves them out; given ones are shown as given', async () => {
    const bare = await call('PUT', '/resourcegroups/fid-bare?api-version=2021-04-01', { location: 'westus' });
    assert.equal(bare.status, 201);
    assert.deepEqual(bare.json(), {
      id: `${sub}/resourceGroups/fid-bare`,
      name: 'fid-bare',
      type: 'Microsoft.Resources/resourceGroups',
      location: 'westus',
      properties: { provisioningState: 'Succeeded' },
    });
    const tagged = await call('PUT', '/resourcegroups/fid-bare?api-version=2021-04-01', { location: 'westus', tags: { team: 'a' } });
    assert.deepEqual(tagged.json().tags, { team: 'a' });
  });

  test('an account leaves them out, a user-assigned identity answers {}', async () => {
    const account = await call('PUT', `${accountPath('fid', 'fid-untagged')}?api-version=${CS}`, { location: 'eastus', kind: 'OpenAI', sku: { name: 'S0' }, properties: {} });
    assert.equal(account.status, 201);
    assert.equal('tags' in account.json(), false);
    const tagged = await call('PATCH', `${accountPath('fid', 'fid-untagged')}?api-version=${CS}`, { tags: { env: 'dev' } });
    assert.deepEqual(tagged.json().tags, { env: 'dev' });

    const identity = await call('PUT', '/resourceGroups/fid/providers/Microsoft.ManagedIdentity/userAssignedIdentities/fid-id?api-version=2023-01-31', { location: 'eastus' });
    assert.equal(identity.status, 201);
    const body = identity.json();
    assert.deepEqual(body, {
      id: `${sub}/resourceGroups/fid/providers/Microsoft.ManagedIdentity/userAssignedIdentities/fid-id`,
      name: 'fid-id',
      type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
      location: 'eastus',
      tags: {},
      properties: { isolationScope: 'None', tenantId: keyless.info.tenantId, principalId: body.properties.principalId, clientId: body.properties.clientId },
      systemData: {
        createdBy: adminAppId, createdByType: 'Application', createdAt: body.systemData.createdAt,
        lastModifiedBy: adminAppId, lastModifiedByType: 'Application', lastModifiedAt: body.systemData.createdAt,
      },
    });
  });
});

describe('systemData: who created and who last changed a resource', () => {
  test('the creator stays, each writer becomes the last modifier: an application by its client id, a managed identity by its client id', async (t) => {
    const path = `${accountPath('fid', 'fid-owned')}?api-version=${CS}`;
    keyless.clock.freeze();
    t.after(() => keyless.clock.unfreeze());
    const created = (await call('PUT', path, { location: 'eastus', kind: 'OpenAI', sku: { name: 'S0' }, properties: {} })).json();
    assert.match(created.systemData.createdAt, ISO);
    assert.deepEqual(created.systemData, {
      createdBy: adminAppId, createdByType: 'Application', createdAt: created.systemData.createdAt,
      lastModifiedBy: adminAppId, lastModifiedByType: 'Application', lastModifiedAt: created.systemData.createdAt,
    });

    // Another application changes it.
    const sp = await json('ad', 'sp', 'create-for-rbac', '-n', 'fid-writer', '--role', 'Contributor', '--scopes', `${sub}/resourceGroups/fid`);
    const spToken = await adminToken(keyless.info.caPath, keyless.info.baseUrl, { tenantId: keyless.info.tenantId, clientId: sp.appId, clientSecret: sp.password });
    keyless.clock.advance(1000);
    const byApp = (await call('PATCH', path, { tags: { by: 'app' } }, spToken)).json();
    assert.deepEqual(byApp.systemData, {
      createdBy: adminAppId, createdByType: 'Application', createdAt: created.systemData.createdAt,
      lastModifiedBy: sp.appId, lastModifiedByType: 'Application', lastModifiedAt: new Date(Date.parse(created.systemData.createdAt) + 1000).toISOString(),
    });

    // A web app's system-assigned identity changes it.
    const web = await json('webapp', 'create', '-g', 'fid', '-n', 'fid-web', '--assign-identity', 'system');
    await json('role', 'assignment', 'create', '--assignee', web.identity.principalId, '--role', 'Contributor', '--scope', `${sub}/resourceGroups/fid`);
    const env = await runCli(keyless.dataDir, ['env', '--as', 'fid-web', '-g', 'fid']);
    const vars = Object.fromEntries(env.stdout.split('\n').filter((l) => l.startsWith('export ')).map((l) => l.slice(7).split(/=(.*)/s).slice(0, 2) as [string, string]));
    const miToken = await fetch(`${vars['IDENTITY_ENDPOINT']}?api-version=2019-08-01&resource=https://management.azure.com`, {
      headers: { 'x-identity-header': vars['IDENTITY_HEADER'] ?? '' },
    }).then(async (r) => ((await r.json()) as { access_token: string; client_id: string }));
    const byIdentity = (await call('PATCH', path, { tags: { by: 'identity' } }, miToken.access_token)).json();
    assert.deepEqual(byIdentity.systemData, {
      createdBy: adminAppId, createdByType: 'Application', createdAt: created.systemData.createdAt,
      lastModifiedBy: miToken.client_id, lastModifiedByType: 'ManagedIdentity', lastModifiedAt: byIdentity.systemData.lastModifiedAt,
    });
    // A GET shows what the last write recorded.
    assert.deepEqual((await call('GET', path)).json().systemData, byIdentity.systemData);
  });

  test('resource groups have none', async () => {
    const group = (await call('GET', '/resourcegroups/fid?api-version=2021-04-01')).json();
    assert.equal('systemData' in group, false);
  });
});

describe('deployments through old api-versions', () => {
  const deployment = (name: string, version: string) => `${accountPath('fid', 'fid-openai')}/deployments/${name}?api-version=${version}`;
  const id = (name: string) => `${sub}${accountPath('fid', 'fid-openai')}/deployments/${name}`;
  const model = { format: 'OpenAI', name: 'gpt-4o-mini', version: '2024-07-18' };

  test('2022-10-01: scaleSettings on write and in the answer, no sku; a newer version shows the sku it set', async () => {
    const put = await call('PUT', deployment('legacy', '2022-10-01'), { properties: { model, scaleSettings: { scaleType: 'Standard', capacity: 5 } } });
    assert.equal(put.status, 201);
    const body = put.json();
    assert.deepEqual(body, {
      id: id('legacy'),
      name: 'legacy',
      type: 'Microsoft.CognitiveServices/accounts/deployments',
      properties: { model, scaleSettings: { scaleType: 'Standard', capacity: 5, activeCapacity: 5 }, provisioningState: 'Succeeded' },
      systemData: body.systemData,
    });
    const modern = (await call('GET', deployment('legacy', '2024-10-01'))).json();
    assert.deepEqual(modern, {
      id: id('legacy'),
      name: 'legacy',
      type: 'Microsoft.CognitiveServices/accounts/deployments',
      sku: { name: 'Standard', capacity: 5 },
      properties: { model, provisioningState: 'Succeeded' },
      systemData: body.systemData,
    });
  });

  test('a deployment made with a sku reads as scaleSettings through 2021-10-01 and 2022-12-01; a PATCH of scaleSettings changes its capacity', async () => {
    await call('PUT', deployment('modern', '2024-10-01'), { sku: { name: 'Standard', capacity: 7 }, properties: { model } });
    for (const version of ['2021-10-01', '2022-03-01', '2022-12-01']) {
      const old = (await call('GET', deployment('modern', version))).json();
      assert.equal('sku' in old, false, version);
      assert.deepEqual(old.properties, { model, scaleSettings: { scaleType: 'Standard', capacity: 7, activeCapacity: 7 }, provisioningState: 'Succeeded' }, version);
    }
    const patched = (await call('PATCH', deployment('modern', '2022-12-01'), { properties: { scaleSettings: { capacity: 9 } } })).json();
    assert.deepEqual(patched.properties.scaleSettings, { scaleType: 'Standard', capacity: 9, activeCapacity: 9 });
    assert.deepEqual((await call('GET', deployment('modern', CS))).json().sku, { name: 'Standard', capacity: 9 });
  });

  test("from 2023-05-01, scaleSettings is Azure's 400", async () => {
    for (const version of ['2023-05-01', CS]) {
      const res = await call('PUT', deployment('refused', version), { sku: { name: 'Standard', capacity: 1 }, properties: { model, scaleSettings: { scaleType: 'Standard' } } });
      assert.equal(res.status, 400, version);
      assert.deepEqual(res.json(), {
        error: { code: 'InvalidResourceProperties', message: "The scale settings of account deployment is deprecated since API version '2023-05-01', please use 'sku' instead." },
      });
    }
    assert.equal((await call('GET', deployment('refused', CS))).status, 404);
  });

  test('a scaleSettings capacity out of range is the sku capacity refusal', async () => {
    const res = await call('PUT', deployment('too-big', '2022-12-01'), { properties: { model, scaleSettings: { scaleType: 'Standard', capacity: 0 } } });
    assert.equal(res.status, 400);
    assert.equal(res.json().error.code, 'InvalidCapacity');
  });
});

describe('subscriptions, as `az login` lists them', () => {
  const listSubscriptions = (token: string) =>
    request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}/subscriptions?api-version=2022-12-01`, { headers: { authorization: `Bearer ${token}` } });
  const appToken = async (name: string) => {
    const sp = await json('ad', 'sp', 'create-for-rbac', '-n', name);
    return { token: await adminToken(keyless.info.caPath, keyless.info.baseUrl, { tenantId: keyless.info.tenantId, clientId: sp.appId, clientSecret: sp.password }), appId: sp.appId as string };
  };

  test("Azure's shape, in Azure's order, with the list's count", async () => {
    const listed = await listSubscriptions(admin);
    assert.equal(listed.status, 200);
    const expected = {
      id: sub,
      authorizationSource: 'RoleBased',
      managedByTenants: [],
      subscriptionId: keyless.info.subscriptionId,
      tenantId: keyless.info.tenantId,
      displayName: 'Keyless',
      state: 'Enabled',
      subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'Keyless_2026-01-01', spendingLimit: 'Off' },
    };
    assert.equal(listed.text, JSON.stringify({ value: [expected], count: { type: 'Total', value: 1 } }));
    const one = await request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}${sub}?api-version=2022-12-01`, { headers: { authorization: `Bearer ${admin}` } });
    assert.equal(one.text, JSON.stringify(expected));
  });

  test('listed to whoever holds a role anywhere in it (one account), not to a principal with none', async () => {
    const scoped = await appToken('fid-account-only');
    const none = await appToken('fid-no-roles');
    await json('role', 'assignment', 'create', '--assignee', scoped.appId, '--role', 'Cognitive Services OpenAI User', '--scope', `${sub}${accountPath('fid', 'fid-openai')}`);
    const seen = await listSubscriptions(scoped.token);
    assert.deepEqual(seen.json().value.map((s: any) => s.subscriptionId), [keyless.info.subscriptionId]);
    const get = await request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}${sub}?api-version=2022-12-01`, { headers: { authorization: `Bearer ${scoped.token}` } });
    assert.equal(get.status, 200);
    const unseen = await listSubscriptions(none.token);
    assert.equal(unseen.text, JSON.stringify({ value: [], count: { type: 'Total', value: 0 } }));
    const denied = await request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}${sub}?api-version=2022-12-01`, { headers: { authorization: `Bearer ${none.token}` } });
    assert.equal(denied.status, 403);
    assert.equal(denied.json().error.code, 'AuthorizationFailed');
  });
});
