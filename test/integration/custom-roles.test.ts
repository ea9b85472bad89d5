import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect, type Core } from '../fixtures/core.js';
import { KeylessError } from '../../src/shared/errors.js';
import { RoleDefinitionService } from '../../src/rbac/index.js';
import { systemClock } from '../../src/shared/clock.js';

/**
 * Custom roles on a real database, both dialects (issue 11): the one lookup
 * (`RoleCatalog.find`) resolves them as it resolves built-ins, authorize()
 * follows an update at once, and the rules that need the database (a unique
 * name, no delete while assigned) hold.
 */
const CHAT = 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action';
const EMBED = 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/embeddings/action';
const GUID = '9d3e0a52-0001-4c6e-9f0a-8d2b7c3e4f01';

describeEachDialect('custom roles', (open) => {
  let core: Core;
  let roles: RoleDefinitionService;
  let sub: string;
  const codeOf = async (p: Promise<unknown>): Promise<string> => {
    try {
      await p;
    } catch (error) {
      assert.ok(error instanceof KeylessError);
      return error.code;
    }
    return 'accepted';
  };
  const define = (dataActions: string[], notDataActions: string[] = [], name = GUID, roleName = 'Chat Only') =>
    roles.createOrUpdate(name, { roleName, permissions: [{ dataActions, notDataActions }], assignableScopes: [sub] }, core.adminObjectId);

  before(async () => {
    core = await open();
    sub = `/subscriptions/${core.subscriptionId}`;
    roles = new RoleDefinitionService(core.store, core.model, systemClock, () => core.subscriptionId, core.rbac.catalog);
  });
  after(async () => core?.close());

  test('found by GUID in any case, by a definition id at any scope, and by name; not by another path', async () => {
    await define([CHAT]);
    const find = core.rbac.role;
    for (const ref of [GUID, GUID.toUpperCase(), `${sub}/providers/Microsoft.Authorization/roleDefinitions/${GUID}`, `${sub}/resourceGroups/rg/providers/Microsoft.Authorization/roleDefinitions/${GUID}/`, 'chat only']) {
      assert.equal(find(ref)?.roleName, 'Chat Only', ref);
    }
    assert.equal(find(`/something/${GUID}`), undefined);
    assert.equal(find('Reader')?.roleType, 'BuiltInRole', 'built-ins are still found first');
  });

  test('authorize() follows the role: assigned, then narrowed by notDataActions, on the next decision', async () => {
    await define([CHAT]);
    const assignment = await core.rbac.create(sub, '9d3e0a52-1001-4c6e-9f0a-8d2b7c3e4f01', { roleDefinitionId: GUID, principalId: core.adminObjectId });
    const can = (action: string) => core.rbac.authorize(core.adminObjectId, action, 'dataAction', `${sub}/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a`).allowed;
    assert.deepEqual([can(CHAT), can(EMBED)], [true, false]);
    await define(['Microsoft.CognitiveServices/accounts/OpenAI/deployments/*'], [CHAT]);
    assert.deepEqual([can(CHAT), can(EMBED)], [false, true]);

    assert.equal(await codeOf(roles.delete(sub, GUID)), 'RoleDefinitionHasAssignments');
    await core.rbac.delete(assignment.assignment.id);
    assert.equal((await roles.delete(sub, GUID))?.roleName, 'Chat Only');
    assert.equal(core.rbac.role(GUID), undefined);
    assert.deepEqual([can(CHAT), can(EMBED)], [false, false]);
  });

  test('names are unique in any case; a role may keep its own name; a deleted role frees it', async () => {
    const other = '9d3e0a52-0002-4c6e-9f0a-8d2b7c3e4f02';
    await define([CHAT], [], GUID, 'Unique Name');
    assert.equal(await codeOf(define([CHAT], [], other, 'UNIQUE name')), 'RoleDefinitionWithSameNameExists');
    assert.equal((await define([EMBED], [], GUID, 'unique NAME')).roleName, 'unique NAME', 'a rename of the same role, in another case');
    await roles.delete(sub, GUID);
    assert.equal((await define([CHAT], [], other, 'Unique Name')).name, other);
    await roles.delete(sub, other);
  });
});
