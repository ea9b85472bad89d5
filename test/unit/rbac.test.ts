import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AssignmentIndex,
  BUILTIN_ROLES,
  ancestorsOrSelf,
  authorize,
  canonicalScope,
  findRoleDefinition,
  isWithinScope,
  matchesAction,
  normalizeScope,
  permissionGrants,
} from '../../src/rbac/index.js';
import type { ActionKind, Decision, RoleAssignment } from '../../src/rbac/index.js';
import { assignmentMaker, ROLE_IDS } from '../fixtures/role-ids.js';

const SUB = '/subscriptions/00000000-0000-0000-0000-00000000000a';
const RG = `${SUB}/resourceGroups/rg-ai`;
const ACCOUNT = `${RG}/providers/Microsoft.CognitiveServices/accounts/aoai1`;
const DEPLOYMENT = `${ACCOUNT}/deployments/gpt-4o`;
const OTHER_ACCOUNT = `${RG}/providers/Microsoft.CognitiveServices/accounts/aoai2`;

const CHAT = 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action';
const EMBEDDINGS = 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/embeddings/action';
const LIST_KEYS = 'Microsoft.CognitiveServices/accounts/listKeys/action';
const ROLE_ASSIGNMENT_WRITE = 'Microsoft.Authorization/roleAssignments/write';

const ROLE = ROLE_IDS;

const assignment = assignmentMaker(SUB);

function indexOf(...assignments: RoleAssignment[]): AssignmentIndex {
  const index = new AssignmentIndex();
  for (const a of assignments) index.upsert(a);
  return index;
}

function check(index: AssignmentIndex, principalId: string, action: string, kind: ActionKind, scope: string): Decision {
  return authorize({ principalId, action, kind, scope }, index, findRoleDefinition);
}

const P = '11111111-1111-1111-1111-111111111111';

/** Shorthand: one principal P holding one role at one scope. */
function allowed(role: string, atScope: string, action: string, kind: ActionKind, scope: string): boolean {
  return check(indexOf(assignment(P, role, atScope)), P, action, kind, scope).allowed;
}

describe('action matching', () => {
  test('exact match is case-insensitive', () => {
    assert.ok(matchesAction('Microsoft.CognitiveServices/accounts/read', 'microsoft.cognitiveservices/ACCOUNTS/read'));
    assert.ok(!matchesAction('Microsoft.CognitiveServices/accounts/read', 'Microsoft.CognitiveServices/accounts/write'));
  });

  test('"*" alone matches everything', () => {
    assert.ok(matchesAction('*', 'Microsoft.Anything/at/all/action'));
  });

  test('"*/read" matches reads of any provider, and nothing else', () => {
    assert.ok(matchesAction('*/read', 'Microsoft.CognitiveServices/accounts/read'));
    assert.ok(matchesAction('*/read', 'Microsoft.Resources/subscriptions/resourceGroups/READ'));
    assert.ok(!matchesAction('*/read', LIST_KEYS));
    assert.ok(!matchesAction('*/read', 'Microsoft.CognitiveServices/accounts/readers/write'));
  });

  test('trailing wildcard matches everything under a prefix', () => {
    assert.ok(matchesAction('Microsoft.CognitiveServices/*', LIST_KEYS));
    assert.ok(matchesAction('Microsoft.CognitiveServices/*', CHAT));
    assert.ok(!matchesAction('Microsoft.CognitiveServices/*', 'Microsoft.Storage/storageAccounts/read'));
  });

  test('mid-pattern wildcard spans any run of characters, including slashes', () => {
    assert.ok(matchesAction('Microsoft.CognitiveServices/*/read', 'Microsoft.CognitiveServices/accounts/deployments/read'));
    assert.ok(matchesAction('Microsoft.Authorization/*/Write', ROLE_ASSIGNMENT_WRITE));
    assert.ok(matchesAction('a*b*c', 'aXXbYYc'));
    assert.ok(matchesAction('a*b*c', 'abc'));
    assert.ok(!matchesAction('a*b*c', 'acb'));
    // prefix and suffix must not overlap
    assert.ok(!matchesAction('ab*ba', 'aba'));
    assert.ok(matchesAction('ab*ba', 'abba'));
    assert.ok(!matchesAction('Microsoft.CognitiveServices/*/read', 'Microsoft.CognitiveServices/accounts/listKeys/action'));
  });

  test('a whole "/*/" segment may vanish (Managed Identity Operator semantics)', () => {
    const p = 'Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action';
    assert.ok(matchesAction(p, 'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action'));
    assert.ok(matchesAction(p, 'Microsoft.ManagedIdentity/userAssignedIdentities/x/y/assign/action'));
    assert.ok(!matchesAction(p, 'Microsoft.ManagedIdentity/userAssignedIdentitiesassign/action'));
    assert.ok(matchesAction('a/*/b/*/c', 'a/b/c'));
    assert.ok(matchesAction('a/*/b/*/c', 'a/x/b/c'));
    assert.ok(!matchesAction('a/*/b/*/c', 'a/bc'));
  });

  test('permissionGrants applies notActions and keeps action kinds apart', () => {
    const p = {
      actions: ['Microsoft.Foo/*'],
      notActions: ['Microsoft.Foo/secrets/*'],
      dataActions: ['Microsoft.Foo/blobs/*'],
      notDataActions: ['Microsoft.Foo/blobs/delete'],
    };
    assert.ok(permissionGrants(p, 'action', 'Microsoft.Foo/things/read'));
    assert.ok(!permissionGrants(p, 'action', 'microsoft.foo/SECRETS/read'));
    assert.ok(permissionGrants(p, 'dataAction', 'Microsoft.Foo/blobs/read'));
    assert.ok(!permissionGrants(p, 'dataAction', 'Microsoft.Foo/blobs/delete'));
    // actions never grant data actions, even with a matching pattern
    assert.ok(!permissionGrants(p, 'dataAction', 'Microsoft.Foo/things/read'));
    assert.ok(!permissionGrants({ actions: ['*'], notActions: [], dataActions: [], notDataActions: [] }, 'dataAction', CHAT));
  });
});

