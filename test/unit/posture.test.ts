import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AssignmentIndex, authorize, findRoleDefinition, type RoleAssignment, type RoleDefinition } from '../../src/rbac/index.js';
import type { Principal } from '../../src/directory/index.js';
import type { Resource } from '../../src/resources/index.js';
import { assessPosture, hasWildcardDataActions, reachesSeverity, type PostureInput } from '../../src/posture/index.js';

/** Posture's rules as pure functions of a hand-built input, with a custom role as the RBAC lookup would return it. */
const SUB = '00000000-0000-0000-0000-000000000001';
const GROUP = `/subscriptions/${SUB}/resourceGroups/rg`;
const ACCOUNT = `${GROUP}/providers/Microsoft.CognitiveServices/accounts/acct`;
const NOW = Date.parse('2026-06-01T00:00:00Z');

const CUSTOM_ID = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/11111111-2222-3333-4444-555555555555`;
const everythingOnData: RoleDefinition = {
  name: '11111111-2222-3333-4444-555555555555',
  roleName: 'All the data',
  description: 'every data action',
  roleType: 'CustomRole',
  permissions: [{ actions: [], notActions: [], dataActions: ['*'], notDataActions: [] }],
  assignableScopes: [`/subscriptions/${SUB}`],
};
const chatOnly: RoleDefinition = {
  ...everythingOnData,
  name: '66666666-2222-3333-4444-555555555555',
  roleName: 'Chat only',
  permissions: [{ actions: [], notActions: [], dataActions: ['Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action'], notDataActions: [] }],
};

function principal(objectId: string, kind: Principal['kind'] = 'Application'): Principal {
  return { objectId, appId: `app-${objectId}`, kind, displayName: `p-${objectId}`, resourceId: null, applicationObjectId: null, createdAt: '2026-01-01T00:00:00Z' };
}

function assignment(name: string, principalId: string, roleDefinitionId: string, scope: string): RoleAssignment {
  return { id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`, name, scope, roleDefinitionId, principalId, principalType: 'ServicePrincipal', createdOn: '2026-01-01T00:00:00Z' };
}

function inputWith(assignments: RoleAssignment[], resources: Resource[] = [], principals: Principal[] = [], roles: RoleDefinition[] = []): PostureInput {
  const index = new AssignmentIndex();
  for (const a of assignments) index.upsert(a);
  // The lookup authorize() is given: built-ins, and the custom roles as the role-definition store would answer.
  const role = (id: string): RoleDefinition | undefined =>
    [everythingOnData, chatOnly].find((r) => id.toLowerCase().endsWith(r.name)) ?? findRoleDefinition(id);
  return {
    subscriptionId: SUB, now: NOW, maxKeyAgeDays: 90, resources, principals: new Map(principals.map((p) => [p.objectId, p])),
    secrets: [], certificates: [], federatedCredentials: [], keys: [], assignments,
    role,
    roles,
    authorize: (principalId, action, kind, scope) => authorize({ principalId, action, kind, scope }, index, role),
    exempt: new Set(),
  };
}

