import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AssignmentIndex, authorize, explainAccess, findRoleDefinition, whoCan } from '../../src/rbac/index.js';
import type { ActionKind, RoleResolver } from '../../src/rbac/index.js';
import { assignmentMaker, ROLE_IDS } from '../fixtures/role-ids.js';

const SUB = '/subscriptions/00000000-0000-0000-0000-00000000000a';
const RG = `${SUB}/resourceGroups/rg-ai`;
const ACCOUNT = `${RG}/providers/Microsoft.CognitiveServices/accounts/aoai1`;
const DEPLOYMENT = `${ACCOUNT}/deployments/gpt-4o`;
const OTHER_RG = `${SUB}/resourceGroups/rg-other`;
const OTHER_ACCOUNT = `${OTHER_RG}/providers/Microsoft.CognitiveServices/accounts/aoai2`;

const OPENAI = 'Microsoft.CognitiveServices/accounts/OpenAI';
const CHAT = `${OPENAI}/deployments/chat/completions/action`;
const EMBEDDINGS = `${OPENAI}/deployments/embeddings/action`;
const STORED_READ = `${OPENAI}/stored-completions/read`;
const LIST_KEYS = 'Microsoft.CognitiveServices/accounts/listKeys/action';
const RA_WRITE = 'Microsoft.Authorization/roleAssignments/write';

const ROLE = {
  ...ROLE_IDS,
  gone: '00000000-0000-0000-0000-0000000000ff',
} as const;

const roles: RoleResolver = (id) => findRoleDefinition(id);

const assignment = assignmentMaker(SUB);

const principal = (n: number): string => `11111111-0000-0000-0000-${String(n).padStart(12, '0')}`;

/** One principal per interesting holding: each role at each level, unions, an unknown role. */
function world(): { index: AssignmentIndex; principals: string[] } {
  const index = new AssignmentIndex();
  const principals: string[] = [];
  let n = 0;
  const add = (...grants: [string, string][]): void => {
    const p = principal(++n);
    principals.push(p);
    for (const [role, scope] of grants) index.upsert(assignment(p, role, scope));
  };
  for (const role of Object.values(ROLE)) for (const scope of [SUB, RG, ACCOUNT, DEPLOYMENT, OTHER_ACCOUNT]) add([role, scope]);
  add([ROLE.contributor, SUB], [ROLE.uaa, RG]);
  add([ROLE.contributor, RG], [ROLE.openaiUser, ACCOUNT]);
  add([ROLE.reader, SUB], [ROLE.csUser, OTHER_ACCOUNT]);
  add();
  return { index, principals };
}

const ACTIONS: readonly [string, ActionKind][] = [
  [CHAT, 'dataAction'],
  [EMBEDDINGS, 'dataAction'],
  [STORED_READ, 'dataAction'],
  [`${OPENAI}/deployments/read`, 'dataAction'],
  [CHAT, 'action'],
  [LIST_KEYS, 'action'],
  [LIST_KEYS, 'dataAction'],
  [RA_WRITE, 'action'],
  ['Microsoft.Authorization/roleAssignments/delete', 'action'],
  ['Microsoft.Authorization/roleAssignments/read', 'action'],
  ['Microsoft.CognitiveServices/accounts/read', 'action'],
  ['Microsoft.CognitiveServices/accounts/deployments/write', 'action'],
  ['Microsoft.Resources/subscriptions/resourceGroups/write', 'action'],
  ['Microsoft.ManagedIdentity/userAssignedIdentities/assign/action', 'action'],
  ['Microsoft.Authorization/elevateAccess/Action', 'action'],
  ['Keyless/auditRecords/read', 'action'],
];
const SCOPES = [SUB, RG, ACCOUNT, DEPLOYMENT, OTHER_ACCOUNT, OTHER_RG];