describe('scopes', () => {
  test('normalizeScope lowercases, strips trailing and duplicate slashes', () => {
    assert.equal(normalizeScope('//subscriptions/ABC/resourceGroups/RG/'), '/subscriptions/abc/resourcegroups/rg');
    assert.equal(canonicalScope('//subscriptions/ABC/resourceGroups/RG//'), '/subscriptions/ABC/resourceGroups/RG');
    assert.equal(normalizeScope('/'), '/');
    assert.equal(normalizeScope(''), '/');
  });

  test('ancestorsOrSelf walks deployment → account → group → subscription → root', () => {
    assert.deepEqual(ancestorsOrSelf(DEPLOYMENT), [
      normalizeScope(DEPLOYMENT),
      normalizeScope(ACCOUNT),
      normalizeScope(RG),
      normalizeScope(SUB),
      '/',
    ]);
    assert.deepEqual(ancestorsOrSelf(SUB), [normalizeScope(SUB), '/']);
    assert.deepEqual(ancestorsOrSelf('/'), ['/']);
  });

  test('nested child resources and extension resources are each a level', () => {
    const base = `${RG}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/s1`;
    const ext = `${base}/providers/Microsoft.Insights/diagnosticSettings/d1`;
    assert.deepEqual(ancestorsOrSelf(ext), [
      normalizeScope(ext),
      normalizeScope(base),
      normalizeScope(`${RG}/providers/Microsoft.Network/virtualNetworks/vnet`),
      normalizeScope(RG),
      normalizeScope(SUB),
      '/',
    ]);
  });

  test('management group scopes sit under the root', () => {
    const mg = '/providers/Microsoft.Management/managementGroups/mg1';
    assert.deepEqual(ancestorsOrSelf(mg), [normalizeScope(mg), '/']);
  });

  test('isWithinScope', () => {
    assert.ok(isWithinScope(DEPLOYMENT, SUB));
    assert.ok(isWithinScope(DEPLOYMENT, DEPLOYMENT.toUpperCase()));
    assert.ok(isWithinScope(ACCOUNT, '/'));
    assert.ok(!isWithinScope(ACCOUNT, DEPLOYMENT));
    assert.ok(!isWithinScope(DEPLOYMENT, OTHER_ACCOUNT));
    // a string prefix that is not a whole level is not an ancestor
    assert.ok(!isWithinScope(`${RG}2`, RG));
  });
});