describe('posture rules', () => {
  test('a custom role with `*` data actions is high, once, counting its assignments; a narrow custom role is not reported', () => {
    assert.equal(hasWildcardDataActions(everythingOnData), true);
    assert.equal(hasWildcardDataActions(chatOnly), false);
    assert.equal(hasWildcardDataActions(findRoleDefinition('Cognitive Services OpenAI Contributor')!), false, 'built-in roles are not reported');
    const report = assessPosture(inputWith(
      [assignment('a1', 'p1', CUSTOM_ID, ACCOUNT), assignment('a2', 'p2', CUSTOM_ID, ACCOUNT), assignment('a3', 'p3', CUSTOM_ID.replace('11111111', '66666666'), ACCOUNT)],
      [],
      [principal('p1'), principal('p2'), principal('p3')],
    ));
    assert.deepEqual(report.value.map((f) => [f.code, f.severity, f.resource, f.summary]), [
      ['CustomRoleWildcardDataActions', 'high', everythingOnData.name, "custom role 'All the data' grants data actions * through 2 assignment(s)"],
    ]);
  });

  test('a custom role with `*` data actions assigned to nobody is medium; a narrow one is not reported', () => {
    const report = assessPosture(inputWith([], [], [], [everythingOnData, chatOnly]));
    assert.deepEqual(report.value.map((f) => [f.code, f.severity, f.resource, f.summary]), [
      ['CustomRoleWildcardDataActions', 'medium', everythingOnData.name, "custom role 'All the data' grants data actions * through 0 assignment(s)"],
    ]);
  });

  test('a custom data role at group scope is also broader than one account', () => {
    const report = assessPosture(inputWith([assignment('a1', 'p1', CUSTOM_ID.replace('11111111', '66666666'), GROUP)], [], [principal('p1')]));
    assert.deepEqual(report.value.map((f) => f.code), ['DataRoleBroaderThanAccount']);
    assert.deepEqual(report.summary, { high: 0, medium: 1, low: 0 });
  });

  test('escalation through a user-assigned identity: listed for a Contributor on the VM, not for an Owner who could grant itself anyway', () => {
    const vm = `${GROUP}/providers/Microsoft.Compute/virtualMachines/vm1`;
    const uai = `${GROUP}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/ops`;
    const resource = (id: string, type: string, extra: Partial<Resource>): Resource => ({
      id, key: id.toLowerCase(), groupKey: GROUP.toLowerCase(), parentKey: null, type, name: id.split('/').pop()!, location: 'eastus', kind: null, sku: null, tags: {},
      properties: {}, identity: null, createdAt: '2026-01-01T00:00:00Z', ...extra,
    });
    const resources = [
      resource(uai, 'Microsoft.ManagedIdentity/userAssignedIdentities', { properties: { principalId: 'uai-p' } }),
      resource(vm, 'Microsoft.Compute/virtualMachines', { identity: { systemPrincipalId: null, userAssigned: [uai], userAssignedPrincipals: { [uai.toLowerCase()]: 'uai-p' } } }),
    ];
    const owner = findRoleDefinition('Owner')!.name;
    const contributor = findRoleDefinition('Contributor')!.name;
    const assignments = [
      assignment('a1', 'uai-p', owner, GROUP),
      assignment('a2', 'dev', contributor, vm),
      assignment('a3', 'boss', owner, `/subscriptions/${SUB}`),
    ];
    const report = assessPosture(inputWith(assignments, resources, [principal('uai-p', 'UserAssignedIdentity'), principal('dev'), principal('boss')]));
    const paths = report.value.filter((f) => f.code === 'HostEscalationPath');
    assert.deepEqual(paths.map((f) => f.path), [{
      principal: 'dev',
      via: { role: 'Contributor', scope: vm, assignmentId: assignments[1]!.id },
      host: vm,
      identity: { principalId: 'uai-p', kind: 'UserAssigned', resourceId: uai },
      role: { name: 'Owner', scope: GROUP, assignmentId: assignments[0]!.id },
    }]);
    assert.equal(paths[0]!.summary, `'p-dev' (dev) → host ${vm} → user-assigned identity ${uai} → Owner at ${GROUP}`);
    assert.deepEqual(report.value.filter((f) => f.code === 'UnattachedUserAssignedIdentity'), [], 'attached to the VM');
  });

  test('exempt principals are not reported; reachesSeverity gates high and medium', () => {
    const input = { ...inputWith([assignment('a1', 'p1', findRoleDefinition('Owner')!.name, `/subscriptions/${SUB}`)], [], [principal('p1')]) };
    assert.deepEqual(assessPosture(input).value.map((f) => f.code), ['PrivilegedRoleHeldByWorkload']);
    assert.deepEqual(assessPosture({ ...input, exempt: new Set(['p1']) }).value, []);
    assert.equal(reachesSeverity([{ severity: 'medium' }], 'high'), false);
    assert.equal(reachesSeverity([{ severity: 'medium' }], 'medium'), true);
    assert.equal(reachesSeverity([{ severity: 'low' }], 'medium'), false);
  });
});
