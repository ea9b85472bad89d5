import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cliJson, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { adminToken, request, type HttpResult } from '../fixtures/http.js';

/**
 * Issue 12, soft delete: a deleted Cognitive Services account is kept for 48
 * hours at its deletedAccounts id (GET, list, purge), holds its name and its
 * custom subdomain (FlagMustBeSetForRestore), and comes back with
 * `properties.restore: true` with its keys and deployments; once its
 * retention ends it is gone. Exact status, body and headers, as Azure answers.
 */
let keyless: InProcessKeyless;
let admin: string;
let sub: string;
const json = cliJson(() => keyless.dataDir);
const CS = 'api-version=2024-10-01';
const HOURS_48 = 48 * 3600_000;

const call = (method: string, path: string, body?: object, token = admin): Promise<HttpResult> =>
  request(keyless.info.caPath, method, `${keyless.info.baseUrl}${sub}${path}`, {
    headers: { authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body }),
  });
const accountPath = (group: string, name: string) => `/resourceGroups/${group}/providers/Microsoft.CognitiveServices/accounts/${name}`;
const deletedPath = (group: string, name: string, location = 'eastus') =>
  `/providers/Microsoft.CognitiveServices/locations/${location}/resourceGroups/${group}/deletedAccounts/${name}`;
const ACCOUNT = { location: 'eastus', kind: 'OpenAI', sku: { name: 'S0' }, properties: {} };
const chat = (name: string, key: string) =>
  request(keyless.info.caPath, 'POST', `${keyless.info.baseUrl}/accounts/${name}/openai/deployments/chat/chat/completions?api-version=2024-10-21`, {
    headers: { 'api-key': key },
    body: { messages: [{ role: 'user', content: 'hi' }] },
  });
const tokenFor = async (role: string, scope: string, name: string): Promise<string> => {
  const sp = await json('ad', 'sp', 'create-for-rbac', '-n', name, '--role', role, '--scopes', scope);
  return adminToken(keyless.info.caPath, keyless.info.baseUrl, { tenantId: keyless.info.tenantId, clientId: sp.appId, clientSecret: sp.password });
};

const OPENAI_USER = '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd';
/** The role definition GUIDs assigned exactly at a scope (the list also shows those inherited from above). */
const assignedAt = async (scope: string): Promise<string[]> => {
  const all = (await json('role', 'assignment', 'list', '--scope', scope)) as { properties: { scope: string; roleDefinitionId: string } }[];
  return all.filter((a) => a.properties.scope.toLowerCase() === scope.toLowerCase()).map((a) => a.properties.roleDefinitionId.split('/').at(-1) ?? '');
};

before(async () => {
  keyless = await startInProcess();
  admin = await adminToken(keyless.info.caPath, keyless.info.baseUrl, keyless.admin());
  sub = `/subscriptions/${keyless.info.subscriptionId}`;
  await json('group', 'create', '-n', 'soft', '-l', 'eastus');
});
after(async () => {
  await keyless.stop();
});

