import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { resourceEntity, type Resource, type ResourceAddress, type ResourceBody } from '../../src/resources/index.js';
import { principalEntity } from '../../src/directory/index.js';
import { accountKeyEntity } from '../../src/keys/index.js';
import { assignmentEntity } from '../../src/rbac/index.js';
import { upstreamEntity } from '../../src/upstreams/index.js';
import { describeEachDialect, type Core } from '../fixtures/core.js';

const UAI = 'Microsoft.ManagedIdentity/userAssignedIdentities';
const ACCOUNT = 'Microsoft.CognitiveServices/accounts';
const DEPLOYMENT = 'Microsoft.CognitiveServices/accounts/deployments';
const SITE = 'Microsoft.Web/sites';
const VM = 'Microsoft.Compute/virtualMachines';

const ROLE = {
  openAiUser: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd',
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
};
const CHAT = 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action';

describeEachDialect('resource and RBAC lifecycles', (open) => {
  let core: Core;
  before(async () => {
    core = await open();
  });
  after(async () => {
    await core?.close();
  });

  const at = (type: string, group: string, ...names: string[]): ResourceAddress => ({ type, group, names });
  const put = (address: ResourceAddress, body: ResourceBody) => core.resources.put(address, body, 'put');
  const patch = (address: ResourceAddress, body: ResourceBody) => core.resources.put(address, body, 'patch');
  const group = (name: string, location = 'eastus') => core.resources.putGroup(name, { location });
  const roleId = (guid: string) => `/subscriptions/${core.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
  const uai = async (rg: string, name: string): Promise<{ resource: Resource; principalId: string }> => {
    const { resource } = await put(at(UAI, rg, name), { location: 'eastus' });
    return { resource, principalId: String(resource.properties['principalId']) };
  };
  /** Whether the principal exists in the database itself, not only in the read model. */
  const storedPrincipal = async (objectId: string) => (await core.store.load(principalEntity, objectId)).value;

  test('resource groups: create, again, location mismatch, invalid names', async () => {
    const first = await core.resources.putGroup('rg-Life', { location: 'East US', tags: { team: 'a' } });
    assert.equal(first.created, true);
    assert.equal(first.group.location, 'eastus');
    assert.equal(first.group.id, `/subscriptions/${core.subscriptionId}/resourceGroups/rg-Life`);
    assert.deepEqual(first.group.tags, { team: 'a' });

    const again = await core.resources.putGroup('rg-life', { location: 'eastus' });
    assert.equal(again.created, false);
    assert.equal(again.group.name, 'rg-Life', 'the first spelling stays');
    assert.deepEqual(again.group.tags, { team: 'a' }, 'tags kept when not given');

    await assert.rejects(core.resources.putGroup('rg-life', { location: 'westus' }), { code: 'InvalidResourceGroupLocation' });
    assert.equal(core.resources.getGroup('rg-life').location, 'eastus');

    for (const bad of ['rg/slash', 'ends-with-dot.', 'a'.repeat(91), '', 'has space', 'star*']) {
      await assert.rejects(core.resources.putGroup(bad, { location: 'eastus' }), { code: 'InvalidResourceGroup' }, `group name ${JSON.stringify(bad)}`);
    }
    await assert.rejects(core.resources.putGroup('rg-noloc', {}), { code: 'LocationRequired' });

    for (const [type, name] of [
      [UAI, 'ab'],
      [UAI, '-starts-with-hyphen'],
      [ACCOUNT, 'ends-with-hyphen-'],
      [ACCOUNT, 'under_score'],
      [SITE, 'under_score'],
      [VM, 'ends.'],
    ] as const) {
      await assert.rejects(put(at(type, 'rg-life', name), { location: 'eastus', kind: 'OpenAI' }), { code: 'InvalidResourceName' }, `${type} ${name}`);
    }
    assert.deepEqual(core.resources.list(UAI, 'rg-life'), []);
    await assert.rejects(put(at(UAI, 'rg-missing', 'id-x'), { location: 'eastus' }), { code: 'ResourceGroupNotFound' });
  });

  test('user-assigned identity: its principal, its properties, and a PUT again keeps them', async () => {
    await group('rg-uai');
    const created = await put(at(UAI, 'rg-uai', 'id-one'), { location: 'eastus' });
    assert.equal(created.created, true);
    const id = created.resource;
    const { principalId, clientId, tenantId } = id.properties as Record<string, string>;
    assert.equal(tenantId, core.tenantId);
    assert.ok(principalId && clientId);
    const principal = core.directory.principal(principalId);
    assert.equal(principal?.kind, 'UserAssignedIdentity');
    assert.equal(principal?.resourceId, id.id);
    assert.equal(principal?.appId, clientId);
    assert.deepEqual(core.directory.principalByAppId(clientId), principal);
    assert.deepEqual(await storedPrincipal(principalId), principal);

    const again = await put(at(UAI, 'rg-uai', 'id-one'), { location: 'eastus', tags: { v: '2' } });
    assert.equal(again.created, false);
    assert.equal(again.resource.properties['principalId'], principalId);
    assert.equal(again.resource.properties['clientId'], clientId);
    assert.equal(again.resource.properties['tenantId'], core.tenantId);
    assert.deepEqual(again.resource.tags, { v: '2' });
    assert.equal([...core.model.table(principalEntity).values()].filter((p) => p.resourceId === id.id).length, 1, 'no second principal');

    assert.equal(await core.resources.delete(at(UAI, 'rg-uai', 'id-one')), true);
    assert.equal(core.directory.principal(principalId), undefined, 'deleting the identity deletes its principal');
    assert.equal(await storedPrincipal(principalId), undefined);
  });

  test('system-assigned identity: lives with its host, disabled deletes it, enabling again makes a new one', async () => {
    await group('rg-sys');
    const site = at(SITE, 'rg-sys', 'web-sys');
    const { resource } = await put(site, { location: 'eastus', identity: { type: 'SystemAssigned' } });
    const first = resource.identity?.systemPrincipalId;
    assert.ok(first);
    assert.deepEqual(resource.identity?.userAssigned, []);
    const principal = core.directory.principal(first);
    assert.equal(principal?.kind, 'SystemAssignedIdentity');
    assert.equal(principal?.resourceId, resource.id);

    const again = await put(site, { location: 'eastus', identity: { type: 'SystemAssigned' } });
    assert.equal(again.resource.identity?.systemPrincipalId, first, 'a PUT again keeps the principal');
    const tagged = await patch(site, { tags: { only: 'tags' } });
    assert.equal(tagged.resource.identity?.systemPrincipalId, first, 'a PATCH without an identity block keeps it');

    const disabled = await patch(site, { identity: { type: 'None' } });
    assert.equal(disabled.resource.identity, null);
    assert.equal(core.directory.principal(first), undefined);
    assert.equal(await storedPrincipal(first), undefined);

    const enabled = await patch(site, { identity: { type: 'SystemAssigned' } });
    const second = enabled.resource.identity?.systemPrincipalId;
    assert.ok(second);
    assert.notEqual(second, first);
    assert.equal(core.directory.principal(second)?.resourceId, resource.id);

    assert.equal(await core.resources.delete(site), true);
    assert.equal(core.directory.principal(second), undefined);
    assert.equal(await storedPrincipal(second), undefined);
    assert.throws(() => core.resources.get(site), { code: 'ResourceNotFound' });
    assert.equal(await core.resources.delete(site), false, 'deleting again finds nothing');
  });

  test('a user-assigned identity on two hosts outlives both; unknown identities and empty lists are refused', async () => {
    await group('rg-ids');
    await group('rg-hosts');
    const { resource: identity, principalId } = await uai('rg-ids', 'id-shared');
    const web = at(SITE, 'rg-hosts', 'web-shared');
    const vm = at(VM, 'rg-hosts', 'vm-shared');
    const onWeb = await put(web, {
      location: 'eastus',
      identity: { type: 'SystemAssigned, UserAssigned', userAssignedIdentities: { [identity.id]: {} } },
    });
    const onVm = await put(vm, { location: 'eastus', identity: { type: 'UserAssigned', userAssignedIdentities: { [identity.id]: {} } } });
    assert.deepEqual(onWeb.resource.identity?.userAssigned, [identity.id]);
    assert.ok(onWeb.resource.identity?.systemPrincipalId);
    assert.deepEqual(onVm.resource.identity, {
      systemPrincipalId: null,
      userAssigned: [identity.id],
      userAssignedPrincipals: { [identity.key]: identity.properties['principalId'] },
    });

    const webPrincipal = onWeb.resource.identity.systemPrincipalId;
    await core.resources.delete(web);
    await core.resources.delete(vm);
    assert.equal(core.directory.principal(webPrincipal), undefined, "the web app's own identity goes");
    assert.deepEqual(core.resources.get(at(UAI, 'rg-ids', 'id-shared')), identity);
    assert.equal(core.directory.principal(principalId)?.resourceId, identity.id);
    assert.ok(await storedPrincipal(principalId));

    const missing = `/subscriptions/${core.subscriptionId}/resourceGroups/rg-ids/providers/${UAI}/id-not-there`;
    await assert.rejects(
      put(vm, { location: 'eastus', identity: { type: 'UserAssigned', userAssignedIdentities: { [missing]: {} } } }),
      { code: 'FailedIdentityOperation' },
    );
    await assert.rejects(put(vm, { location: 'eastus', identity: { type: 'UserAssigned' } }), { code: 'InvalidIdentity' });
    await assert.rejects(put(vm, { location: 'eastus', identity: { type: 'UserAssigned', userAssignedIdentities: {} } }), { code: 'InvalidIdentity' });
    // A refused system+user request does not leave a system principal behind either.
    const before = core.model.table(principalEntity).size;
    await assert.rejects(
      put(vm, { location: 'eastus', identity: { type: 'SystemAssigned, UserAssigned', userAssignedIdentities: { [missing]: {} } } }),
      { code: 'FailedIdentityOperation' },
    );
    assert.equal(core.model.table(principalEntity).size, before);
    assert.throws(() => core.resources.get(vm), { code: 'ResourceNotFound' });
  });

  test('PATCH merges user-assigned identities and a null entry removes one; PUT replaces the list', async () => {
    await group('rg-patch');
    const { resource: one } = await uai('rg-patch', 'id-p1');
    const { resource: two } = await uai('rg-patch', 'id-p2');
    const vm = at(VM, 'rg-patch', 'vm-patch');
    await put(vm, { location: 'eastus', identity: { type: 'UserAssigned', userAssignedIdentities: { [one.id]: {} } } });

    const merged = await patch(vm, { identity: { type: 'UserAssigned', userAssignedIdentities: { [two.id]: {} } } });
    assert.deepEqual([...(merged.resource.identity?.userAssigned ?? [])].sort(), [one.id, two.id].sort());

    const removed = await patch(vm, { identity: { type: 'UserAssigned', userAssignedIdentities: { [one.id]: null } } });
    assert.deepEqual(removed.resource.identity?.userAssigned, [two.id]);

    // Ids compare case-insensitively: removing with another spelling works.
    await patch(vm, { identity: { type: 'UserAssigned', userAssignedIdentities: { [one.id]: {} } } });
    const upper = await patch(vm, { identity: { type: 'UserAssigned', userAssignedIdentities: { [one.id.toUpperCase()]: null } } });
    assert.deepEqual(upper.resource.identity?.userAssigned, [two.id]);

    await assert.rejects(
      patch(vm, { identity: { type: 'UserAssigned', userAssignedIdentities: { [two.id]: null } } }),
      { code: 'InvalidIdentity' },
      'removing the last one of a UserAssigned list is refused',
    );

    await patch(vm, { identity: { type: 'UserAssigned', userAssignedIdentities: { [one.id]: {} } } });
    const replaced = await put(vm, { location: 'eastus', identity: { type: 'UserAssigned', userAssignedIdentities: { [one.id]: {} } } });
    assert.deepEqual(replaced.resource.identity?.userAssigned, [one.id], 'PUT replaces the list');
    assert.equal(core.resources.get(vm).identity?.userAssigned.length, 1);
  });

  test('OpenAI account: keys, regenerate, disableLocalAuth, deployments, and deletion', async () => {
    await group('rg-aoai');
    const account = at(ACCOUNT, 'rg-aoai', 'aoai-life');
    const { resource, created } = await put(account, { location: 'eastus', kind: 'OpenAI', sku: { name: 'S0' } });
    assert.equal(created, true);
    assert.equal(resource.kind, 'OpenAI');
    assert.deepEqual(resource.sku, { name: 'S0' });
    assert.equal(resource.properties['disableLocalAuth'], false);

    const keys = await core.resources.listKeys('rg-aoai', 'aoai-life');
    assert.match(keys.key1, /^[0-9a-f]{64}$/);
    assert.match(keys.key2, /^[0-9a-f]{64}$/);
    assert.notEqual(keys.key1, keys.key2);
    assert.deepEqual(core.keys.match(keys.key1), { accountKey: resource.key, keyName: 'key1' });
    assert.deepEqual(core.keys.match(keys.key2), { accountKey: resource.key, keyName: 'key2' });
    assert.deepEqual(await core.resources.listKeys('rg-aoai', 'aoai-life'), keys, 'listing again gives the same keys');
    const putAgain = await put(account, { location: 'eastus', kind: 'OpenAI', sku: { name: 'S0' } });
    assert.equal(putAgain.created, false);
    assert.deepEqual(await core.resources.listKeys('rg-aoai', 'aoai-life'), keys, 'a PUT again keeps the keys');

    const regenerated = await core.resources.regenerateKey('rg-aoai', 'aoai-life', 'Key1');
    assert.notEqual(regenerated.key1, keys.key1);
    assert.equal(regenerated.key2, keys.key2);
    assert.equal(core.keys.match(keys.key1), undefined, 'the old key1 no longer matches');
    assert.deepEqual(core.keys.match(regenerated.key1), { accountKey: resource.key, keyName: 'key1' });
    assert.deepEqual(core.keys.match(keys.key2), { accountKey: resource.key, keyName: 'key2' });
    assert.deepEqual(await core.resources.listKeys('rg-aoai', 'aoai-life'), regenerated);
    await assert.rejects(core.resources.regenerateKey('rg-aoai', 'aoai-life', 'Key3'), { code: 'InvalidKeyName' });

    const deployment = await put(at(DEPLOYMENT, 'rg-aoai', 'aoai-life', 'chat'), {
      properties: { model: { format: 'OpenAI', name: 'gpt-4o', version: '2024-08-06' } },
    });
    assert.equal(deployment.created, true);
    assert.equal(deployment.resource.parentKey, resource.key);
    assert.equal(deployment.resource.id, `${resource.id}/deployments/chat`);
    assert.equal(deployment.resource.location, resource.location);
    assert.deepEqual(core.resources.list(DEPLOYMENT, 'rg-aoai', ['aoai-life']).map((d) => d.name), ['chat']);
    await assert.rejects(
      put(at(DEPLOYMENT, 'rg-aoai', 'no-such-account', 'chat'), { properties: { model: { name: 'gpt-4o' } } }),
      { code: 'ParentResourceNotFound' },
    );

    const disabled = await patch(account, { properties: { disableLocalAuth: true } });
    assert.equal(disabled.resource.properties['disableLocalAuth'], true);
    await assert.rejects(core.resources.listKeys('rg-aoai', 'aoai-life'), {
      code: 'BadRequest',
      message: 'Failed to list key. disableLocalAuth is set to be true',
    });
    await assert.rejects(core.resources.regenerateKey('rg-aoai', 'aoai-life', 'key2'), { code: 'BadRequest' });

    assert.equal(await core.resources.delete(account), true);
    assert.throws(() => core.resources.get(account), { code: 'ResourceNotFound' });
    assert.equal(core.model.table(resourceEntity).has(deployment.resource.key), false, 'the deployment went with its account');
    assert.throws(() => core.resources.list(DEPLOYMENT, 'rg-aoai', ['aoai-life']), { code: 'ResourceNotFound' });
    assert.equal((await core.store.load(resourceEntity, deployment.resource.key)).value, undefined);
    // Soft-deleted: the keys are kept for a restore (unreachable: no account answers for them) until the purge.
    assert.deepEqual(core.keys.match(keys.key2), { accountKey: resource.key, keyName: 'key2' });
    assert.deepEqual(core.resources.deletedAccounts.get({ location: 'eastus', group: 'rg-aoai', name: 'aoai-life' }).deployments.map((d) => d.name), ['chat']);
    assert.equal(await core.resources.deletedAccounts.purge({ location: 'eastus', group: 'rg-aoai', name: 'aoai-life' }), true);
    assert.equal(core.keys.match(regenerated.key1), undefined);
    assert.equal(core.keys.match(keys.key2), undefined);
    assert.equal([...core.model.table(accountKeyEntity).values()].filter((k) => k.accountKey === resource.key).length, 0);
    assert.equal((await core.store.load(accountKeyEntity, `${resource.key}|key2`)).value, undefined);
  });

  test('deleting a group deletes what is in it and the role assignments at its scopes; other groups\' identities and orphans elsewhere stay', async () => {
    await group('rg-gone');
    await group('rg-keep');
    const { resource: kept, principalId: keptPrincipal } = await uai('rg-keep', 'id-keep');
    const { resource: inside, principalId: insidePrincipal } = await uai('rg-gone', 'id-inside');
    const site = await put(at(SITE, 'rg-gone', 'web-gone'), {
      location: 'eastus',
      identity: { type: 'SystemAssigned, UserAssigned', userAssignedIdentities: { [kept.id]: {}, [inside.id]: {} } },
    });
    const sitePrincipal = site.resource.identity?.systemPrincipalId;
    assert.ok(sitePrincipal);
    const vm = await put(at(VM, 'rg-gone', 'vm-gone'), {
      location: 'eastus',
      identity: { type: 'UserAssigned', userAssignedIdentities: { [kept.id]: {} } },
    });
    const account = await put(at(ACCOUNT, 'rg-gone', 'aoai-gone'), {
      location: 'eastus',
      kind: 'OpenAI',
      sku: { name: 'S0' },
      identity: { type: 'SystemAssigned' },
    });
    const accountPrincipal = account.resource.identity?.systemPrincipalId;
    assert.ok(accountPrincipal);
    const deployment = await put(at(DEPLOYMENT, 'rg-gone', 'aoai-gone', 'chat'), { properties: { model: { name: 'gpt-4o' } } });
    const keys = await core.resources.listKeys('rg-gone', 'aoai-gone');
    const scope = core.resources.getGroup('rg-gone').id;
    const keepScope = core.resources.getGroup('rg-keep').id;
    // An assignment elsewhere whose principal dies with the group: it stays, as an orphan.
    const orphan = await core.rbac.create(keepScope, randomUUID(), { roleDefinitionId: roleId(ROLE.openAiUser), principalId: sitePrincipal });
    // Assignments at the deleted scopes (the group, a resource in it) go with them, whoever they name.
    const atGroup = await core.rbac.create(scope, randomUUID(), { roleDefinitionId: roleId(ROLE.openAiUser), principalId: keptPrincipal });
    const atAccount = await core.rbac.create(account.resource.id, randomUUID(), { roleDefinitionId: roleId(ROLE.openAiUser), principalId: keptPrincipal });
    const keptAssignment = await core.rbac.create(keepScope, randomUUID(), { roleDefinitionId: roleId(ROLE.openAiUser), principalId: keptPrincipal });

    const gone = [site.resource, vm.resource, account.resource, deployment.resource, inside];
    assert.equal(await core.resources.deleteGroup('rg-gone'), true);

    assert.throws(() => core.resources.getGroup('rg-gone'), { code: 'ResourceGroupNotFound' });
    for (const r of gone) {
      assert.equal(core.model.table(resourceEntity).has(r.key), false, `${r.id} is gone from the model`);
      assert.equal((await core.store.load(resourceEntity, r.key)).value, undefined, `${r.id} is gone from the database`);
    }
    assert.equal([...core.model.table(resourceEntity).values()].filter((r) => r.groupKey === scope.toLowerCase()).length, 0);
    for (const p of [sitePrincipal, accountPrincipal, insidePrincipal]) {
      assert.equal(core.directory.principal(p), undefined);
      assert.equal(await storedPrincipal(p), undefined);
    }
    // The account is soft-deleted with its group: its keys go with its purge.
    assert.equal(core.keys.match(keys.key1)?.accountKey, account.resource.key);
    assert.equal(await core.resources.deletedAccounts.purge({ location: 'eastus', group: 'rg-gone', name: 'aoai-gone' }), true);
    assert.equal(core.keys.match(keys.key1), undefined);
    assert.equal(core.keys.match(keys.key2), undefined);

    assert.deepEqual(core.resources.get(at(UAI, 'rg-keep', 'id-keep')), kept, 'the other group keeps its identity');
    assert.equal(core.directory.principal(keptPrincipal)?.resourceId, kept.id);

    const listed = core.rbac.list({});
    assert.ok(listed.some((a) => a.id === orphan.assignment.id), 'the orphaned assignment is still listed');
    assert.ok(listed.some((a) => a.id === keptAssignment.assignment.id));
    assert.ok(!listed.some((a) => a.id === atGroup.assignment.id), 'the assignment at the deleted group is gone');
    assert.ok(!listed.some((a) => a.id === atAccount.assignment.id), 'the assignment at the deleted account is gone');
    assert.equal((await core.store.load(assignmentEntity, atAccount.assignment.id.toLowerCase())).value, undefined);
    assert.deepEqual(core.rbac.list({ principalId: sitePrincipal }), [orphan.assignment]);
    assert.deepEqual((await core.store.load(assignmentEntity, orphan.assignment.id.toLowerCase())).value, orphan.assignment);

    assert.equal(await core.resources.deleteGroup('rg-gone'), false, 'deleting again finds nothing');
  });

  test('a PUT whose resource is deleted right after it commits still answers with what it wrote', async () => {
    await group('rg-race');
    const address = at(UAI, 'rg-race', 'raced');
    for (let i = 0; i < 5; i++) {
      const [written] = await Promise.all([put(address, { location: 'eastus' }), core.resources.delete(address)]);
      assert.equal(written.resource.name, 'raced');
      assert.equal(written.resource.type, UAI);
    }
  });

  test('an assignment made while its group is being deleted does not outlive the group', async () => {
    const { principalId } = await uai('rg-race', 'id-keeps');
    for (let i = 0; i < 5; i++) {
      await group('rg-doomed');
      const scope = core.resources.getGroup('rg-doomed').id;
      const body = { roleDefinitionId: roleId(ROLE.openAiUser), principalId };
      const [, created] = await Promise.allSettled([
        core.resources.deleteGroup('rg-doomed'),
        core.rbac.create(scope, randomUUID(), body, (writer) => core.resources.checkScopeIn(writer, scope)),
      ]);
      if (created.status === 'rejected') assert.equal((created.reason as { code?: string }).code, 'ResourceGroupNotFound');
      assert.ok(!core.model.table(assignmentEntity).list().some((a) => a.scope.toLowerCase() === scope.toLowerCase()), 'no assignment left at the deleted scope');
    }
  });

  test('role assignments: validation, idempotence, duplicates', async () => {
    await group('rg-rbac');
    const scope = core.resources.getGroup('rg-rbac').id;
    const { principalId } = await uai('rg-rbac', 'id-rbac');
    const body = { roleDefinitionId: roleId(ROLE.openAiUser), principalId };

    await assert.rejects(core.rbac.create(scope, randomUUID(), { ...body, roleDefinitionId: roleId(randomUUID()) }), { code: 'RoleDefinitionDoesNotExist' });
    await assert.rejects(core.rbac.create(scope, randomUUID(), { ...body, principalId: randomUUID() }), { code: 'PrincipalNotFound' });
    await assert.rejects(core.rbac.create(scope, 'not-a-guid', body), { code: 'InvalidRoleAssignmentId' });
    assert.deepEqual(core.rbac.list({ principalId }), []);

    const name = randomUUID();
    const first = await core.rbac.create(scope, name, body);
    assert.equal(first.created, true);
    assert.equal(first.assignment.id, `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`);
    assert.equal(first.assignment.principalId, principalId);
    assert.equal(first.assignment.scope, scope);
    assert.deepEqual(core.rbac.get(first.assignment.id), first.assignment);

    const again = await core.rbac.create(scope, name, body);
    assert.equal(again.created, false);
    assert.deepEqual(again.assignment, first.assignment);
    const upper = await core.rbac.create(scope, name.toUpperCase(), body);
    assert.equal(upper.created, false, 'names compare case-insensitively');

    await assert.rejects(core.rbac.create(scope, randomUUID(), body), { code: 'RoleAssignmentExists' });
    await assert.rejects(
      core.rbac.create(scope, name, { ...body, roleDefinitionId: roleId(ROLE.owner) }),
      { code: 'RoleAssignmentUpdateNotPermitted' },
    );
    assert.deepEqual(core.rbac.list({ principalId }), [first.assignment]);

    assert.deepEqual(await core.rbac.delete(first.assignment.id), first.assignment);
    assert.throws(() => core.rbac.get(first.assignment.id), { code: 'RoleAssignmentNotFound' });
    assert.equal(await core.rbac.delete(first.assignment.id), undefined);
  });

  test('authorize: OpenAI User at a group allows chat completions there only; Owner grants no data actions', async () => {
    await group('rg-authz');
    await group('rg-authz-other');
    const { resource: account } = await put(at(ACCOUNT, 'rg-authz', 'aoai-authz'), { location: 'eastus', kind: 'OpenAI', sku: { name: 'S0' } });
    const { resource: otherAccount } = await put(at(ACCOUNT, 'rg-authz-other', 'aoai-other'), { location: 'eastus', kind: 'OpenAI', sku: { name: 'S0' } });
    const { resource: chat } = await put(at(DEPLOYMENT, 'rg-authz', 'aoai-authz', 'chat'), { properties: { model: { name: 'gpt-4o' } } });
    const { principalId: user } = await uai('rg-authz', 'id-user');
    const { principalId: owner } = await uai('rg-authz', 'id-owner');
    const scope = core.resources.getGroup('rg-authz').id;
    await core.rbac.create(scope, randomUUID(), { roleDefinitionId: roleId(ROLE.openAiUser), principalId: user });
    await core.rbac.create(scope, randomUUID(), { roleDefinitionId: roleId(ROLE.owner), principalId: owner });

    const allowed = core.rbac.authorize(user, CHAT, 'dataAction', account.id);
    assert.equal(allowed.allowed, true);
    if (allowed.allowed) assert.equal(allowed.grantedBy.roleName, 'Cognitive Services OpenAI User');
    assert.equal(core.rbac.authorize(user, CHAT, 'dataAction', chat.id).allowed, true, 'and on its deployments');
    assert.equal(core.rbac.authorize(user.toUpperCase(), CHAT, 'dataAction', account.id.toUpperCase()).allowed, true, 'ids compare case-insensitively');
    assert.equal(core.rbac.authorize(user, CHAT, 'dataAction', otherAccount.id).allowed, false, 'not in another group');
    assert.equal(core.rbac.authorize(user, 'Microsoft.CognitiveServices/accounts/listKeys/action', 'action', account.id).allowed, false);

    assert.equal(core.rbac.authorize(owner, CHAT, 'dataAction', account.id).allowed, false, 'Owner has no data actions');
    assert.equal(core.rbac.authorize(owner, 'Microsoft.CognitiveServices/accounts/listKeys/action', 'action', account.id).allowed, true);
    assert.equal(core.rbac.authorize(core.adminObjectId, CHAT, 'dataAction', account.id).allowed, false, 'nor the admin (Owner on the subscription)');
    assert.equal(core.rbac.authorize(core.adminObjectId, 'Microsoft.CognitiveServices/accounts/write', 'action', otherAccount.id).allowed, true);
  });

  test("a deployment's upstream lives and dies with it: with the deployment, its account and its group, in the same transaction", async () => {
    await group('up-life');
    const model = { format: 'OpenAI', name: 'llama-3.1-8b', version: '1' };
    const upstream = { url: 'http://127.0.0.1:9/v1', model: 'llama3.1', key: 'sk-upstream-lifecycle' };
    const inDb = async (key: string) => (await core.store.load(upstreamEntity, key)).value;
    const deployed = async (account: string, name: string) => {
      await put(at(ACCOUNT, 'up-life', account), { location: 'eastus', kind: 'OpenAI', sku: { name: 'S0' } });
      return (await put(at(DEPLOYMENT, 'up-life', account, name), { sku: { name: 'Standard', capacity: 1 }, properties: { model, upstream } })).resource;
    };

    const first = await deployed('a1', 'd1');
    assert.equal(core.upstreams.get(first.key)?.model, 'llama3.1');
    assert.ok(core.upstreams.get(first.key)?.sealedKey?.startsWith('v1.'), 'the key is sealed');
    assert.ok((await inDb(first.key)) !== undefined);
    await core.resources.delete(at(DEPLOYMENT, 'up-life', 'a1', 'd1'));
    assert.equal(core.upstreams.get(first.key), undefined);
    assert.equal(await inDb(first.key), undefined);

    const second = await deployed('a2', 'd2');
    await core.resources.delete(at(ACCOUNT, 'up-life', 'a2'));
    assert.ok((await inDb(second.key)) !== undefined, 'a soft-deleted account keeps its deployments upstreams for a restore');
    await core.resources.deletedAccounts.purge({ location: 'eastus', group: 'up-life', name: 'a2' });
    assert.equal(await inDb(second.key), undefined, 'purging the account deletes its deployments upstreams');

    const third = await deployed('a3', 'd3');
    await core.resources.deleteGroup('up-life');
    await core.resources.deletedAccounts.purge({ location: 'eastus', group: 'up-life', name: 'a3' });
    assert.equal(await inDb(third.key), undefined, 'and after the group, too');
    assert.equal(core.upstreams.get(third.key), undefined);
  });
});