describe('explainAccess agrees with authorize()', () => {
  test('on every principal × action × scope of a world with every built-in role at every level', () => {
    const { index, principals } = world();
    let allowed = 0;
    let denied = 0;
    for (const p of principals) {
      for (const [action, kind] of ACTIONS) {
        for (const scope of SCOPES) {
          const decision = authorize({ principalId: p, action, kind, scope }, index, roles);
          const explained = explainAccess({ principalId: p, action, kind, scope }, index, roles);
          assert.equal(explained.allowed, decision.allowed, `${p} ${kind} ${action} at ${scope}`);
          if (decision.allowed) {
            allowed++;
            assert.ok(explained.grantedBy.some((g) => g.assignmentId === decision.grantedBy.assignmentId), explained.summary);
            assert.equal(explained.fix, undefined);
          } else {
            denied++;
            assert.equal(explained.grantedBy.length, 0);
          }
        }
      }
    }
    assert.ok(allowed > 500 && denied > 500, `${allowed} allowed, ${denied} denied`);
  });

  test('whoCan lists exactly the principals authorize() allows, at every scope and action', () => {
    const { index, principals } = world();
    const lookup = (id: string) => (id === principal(1) ? undefined : { displayName: `p-${id.slice(-4)}` });
    for (const [action, kind] of ACTIONS) {
      for (const scope of SCOPES) {
        const answer = whoCan({ action, kind, scope }, index, roles, lookup);
        const expected = principals.filter((p) => authorize({ principalId: p, action, kind, scope }, index, roles).allowed).sort();
        assert.deepEqual(answer.holders.map((h) => h.principalId).sort(), expected, `${kind} ${action} at ${scope}`);
        for (const g of answer.canGrantThemselves) {
          assert.equal(authorize({ principalId: g.principalId, action, kind, scope }, index, roles).allowed, false);
          assert.equal(authorize({ principalId: g.principalId, action: RA_WRITE, kind: 'action', scope }, index, roles).allowed, true);
        }
      }
    }
  });
});

describe('explainAccess: the reasons', () => {
  const P = principal(900);

  test('each granting assignment, with its role, id, scope and matched pattern', () => {
    const index = new AssignmentIndex();
    const atAccount = assignment(P, ROLE.openaiUser, ACCOUNT);
    const atGroup = assignment(P, ROLE.openaiContributor, RG);
    const unrelated = assignment(P, ROLE.reader, SUB);
    for (const a of [atAccount, atGroup, unrelated]) index.upsert(a);
    const e = explainAccess({ principalId: P, action: CHAT, kind: 'dataAction', scope: ACCOUNT }, index, roles);
    assert.equal(e.allowed, true);
    assert.deepEqual(
      e.grantedBy.map((g) => [g.roleName, g.assignmentId, g.assignmentScope, g.matched]).sort(),
      [
        ['Cognitive Services OpenAI Contributor', atGroup.id, RG, `${OPENAI}/*`],
        ['Cognitive Services OpenAI User', atAccount.id, ACCOUNT, CHAT],
      ],
    );
    assert.deepEqual(e.notGrantedBy.map((v) => [v.roleName, v.matched, v.otherKindMatched]), [['Reader', undefined, undefined]]);
  });

  test('Contributor: its * matches roleAssignments/write, and its notActions take it out', () => {
    const index = new AssignmentIndex();
    index.upsert(assignment(P, ROLE.contributor, SUB));
    const e = explainAccess({ principalId: P, action: RA_WRITE, kind: 'action', scope: ACCOUNT }, index, roles);
    assert.equal(e.allowed, false);
    const [v] = e.notGrantedBy;
    assert.equal(v?.matched, '*');
    assert.equal(v?.subtractedBy, 'Microsoft.Authorization/*/Write');
    assert.deepEqual(e.fix, {
      roleName: 'Role Based Access Control Administrator',
      roleId: ROLE.rbacAdmin,
      scope: ACCOUNT,
      command: `keyless role assignment create --assignee ${P} --role "Role Based Access Control Administrator" --scope ${ACCOUNT}`,
    });
    assert.match(e.summary, /Contributor at \/subscriptions\/.*: actions '\*' matches, but notActions 'Microsoft.Authorization\/\*\/Write' removes it/);
  });

  test('OpenAI User: */read matches stored completions, notDataActions takes it out', () => {
    const index = new AssignmentIndex();
    index.upsert(assignment(P, ROLE.openaiUser, ACCOUNT));
    const e = explainAccess({ principalId: P, action: STORED_READ, kind: 'dataAction', scope: ACCOUNT }, index, roles);
    assert.equal(e.allowed, false);
    assert.equal(e.notGrantedBy[0]?.matched, `${OPENAI}/*/read`);
    assert.equal(e.notGrantedBy[0]?.subtractedBy, STORED_READ);
    assert.equal(e.fix?.roleName, 'Cognitive Services OpenAI Contributor');
  });

  test("Owner's * is an action pattern: it never grants a data action, and the explanation says so", () => {
    const index = new AssignmentIndex();
    index.upsert(assignment(P, ROLE.owner, SUB));
    const e = explainAccess({ principalId: P, action: CHAT, kind: 'dataAction', scope: DEPLOYMENT }, index, roles);
    assert.equal(e.allowed, false);
    assert.equal(e.notGrantedBy[0]?.otherKindMatched, '*');
    assert.match(e.summary, /Owner at .*: only its actions \('\*'\) match, and those never grant a data action/);
    assert.equal(e.fix?.roleName, 'Cognitive Services OpenAI User');
    assert.equal(e.fix?.scope, DEPLOYMENT);
  });

  test('no assignment at all, an assignment at a sibling scope, an unknown role, and an action no built-in grants', () => {
    const index = new AssignmentIndex();
    index.upsert(assignment(P, ROLE.openaiUser, OTHER_ACCOUNT));
    const sibling = explainAccess({ principalId: P, action: CHAT, kind: 'dataAction', scope: ACCOUNT }, index, roles);
    assert.equal(sibling.notGrantedBy.length, 0, 'an assignment elsewhere is not considered');
    assert.match(sibling.summary, /it has no role assignment at or above that scope; the narrowest built-in role that grants it: Cognitive Services OpenAI User$/);
    index.upsert(assignment(P, ROLE.gone, SUB));
    const unknown = explainAccess({ principalId: P, action: CHAT, kind: 'dataAction', scope: ACCOUNT }, index, roles);
    assert.equal(unknown.notGrantedBy[0]?.roleName, undefined);
    assert.match(unknown.summary, /unknown role definition .*: the role definition does not exist/);
    const none = explainAccess({ principalId: P, action: 'Microsoft.Nothing/grants/this', kind: 'dataAction', scope: ACCOUNT }, index, roles);
    assert.equal(none.fix, undefined);
    assert.match(none.summary, /no built-in role grants it$/);
  });

  test('roles resolve only through the resolver it is given (a custom role works the same)', () => {
    const custom = {
      name: '99999999-0000-0000-0000-000000000001', roleName: 'Chat only', description: '', roleType: 'CustomRole' as const, assignableScopes: [SUB],
      permissions: [{ actions: [], notActions: [], dataActions: [CHAT], notDataActions: [] }],
    };
    const resolver: RoleResolver = (id) => (id.toLowerCase().endsWith(custom.name) ? custom : findRoleDefinition(id));
    const index = new AssignmentIndex();
    index.upsert(assignment(P, custom.name, ACCOUNT));
    for (const [action, allowed] of [[CHAT, true], [EMBEDDINGS, false]] as const) {
      const e = explainAccess({ principalId: P, action, kind: 'dataAction', scope: ACCOUNT }, index, resolver);
      assert.equal(e.allowed, allowed);
      assert.equal(e.allowed, authorize({ principalId: P, action, kind: 'dataAction', scope: ACCOUNT }, index, resolver).allowed);
    }
  });
});