describe('deleting an account keeps it, soft-deleted', () => {
  test('GET at its deletedAccounts id: the account as it was, with deletionDate and scheduledPurgeDate 48 hours later', async (t) => {
    keyless.clock.freeze();
    t.after(() => keyless.clock.unfreeze());
    const created = (await call('PUT', `${accountPath('soft', 'sd-show')}?${CS}`, { ...ACCOUNT, tags: { env: 'dev' } })).json();
    const deleted = await call('DELETE', `${accountPath('soft', 'sd-show')}?${CS}`);
    assert.equal(deleted.status, 200);
    assert.equal(deleted.text, '');
    const deletedAt = new Date(keyless.clock.now()).toISOString();

    const shown = await call('GET', `${deletedPath('soft', 'sd-show')}?${CS}`);
    assert.equal(shown.status, 200);
    assert.match(String(shown.headers['content-type']), /^application\/json/);
    assert.deepEqual(shown.json(), {
      ...created,
      id: `${sub}/providers/Microsoft.CognitiveServices/locations/eastus/resourceGroups/soft/deletedAccounts/sd-show`,
      properties: { ...created.properties, deletionDate: deletedAt, scheduledPurgeDate: new Date(keyless.clock.now() + HOURS_48).toISOString() },
    });
    // The location and the name in the path are matched as Azure's are: any case, display names too.
    assert.equal((await call('GET', `${deletedPath('SOFT', 'SD-SHOW', 'East%20US')}?${CS}`)).status, 200);
  });

  test('the account itself is gone: its GET, the lists, the generic list and the data plane do not see it', async () => {
    const account = await json('openai', 'create', '-g', 'soft', '-n', 'sd-gone');
    await json('openai', 'deployment', 'create', '-g', 'soft', '-n', 'sd-gone', '--deployment-name', 'chat', '--model-name', 'gpt-4o-mini');
    const keys = await json('openai', 'keys', 'list', '-g', 'soft', '-n', 'sd-gone');
    assert.equal((await chat('sd-gone', keys.key1)).status, 200);
    assert.equal((await call('DELETE', `${accountPath('soft', 'sd-gone')}?${CS}`)).status, 200);

    const get = await call('GET', `${accountPath('soft', 'sd-gone')}?${CS}`);
    assert.equal(get.status, 404);
    assert.deepEqual(get.json(), {
      error: {
        code: 'ResourceNotFound',
        message: "The Resource 'Microsoft.CognitiveServices/accounts/sd-gone' under resource group 'soft' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
      },
    });
    const names = (res: HttpResult) => (res.json().value as { name: string }[]).map((r) => r.name);
    assert.ok(!names(await call('GET', `/resourceGroups/soft/providers/Microsoft.CognitiveServices/accounts?${CS}`)).includes('sd-gone'));
    assert.ok(!names(await call('GET', `/providers/Microsoft.CognitiveServices/accounts?${CS}`)).includes('sd-gone'));
    assert.ok(!names(await call('GET', '/resources?api-version=2021-04-01')).includes('sd-gone'));
    assert.equal((await call('GET', `${accountPath('soft', 'sd-gone')}/deployments/chat?${CS}`)).status, 404);
    const dataPlane = await chat('sd-gone', keys.key1);
    assert.equal(dataPlane.status, 404);
    assert.deepEqual(dataPlane.json(), { error: { code: '404', message: 'Resource not found' } });
    assert.ok(names(await call('GET', `/providers/Microsoft.CognitiveServices/deletedAccounts?${CS}`)).includes('sd-gone'));
    assert.equal(account.name, 'sd-gone');
    // Usages count live accounts only; posture finds what it finds on a live account's keys, nothing about the deleted one.
    await json('openai', 'create', '-g', 'soft', '-n', 'sd-live');
    const live = (await call('GET', `/providers/Microsoft.CognitiveServices/accounts?${CS}`)).json().value.filter((a: { location: string }) => a.location === 'eastus').length;
    const usages = (await call('GET', `/providers/Microsoft.CognitiveServices/locations/eastus/usages?${CS}`)).json().value as { name: { value: string }; currentValue: number }[];
    assert.deepEqual([usages.find((u) => u.name.value === 'AccountCount')?.currentValue, live], [1, 1], 'sd-live only');
    const findings = (await json('posture')).value as { resource: string }[];
    const about = (name: string) => findings.some((f) => f.resource.endsWith(`/accounts/${name}`));
    assert.deepEqual([about('sd-live'), about('sd-gone')], [true, false]);
  });

  test('the list: every soft-deleted account of the subscription, in the same shape', async () => {
    await json('openai', 'create', '-g', 'soft', '-n', 'sd-listed');
    await call('DELETE', `${accountPath('soft', 'sd-listed')}?${CS}`);
    const list = await call('GET', `/providers/Microsoft.CognitiveServices/deletedAccounts?${CS}`);
    assert.equal(list.status, 200);
    const listed = (list.json().value as Record<string, unknown>[]).find((a) => a['name'] === 'sd-listed');
    assert.deepEqual(listed, (await call('GET', `${deletedPath('soft', 'sd-listed')}?${CS}`)).json());
    assert.equal(list.json().nextLink, undefined);
  });

  test('a deleted account that is not there: 404, at another location too', async () => {
    const missing = await call('GET', `${deletedPath('soft', 'sd-never')}?${CS}`);
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json(), {
      error: {
        code: 'ResourceNotFound',
        message: "The deleted account 'sd-never' under resource group 'soft' at location 'eastus' was not found. It may never have existed, been restored, or been purged.",
      },
    });
    await json('openai', 'create', '-g', 'soft', '-n', 'sd-where');
    await call('DELETE', `${accountPath('soft', 'sd-where')}?${CS}`);
    assert.equal((await call('GET', `${deletedPath('soft', 'sd-where', 'westus')}?${CS}`)).status, 404);
    assert.equal((await call('PUT', `${deletedPath('soft', 'sd-where')}?${CS}`, {})).status, 405);
  });
});