describe('built-in roles', () => {
  test('ids are unique GUIDs and every role is assignable at "/"', () => {
    const ids = new Set(BUILTIN_ROLES.map((r) => r.name));
    assert.equal(ids.size, BUILTIN_ROLES.length);
    for (const role of BUILTIN_ROLES) {
      assert.match(role.name, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.deepEqual(role.assignableScopes, ['/']);
      assert.equal(role.roleType, 'BuiltInRole');
    }
    for (const id of Object.values(ROLE)) assert.ok(ids.has(id), id);
  });

  test('findRoleDefinition by GUID, full id at any scope, and roleName, case-insensitive', () => {
    assert.equal(findRoleDefinition(ROLE.openaiUser)?.roleName, 'Cognitive Services OpenAI User');
    assert.equal(findRoleDefinition(ROLE.openaiUser.toUpperCase())?.roleName, 'Cognitive Services OpenAI User');
    assert.equal(
      findRoleDefinition(`${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.reader}`)?.roleName,
      'Reader',
    );
    assert.equal(findRoleDefinition(`/providers/Microsoft.Authorization/roleDefinitions/${ROLE.owner}`)?.roleName, 'Owner');
    assert.equal(
      findRoleDefinition(`${ACCOUNT}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.contributor}`)?.name,
      ROLE.contributor,
    );
    assert.equal(findRoleDefinition('cognitive services openai contributor')?.name, ROLE.openaiContributor);
    assert.equal(findRoleDefinition('User Access Administrator')?.name, ROLE.uaa);
    assert.equal(findRoleDefinition('Nope'), undefined);
    assert.equal(findRoleDefinition('00000000-0000-0000-0000-000000000000'), undefined);
    assert.equal(findRoleDefinition(`/something/${ROLE.owner}`), undefined);
  });

  test('Owner and Contributor have no data actions', () => {
    for (const id of [ROLE.owner, ROLE.contributor, ROLE.reader, ROLE.csContributor]) {
      const role = findRoleDefinition(id);
      assert.ok(role);
      for (const p of role.permissions) assert.deepEqual(p.dataActions, []);
    }
  });
});

describe('authorize: built-in role semantics', () => {
  test('Owner can do any control-plane action but cannot chat (no data actions)', () => {
    assert.ok(allowed(ROLE.owner, SUB, ROLE_ASSIGNMENT_WRITE, 'action', ACCOUNT));
    assert.ok(allowed(ROLE.owner, SUB, LIST_KEYS, 'action', ACCOUNT));
    assert.ok(!allowed(ROLE.owner, SUB, CHAT, 'dataAction', DEPLOYMENT));
  });

  test('Contributor: listKeys yes, role assignment write/delete no, chat no', () => {
    assert.ok(allowed(ROLE.contributor, RG, LIST_KEYS, 'action', ACCOUNT));
    assert.ok(allowed(ROLE.contributor, RG, 'Microsoft.CognitiveServices/accounts/listkeys/action', 'action', ACCOUNT));
    assert.ok(allowed(ROLE.contributor, RG, 'Microsoft.CognitiveServices/accounts/deployments/write', 'action', ACCOUNT));
    assert.ok(!allowed(ROLE.contributor, RG, ROLE_ASSIGNMENT_WRITE, 'action', ACCOUNT));
    assert.ok(!allowed(ROLE.contributor, RG, 'Microsoft.Authorization/roleAssignments/delete', 'action', ACCOUNT));
    assert.ok(!allowed(ROLE.contributor, RG, 'Microsoft.Authorization/elevateAccess/action', 'action', '/'));
    assert.ok(allowed(ROLE.contributor, RG, 'Microsoft.Authorization/roleAssignments/read', 'action', ACCOUNT));
    assert.ok(!allowed(ROLE.contributor, RG, CHAT, 'dataAction', DEPLOYMENT));
  });

  test('Reader reads but does not write or list keys', () => {
    assert.ok(allowed(ROLE.reader, SUB, 'Microsoft.CognitiveServices/accounts/read', 'action', ACCOUNT));
    assert.ok(!allowed(ROLE.reader, SUB, 'Microsoft.CognitiveServices/accounts/write', 'action', ACCOUNT));
    assert.ok(!allowed(ROLE.reader, SUB, LIST_KEYS, 'action', ACCOUNT));
  });

  test('User Access Administrator and RBAC Administrator can write role assignments', () => {
    assert.ok(allowed(ROLE.uaa, SUB, ROLE_ASSIGNMENT_WRITE, 'action', ACCOUNT));
    assert.ok(allowed(ROLE.rbacAdmin, SUB, ROLE_ASSIGNMENT_WRITE, 'action', ACCOUNT));
    assert.ok(!allowed(ROLE.rbacAdmin, SUB, 'Microsoft.Authorization/roleDefinitions/write', 'action', SUB));
    assert.ok(allowed(ROLE.uaa, SUB, 'Microsoft.Authorization/roleDefinitions/write', 'action', SUB));
  });

  test('OpenAI User: chat, embeddings, responses and reads; no listKeys, no deployment write', () => {
    assert.ok(allowed(ROLE.openaiUser, ACCOUNT, CHAT, 'dataAction', DEPLOYMENT));
    assert.ok(allowed(ROLE.openaiUser, ACCOUNT, EMBEDDINGS, 'dataAction', DEPLOYMENT));
    assert.ok(allowed(ROLE.openaiUser, ACCOUNT, 'Microsoft.CognitiveServices/accounts/OpenAI/responses/write', 'dataAction', ACCOUNT));
    assert.ok(allowed(ROLE.openaiUser, ACCOUNT, 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/read', 'dataAction', ACCOUNT));
    assert.ok(allowed(ROLE.openaiUser, ACCOUNT, 'Microsoft.CognitiveServices/accounts/read', 'action', ACCOUNT));
    assert.ok(!allowed(ROLE.openaiUser, ACCOUNT, LIST_KEYS, 'action', ACCOUNT));
    assert.ok(!allowed(ROLE.openaiUser, ACCOUNT, 'Microsoft.CognitiveServices/accounts/deployments/write', 'action', ACCOUNT));
    assert.ok(!allowed(ROLE.openaiUser, ACCOUNT, 'Microsoft.CognitiveServices/accounts/OpenAI/files/write', 'dataAction', ACCOUNT));
    // a data action name offered as a control-plane action is not granted
    assert.ok(!allowed(ROLE.openaiUser, ACCOUNT, CHAT, 'action', DEPLOYMENT));
  });

  test('notDataActions: OpenAI User cannot read stored completions despite OpenAI/*/read', () => {
    const stored = 'Microsoft.CognitiveServices/accounts/OpenAI/stored-completions/read';
    assert.ok(matchesAction('Microsoft.CognitiveServices/accounts/OpenAI/*/read', stored));
    assert.ok(!allowed(ROLE.openaiUser, ACCOUNT, stored, 'dataAction', ACCOUNT));
    assert.ok(allowed(ROLE.openaiContributor, ACCOUNT, stored, 'dataAction', ACCOUNT));
  });

  test('OpenAI Contributor: all OpenAI data actions, deployments write, no listKeys', () => {
    assert.ok(allowed(ROLE.openaiContributor, RG, CHAT, 'dataAction', DEPLOYMENT));
    assert.ok(allowed(ROLE.openaiContributor, RG, 'Microsoft.CognitiveServices/accounts/OpenAI/files/write', 'dataAction', ACCOUNT));
    assert.ok(allowed(ROLE.openaiContributor, RG, 'Microsoft.CognitiveServices/accounts/deployments/write', 'action', ACCOUNT));
    assert.ok(!allowed(ROLE.openaiContributor, RG, LIST_KEYS, 'action', ACCOUNT));
  });

  test('Cognitive Services User: listKeys and data plane; Contributor: listKeys but no data plane', () => {
    assert.ok(allowed(ROLE.csUser, RG, LIST_KEYS, 'action', ACCOUNT));
    assert.ok(allowed(ROLE.csUser, RG, CHAT, 'dataAction', DEPLOYMENT));
    assert.ok(!allowed(ROLE.csUser, RG, 'Microsoft.CognitiveServices/accounts/OpenAI/fine-tunes-deployments/write', 'dataAction', ACCOUNT));
    assert.ok(allowed(ROLE.csContributor, RG, LIST_KEYS, 'action', ACCOUNT));
    assert.ok(allowed(ROLE.csContributor, RG, 'Microsoft.CognitiveServices/accounts/regenerateKey/action', 'action', ACCOUNT));
    assert.ok(!allowed(ROLE.csContributor, RG, CHAT, 'dataAction', DEPLOYMENT));
  });

  test('Managed Identity Operator assigns identities; Managed Identity Contributor creates them', () => {
    const uami = `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1`;
    const assign = 'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action';
    // The operator's patterns are ".../userAssignedIdentities/*/assign/action" and ".../*/read"; a "/*/" may vanish.
    assert.ok(allowed(ROLE.miOperator, RG, assign, 'action', uami));
    assert.ok(allowed(ROLE.miOperator, RG, 'Microsoft.ManagedIdentity/userAssignedIdentities/read', 'action', uami));
    assert.ok(!allowed(ROLE.miOperator, RG, 'Microsoft.ManagedIdentity/userAssignedIdentities/write', 'action', uami));
    assert.ok(allowed(ROLE.miContributor, RG, 'Microsoft.ManagedIdentity/userAssignedIdentities/write', 'action', uami));
    assert.ok(!allowed(ROLE.miContributor, RG, assign, 'action', uami));
  });
});

describe('authorize: scopes and assignments', () => {
  test('inheritance: an assignment at each level grants at that level and below', () => {
    const levels = [SUB, RG, ACCOUNT, DEPLOYMENT];
    levels.forEach((atScope, i) => {
      levels.forEach((target, j) => {
        assert.equal(allowed(ROLE.openaiUser, atScope, CHAT, 'dataAction', target), j >= i, `${atScope} → ${target}`);
      });
    });
    assert.ok(allowed(ROLE.openaiUser, '/', CHAT, 'dataAction', DEPLOYMENT));
  });

  test('scopes compare case-insensitively and tolerate slashes', () => {
    assert.ok(allowed(ROLE.openaiUser, RG.toUpperCase(), CHAT, 'dataAction', DEPLOYMENT.toLowerCase()));
    assert.ok(allowed(ROLE.openaiUser, `/${ACCOUNT}/`, CHAT, 'dataAction', DEPLOYMENT));
    assert.ok(allowed(ROLE.openaiUser, ACCOUNT, CHAT.toUpperCase(), 'dataAction', DEPLOYMENT));
  });

  test('principal ids compare case-insensitively', () => {
    const index = indexOf(assignment('ABCDEF00-1111-2222-3333-444444444444', ROLE.openaiUser, ACCOUNT));
    assert.ok(check(index, 'abcdef00-1111-2222-3333-444444444444', CHAT, 'dataAction', DEPLOYMENT).allowed);
  });

  test('an assignment at a sibling scope does not grant', () => {
    assert.ok(!allowed(ROLE.openaiUser, OTHER_ACCOUNT, CHAT, 'dataAction', DEPLOYMENT));
    assert.ok(!allowed(ROLE.openaiUser, `${SUB}/resourceGroups/rg-other`, CHAT, 'dataAction', DEPLOYMENT));
    assert.ok(!allowed(ROLE.openaiUser, '/subscriptions/00000000-0000-0000-0000-00000000000b', CHAT, 'dataAction', DEPLOYMENT));
  });

  test("another principal's assignment does not grant", () => {
    const index = indexOf(assignment('22222222-2222-2222-2222-222222222222', ROLE.openaiUser, ACCOUNT));
    assert.ok(!check(index, P, CHAT, 'dataAction', DEPLOYMENT).allowed);
  });

  test('an orphaned assignment (principal deleted) still grants', () => {
    const ghost = '99999999-dead-dead-dead-999999999999';
    const index = indexOf(assignment(ghost, ROLE.openaiUser, ACCOUNT));
    assert.ok(check(index, ghost, CHAT, 'dataAction', DEPLOYMENT).allowed);
  });

  test('notActions subtract only within their own role: Contributor + UAA may write role assignments', () => {
    const index = indexOf(assignment(P, ROLE.contributor, SUB), assignment(P, ROLE.uaa, RG));
    const d = check(index, P, ROLE_ASSIGNMENT_WRITE, 'action', ACCOUNT);
    assert.ok(d.allowed);
    if (d.allowed) assert.equal(d.grantedBy.roleName, 'User Access Administrator');
  });

  test('roles union across assignments: Contributor + OpenAI User can both listKeys and chat', () => {
    const index = indexOf(assignment(P, ROLE.contributor, RG), assignment(P, ROLE.openaiUser, ACCOUNT));
    assert.ok(check(index, P, LIST_KEYS, 'action', ACCOUNT).allowed);
    assert.ok(check(index, P, CHAT, 'dataAction', DEPLOYMENT).allowed);
  });

  test('allowed decision names the assignment, role and scope', () => {
    const a = assignment(P, ROLE.openaiUser, RG);
    const d = check(indexOf(a), P, CHAT, 'dataAction', DEPLOYMENT);
    assert.deepEqual(d, { allowed: true, grantedBy: { assignmentId: a.id, roleName: 'Cognitive Services OpenAI User', scope: RG } });
  });

  test('unknown role definitions grant nothing', () => {
    const a = { ...assignment(P, ROLE.owner, SUB), roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/00000000-0000-0000-0000-000000000000` };
    const d = check(indexOf(a), P, 'Microsoft.CognitiveServices/accounts/read', 'action', ACCOUNT);
    assert.equal(d.allowed, false);
    if (!d.allowed) assert.match(d.reason, /unknown role definition/);
  });

  test('denial reason names action, scope, principal, held roles and roles that would grant', () => {
    const index = indexOf(assignment(P, ROLE.contributor, SUB));
    const d = check(index, P, CHAT, 'dataAction', DEPLOYMENT);
    assert.equal(d.allowed, false);
    if (d.allowed) return;
    assert.ok(d.reason.includes(CHAT), d.reason);
    assert.ok(d.reason.includes(DEPLOYMENT), d.reason);
    assert.ok(d.reason.includes(P), d.reason);
    assert.ok(d.reason.includes('data action'), d.reason);
    assert.ok(d.reason.includes(`Contributor at ${SUB}`), d.reason);
    assert.match(d.reason, /roles that would: Cognitive Services OpenAI User, Cognitive Services OpenAI Contributor, Cognitive Services User/);
    assert.ok(!/roles that would:.*\bOwner\b/.test(d.reason), d.reason);
  });

  test('denial without any assignment says so; an ungrantable action says no built-in role grants it', () => {
    const d1 = check(new AssignmentIndex(), P, LIST_KEYS, 'action', ACCOUNT);
    assert.ok(!d1.allowed && /no role assignment at or above that scope/.test(d1.reason));
    assert.ok(!d1.allowed && /roles that would: .*Cognitive Services User.*Contributor.*Owner/.test(d1.reason));
    const d2 = check(new AssignmentIndex(), P, 'Microsoft.Nothing/grants/this', 'dataAction', ACCOUNT);
    assert.ok(!d2.allowed && /no built-in role grants it/.test(d2.reason));
  });
});

describe('AssignmentIndex', () => {
  test('upsert, get, byPrincipal, remove, clear', () => {
    const index = new AssignmentIndex();
    const a = assignment(P, ROLE.reader, SUB);
    const b = assignment(P, ROLE.openaiUser, ACCOUNT);
    index.upsert(a);
    index.upsert(b);
    assert.equal(index.size, 2);
    assert.equal(index.get(a.id.toUpperCase()), a);
    assert.deepEqual(index.byPrincipal(P.toUpperCase()), [a, b]);
    assert.ok(index.remove(a.id));
    assert.ok(!index.remove(a.id));
    assert.deepEqual(index.byPrincipal(P), [b]);
    index.clear();
    assert.equal(index.size, 0);
    assert.deepEqual(index.byPrincipal(P), []);
  });

  test('upsert with the same id replaces, even when the principal changes', () => {
    const index = new AssignmentIndex();
    const a = assignment(P, ROLE.reader, SUB);
    index.upsert(a);
    const moved = { ...a, principalId: '33333333-3333-3333-3333-333333333333' };
    index.upsert(moved);
    assert.equal(index.size, 1);
    assert.deepEqual(index.byPrincipal(P), []);
    assert.deepEqual(index.byPrincipal(moved.principalId), [moved]);
  });

  test('list filters by principal, role and scope relation', () => {
    const atSub = assignment(P, ROLE.reader, SUB);
    const atAccount = assignment(P, ROLE.openaiUser, ACCOUNT);
    const atOther = assignment('44444444-4444-4444-4444-444444444444', ROLE.openaiUser, OTHER_ACCOUNT);
    const index = indexOf(atSub, atAccount, atOther);
    assert.equal(index.list().length, 3);
    assert.deepEqual(index.list({ principalId: P }), [atSub, atAccount]);
    assert.deepEqual(index.list({ roleDefinitionId: ROLE.openaiUser }), [atAccount, atOther]);
    assert.deepEqual(index.list({ roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${ROLE.reader.toUpperCase()}` }), [atSub]);
    assert.deepEqual(index.list({ scope: ACCOUNT.toLowerCase() }), [atAccount]);
    assert.deepEqual(index.list({ scope: DEPLOYMENT, scopeMatch: 'atOrAbove' }), [atSub, atAccount]);
    assert.deepEqual(index.list({ scope: RG, scopeMatch: 'atOrBelow' }), [atAccount, atOther]);
    assert.deepEqual(index.list({ scope: RG, scopeMatch: 'atOrBelow', principalId: P }), [atAccount]);
  });
});