describe('whoCan', () => {
  test('holders through which assignment, orphans marked, and those who can grant themselves', () => {
    const index = new AssignmentIndex();
    const [user, orphan, admin, contributor, elsewhere] = [1, 2, 3, 4, 5].map((n) => principal(800 + n)) as [string, string, string, string, string];
    const userGrant = assignment(user, ROLE.openaiUser, ACCOUNT);
    const orphanGrant = assignment(orphan, ROLE.openaiContributor, RG);
    const adminGrant = assignment(admin, ROLE.uaa, SUB);
    for (const a of [userGrant, orphanGrant, adminGrant, assignment(contributor, ROLE.contributor, SUB), assignment(elsewhere, ROLE.openaiUser, OTHER_ACCOUNT)]) index.upsert(a);
    const names: Record<string, string> = { [user]: 'chat-app', [admin]: 'platform-admin', [contributor]: 'deployer', [elsewhere]: 'other-app' };
    const answer = whoCan({ action: CHAT, kind: 'dataAction', scope: ACCOUNT }, index, roles, (id) => (names[id] ? { displayName: names[id] } : undefined));
    assert.deepEqual(
      answer.holders.map((h) => [h.principalId, h.displayName, h.orphaned, h.grantedBy.map((g) => [g.assignmentId, g.roleName, g.matched])]),
      [
        [user, 'chat-app', false, [[userGrant.id, 'Cognitive Services OpenAI User', CHAT]]],
        [orphan, null, true, [[orphanGrant.id, 'Cognitive Services OpenAI Contributor', `${OPENAI}/*`]]],
      ],
    );
    assert.deepEqual(
      answer.canGrantThemselves.map((h) => [h.principalId, h.grantedBy.map((g) => [g.roleName, g.matched])]),
      [[admin, [['User Access Administrator', 'Microsoft.Authorization/*']]]],
    );
  });
});