describe('a soft-deleted account holds its name and its subdomain', () => {
  test("creating it again is Azure's 409 FlagMustBeSetForRestore", async () => {
    await json('openai', 'create', '-g', 'soft', '-n', 'sd-held', '--custom-domain', 'sd-held-domain');
    await call('DELETE', `${accountPath('soft', 'sd-held')}?${CS}`);
    const again = await call('PUT', `${accountPath('soft', 'sd-held')}?${CS}`, ACCOUNT);
    assert.equal(again.status, 409);
    assert.deepEqual(again.json(), {
      error: {
        code: 'FlagMustBeSetForRestore',
        message: `An existing resource with ID '${sub}${accountPath('soft', 'sd-held')}' has been soft-deleted. To restore the resource, you must specify 'restore' to be 'true' in the property. If you don't want to restore existing resource, please purge it first.`,
      },
    });
    // In any case of the name, and with restore false.
    assert.equal((await call('PUT', `${accountPath('soft', 'SD-HELD')}?${CS}`, { ...ACCOUNT, properties: { restore: false } })).status, 409);
  });

  test('another account cannot take its custom subdomain', async () => {
    const taken = await call('PUT', `${accountPath('soft', 'sd-other')}?${CS}`, { ...ACCOUNT, properties: { customSubDomainName: 'SD-HELD-DOMAIN' } });
    assert.equal(taken.status, 409);
    assert.deepEqual(taken.json(), {
      error: {
        code: 'CustomDomainInUse',
        message: `The custom subdomain or account name 'sd-held-domain' is held by the soft-deleted account ${sub}${accountPath('soft', 'sd-held')}. Restore or purge it first.`,
      },
    });
  });
});

describe('restore: a PUT with properties.restore true', () => {
  test('brings it back as it was: same keys, same deployments, role assignments at its scope; a new system-assigned principal', async () => {
    const before = await json('openai', 'create', '-g', 'soft', '-n', 'sd-back', '--assign-identity', 'system', '--tags', 'team=ai');
    await json('openai', 'deployment', 'create', '-g', 'soft', '-n', 'sd-back', '--deployment-name', 'chat', '--model-name', 'gpt-4o-mini');
    const keys = await json('openai', 'keys', 'list', '-g', 'soft', '-n', 'sd-back');
    const user = await json('ad', 'sp', 'create-for-rbac', '-n', 'sd-back-user');
    await json('role', 'assignment', 'create', '--assignee', user.appId, '--role', 'Cognitive Services OpenAI User', '--scope', before.id);
    await call('DELETE', `${accountPath('soft', 'sd-back')}?${CS}`);

    // What `az cognitiveservices account recover` sends: the location and the flag, nothing else.
    const restored = await call('PUT', `${accountPath('soft', 'sd-back')}?${CS}`, { location: 'eastus', properties: { restore: true } });
    assert.equal(restored.status, 201);
    const body = restored.json();
    assert.match(body.identity.principalId, /^[0-9a-f-]{36}$/);
    assert.notEqual(body.identity.principalId, before.identity.principalId);
    assert.deepEqual(body, {
      ...before,
      identity: { ...before.identity, principalId: body.identity.principalId },
      systemData: { ...before.systemData, lastModifiedAt: body.systemData.lastModifiedAt },
    });
    assert.deepEqual(await json('openai', 'keys', 'list', '-g', 'soft', '-n', 'sd-back'), keys);
    assert.equal((await chat('sd-back', keys.key2)).status, 200);
    assert.equal((await call('GET', `${accountPath('soft', 'sd-back')}/deployments/chat?${CS}`)).status, 200);
    assert.deepEqual(await assignedAt(before.id), [OPENAI_USER]);
    assert.equal((await call('GET', `${deletedPath('soft', 'sd-back')}?${CS}`)).status, 404);
    // Restored, it is an account like any other: a second restore flag is an update.
    assert.equal((await call('PUT', `${accountPath('soft', 'sd-back')}?${CS}`, { ...ACCOUNT, properties: { restore: true } })).status, 200);
  });

  test('with nothing to restore: 404; a restore flag that is not a boolean: 400', async () => {
    const nothing = await call('PUT', `${accountPath('soft', 'sd-nothing')}?${CS}`, { location: 'eastus', properties: { restore: true } });
    assert.equal(nothing.status, 404);
    assert.deepEqual(nothing.json(), {
      error: {
        code: 'ResourceNotFound',
        message: `There is no soft-deleted account with ID '${sub}${accountPath('soft', 'sd-nothing')}' to restore. It may never have existed, been restored already, been purged, or its retention may have ended.`,
      },
    });
    const malformed = await call('PUT', `${accountPath('soft', 'sd-nothing')}?${CS}`, { ...ACCOUNT, properties: { restore: 'yes' } });
    assert.equal(malformed.status, 400);
    assert.deepEqual(malformed.json(), { error: { code: 'InvalidRequestContent', message: "The 'properties.restore' property must be a boolean." } });
  });

  test('deleting the group soft-deletes its accounts; they are restored once the group is created again', async () => {
    await json('group', 'create', '-n', 'soft-group', '-l', 'eastus');
    await json('openai', 'create', '-g', 'soft-group', '-n', 'sd-in-group');
    await json('openai', 'deployment', 'create', '-g', 'soft-group', '-n', 'sd-in-group', '--deployment-name', 'chat', '--model-name', 'gpt-4o-mini');
    assert.equal((await call('DELETE', '/resourcegroups/soft-group?api-version=2021-04-01')).status, 200);
    assert.equal((await call('GET', `${deletedPath('soft-group', 'sd-in-group')}?${CS}`)).status, 200);
    const noGroup = await call('PUT', `${accountPath('soft-group', 'sd-in-group')}?${CS}`, { location: 'eastus', properties: { restore: true } });
    assert.equal(noGroup.status, 404);
    assert.deepEqual(noGroup.json(), { error: { code: 'ResourceGroupNotFound', message: "Resource group 'soft-group' could not be found." } });
    await json('group', 'create', '-n', 'soft-group', '-l', 'eastus');
    assert.equal((await call('PUT', `${accountPath('soft-group', 'sd-in-group')}?${CS}`, { location: 'eastus', properties: { restore: true } })).status, 201);
    assert.equal((await call('GET', `${accountPath('soft-group', 'sd-in-group')}/deployments/chat?${CS}`)).status, 200);
  });
});

describe('purge: DELETE at the deletedAccounts id', () => {
  test('200 with no body, then 204; the name is free again, with new keys and no old role assignments', async () => {
    const before = await json('openai', 'create', '-g', 'soft', '-n', 'sd-purged');
    const keys = await json('openai', 'keys', 'list', '-g', 'soft', '-n', 'sd-purged');
    const user = await json('ad', 'sp', 'create-for-rbac', '-n', 'sd-purged-user');
    await json('role', 'assignment', 'create', '--assignee', user.appId, '--role', 'Cognitive Services OpenAI User', '--scope', before.id);
    await call('DELETE', `${accountPath('soft', 'sd-purged')}?${CS}`);

    const purged = await call('DELETE', `${deletedPath('soft', 'sd-purged')}?${CS}`);
    assert.equal(purged.status, 200);
    assert.equal(purged.text, '');
    const again = await call('DELETE', `${deletedPath('soft', 'sd-purged')}?${CS}`);
    assert.equal(again.status, 204);
    assert.equal(again.text, '');
    assert.equal((await call('GET', `${deletedPath('soft', 'sd-purged')}?${CS}`)).status, 404);

    const fresh = await call('PUT', `${accountPath('soft', 'sd-purged')}?${CS}`, ACCOUNT);
    assert.equal(fresh.status, 201);
    assert.notDeepEqual(await json('openai', 'keys', 'list', '-g', 'soft', '-n', 'sd-purged'), keys);
    assert.deepEqual(await assignedAt(before.id), []);
  });

  test("authorized at the subscription, as Azure does: a group's Contributor cannot read or purge; Reader reads, cannot purge", async () => {
    await json('openai', 'create', '-g', 'soft', '-n', 'sd-guarded');
    await call('DELETE', `${accountPath('soft', 'sd-guarded')}?${CS}`);
    const groupContributor = await tokenFor('Contributor', `${sub}/resourceGroups/soft`, 'sd-group-contributor');
    const reader = await tokenFor('Reader', sub, 'sd-reader');
    const refused = async (method: string, path: string, token: string, action: string) => {
      const res = await call(method, `${path}?${CS}`, undefined, token);
      assert.equal(res.status, 403);
      assert.equal(res.json().error.code, 'AuthorizationFailed');
      assert.match(res.json().error.message, new RegExp(`to perform action '${action}' over scope '${sub}' or the scope is invalid`));
    };
    await refused('GET', deletedPath('soft', 'sd-guarded'), groupContributor, 'Microsoft.CognitiveServices/locations/resourceGroups/deletedAccounts/read');
    await refused('GET', '/providers/Microsoft.CognitiveServices/deletedAccounts', groupContributor, 'Microsoft.CognitiveServices/deletedAccounts/read');
    await refused('DELETE', deletedPath('soft', 'sd-guarded'), groupContributor, 'Microsoft.CognitiveServices/locations/resourceGroups/deletedAccounts/delete');
    await refused('DELETE', deletedPath('soft', 'sd-guarded'), reader, 'Microsoft.CognitiveServices/locations/resourceGroups/deletedAccounts/delete');
    assert.equal((await call('GET', `${deletedPath('soft', 'sd-guarded')}?${CS}`, undefined, reader)).status, 200);
    const contributor = await tokenFor('Contributor', sub, 'sd-contributor');
    assert.equal((await call('DELETE', `${deletedPath('soft', 'sd-guarded')}?${CS}`, undefined, contributor)).status, 200);
  });
});

describe('the retention', () => {
  test('48 hours later it is gone: not shown, not listed, and the name can be created again', async () => {
    await json('openai', 'create', '-g', 'soft', '-n', 'sd-expiring');
    await call('DELETE', `${accountPath('soft', 'sd-expiring')}?${CS}`);
    keyless.clock.advance(HOURS_48 - 60_000);
    admin = await adminToken(keyless.info.caPath, keyless.info.baseUrl, keyless.admin());
    assert.equal((await call('GET', `${deletedPath('soft', 'sd-expiring')}?${CS}`)).status, 200);
    keyless.clock.advance(60_000);
    admin = await adminToken(keyless.info.caPath, keyless.info.baseUrl, keyless.admin());
    assert.equal((await call('GET', `${deletedPath('soft', 'sd-expiring')}?${CS}`)).status, 404);
    const listed = (await call('GET', `/providers/Microsoft.CognitiveServices/deletedAccounts?${CS}`)).json().value as { name: string }[];
    assert.deepEqual(listed.map((a) => a.name), []);
    assert.equal((await call('PUT', `${accountPath('soft', 'sd-expiring')}?${CS}`, ACCOUNT)).status, 201);
    assert.equal((await call('PUT', `${accountPath('soft', 'sd-other')}?${CS}`, { ...ACCOUNT, properties: { customSubDomainName: 'sd-held-domain' } })).status, 201);
  });
});
