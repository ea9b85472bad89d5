import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AssignmentIndex, BUILTIN_ROLES, authorize, findRoleDefinition, narrowestFix, permissionGrants, PRIVILEGED_ACTION } from '../../src/rbac/index.js';
import type { ActionKind, Decision, RequestAttributes, RoleAssignment } from '../../src/rbac/index.js';
import { parseCondition } from '../../src/rbac/condition.js';
import { assignmentMaker, ROLE_IDS as ROLE } from '../fixtures/role-ids.js';

/** The built-in catalogue (issue 12): its size and shape, ABAC conditions, and how a few of the new roles decide. */
const SUB = '/subscriptions/00000000-0000-0000-0000-00000000000a';
const RG = `${SUB}/resourceGroups/rg-ai`;
const ACCOUNT = `${RG}/providers/Microsoft.CognitiveServices/accounts/aoai1`;
const P = '11111111-1111-1111-1111-111111111111';
const WRITE = 'Microsoft.Authorization/roleAssignments/write';
const DELETE = 'Microsoft.Authorization/roleAssignments/delete';
const roleId = (guid: string) => `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const assignment = assignmentMaker(SUB);

function check(role: string, at: string, action: string, kind: ActionKind, scope: string, attributes?: RequestAttributes): Decision {
  const index = new AssignmentIndex();
  const a: RoleAssignment = assignment(P, role, at);
  index.upsert(a);
  return authorize({ principalId: P, action, kind, scope, attributes }, index, findRoleDefinition);
}

describe('the built-in catalogue', () => {
  test('45 roles with unique ids and names, every id the tests name still there', () => {
    assert.equal(BUILTIN_ROLES.length, 45);
    assert.equal(new Set(BUILTIN_ROLES.map((r) => r.name)).size, 45);
    assert.equal(new Set(BUILTIN_ROLES.map((r) => r.roleName.toLowerCase())).size, 45);
    for (const id of Object.values(ROLE)) assert.ok(findRoleDefinition(id), id);
    for (const name of ['Website Contributor', 'Web Plan Contributor', 'Virtual Machine Contributor', 'Virtual Machine Administrator Login', 'Azure AI User', 'Cognitive Services Speech User']) {
      assert.ok(findRoleDefinition(name), name);
    }
  });

  test('only roles whose Azure definition has a condition carry one, version 2.0, in the form Keyless evaluates', () => {
    const conditional = BUILTIN_ROLES.filter((r) => r.permissions.some((p) => p.condition !== undefined)).map((r) => r.roleName);
    assert.deepEqual(conditional.sort(), ['Azure AI Account Owner', 'Azure AI Project Manager', 'Virtual Machine Data Access Administrator (preview)']);
    for (const role of BUILTIN_ROLES) {
      for (const p of role.permissions) {
        if (p.condition === undefined) continue;
        assert.equal(p.conditionVersion, '2.0');
        assert.equal(parseCondition(p.condition)?.length, 2, role.roleName);
      }
    }
    assert.equal(findRoleDefinition(ROLE.rbacAdmin)?.permissions[0]?.condition, undefined, "Azure's RBAC Administrator definition has none");
  });

  test('a condition in another form grants nothing at all', () => {
    const p = { actions: ['*'], notActions: [], dataActions: [], notDataActions: [], condition: "@Resource[Microsoft.Storage/x:y] StringEquals 'z'" };
    assert.equal(parseCondition(p.condition), undefined);
    assert.ok(!permissionGrants(p, 'action', 'Microsoft.Foo/bars/read'));
  });
});

describe('ABAC conditions on role assignment writes', () => {
  test('Azure AI Account Owner assigns and removes only Azure AI User; its other actions are unconditional', () => {
    const owner = ROLE.azureAiAccountOwner;
    assert.ok(check(owner, RG, WRITE, 'action', RG, { requestRoleDefinitionId: roleId(ROLE.azureAiUser) }).allowed);
    assert.ok(check(owner, RG, WRITE, 'action', RG, { requestRoleDefinitionId: ROLE.azureAiUser.toUpperCase() }).allowed);
    assert.ok(!check(owner, RG, WRITE, 'action', RG, { requestRoleDefinitionId: roleId(ROLE.owner) }).allowed);
    assert.ok(!check(owner, RG, WRITE, 'action', RG, { requestRoleDefinitionId: roleId(ROLE.openaiUser) }).allowed);
    assert.ok(check(owner, RG, DELETE, 'action', RG, { resourceRoleDefinitionId: roleId(ROLE.azureAiUser) }).allowed);
    assert.ok(!check(owner, RG, DELETE, 'action', RG, { resourceRoleDefinitionId: roleId(ROLE.uaa) }).allowed);
    assert.ok(check(owner, RG, 'Microsoft.CognitiveServices/accounts/listKeys/action', 'action', ACCOUNT).allowed);
    assert.ok(check(owner, RG, 'Microsoft.CognitiveServices/accounts/write', 'action', ACCOUNT).allowed);
  });

  test('without the request attribute (the privileged-operation gate, who-can) a conditional grant does not count', () => {
    for (const role of [ROLE.azureAiAccountOwner, ROLE.azureAiProjectManager, ROLE.vmDataAccessAdmin]) {
      const d = check(role, SUB, PRIVILEGED_ACTION, 'action', SUB);
      assert.ok(!d.allowed, role);
    }
    assert.ok(check(ROLE.rbacAdmin, SUB, PRIVILEGED_ACTION, 'action', SUB).allowed);
  });

  test('Virtual Machine Data Access Administrator assigns the two login roles and nothing else', () => {
    const admin = ROLE.vmDataAccessAdmin;
    assert.ok(check(admin, RG, WRITE, 'action', RG, { requestRoleDefinitionId: ROLE.vmUserLogin }).allowed);
    assert.ok(check(admin, RG, WRITE, 'action', RG, { requestRoleDefinitionId: '1c0163c0-47e6-4577-8991-ea5c82e286e4' }).allowed);
    assert.ok(!check(admin, RG, WRITE, 'action', RG, { requestRoleDefinitionId: ROLE.contributor }).allowed);
  });
});

describe('a few new roles decide as in Azure', () => {
  test('Cognitive Services Usages Reader reads usages, and neither keys nor accounts nor data', () => {
    const reader = ROLE.usagesReader;
    assert.ok(check(reader, SUB, 'Microsoft.CognitiveServices/locations/usages/read', 'action', `${SUB}/providers/Microsoft.CognitiveServices/locations/eastus`).allowed);
    assert.ok(!check(reader, SUB, 'Microsoft.CognitiveServices/accounts/listKeys/action', 'action', ACCOUNT).allowed);
    assert.ok(!check(reader, SUB, 'Microsoft.CognitiveServices/accounts/read', 'action', ACCOUNT).allowed);
    assert.ok(!check(reader, SUB, 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action', 'dataAction', ACCOUNT).allowed);
  });

  test('Website Contributor writes sites but not role assignments; Virtual Machine User Login logs in but not as admin', () => {
    const site = `${RG}/providers/Microsoft.Web/sites/app`;
    assert.ok(check(ROLE.websiteContributor, RG, 'Microsoft.Web/sites/write', 'action', site).allowed);
    assert.ok(!check(ROLE.websiteContributor, RG, WRITE, 'action', site).allowed);
    const vm = `${RG}/providers/Microsoft.Compute/virtualMachines/vm`;
    assert.ok(check(ROLE.vmUserLogin, RG, 'Microsoft.Compute/virtualMachines/login/action', 'dataAction', vm).allowed);
    assert.ok(!check(ROLE.vmUserLogin, RG, 'Microsoft.Compute/virtualMachines/loginAsAdmin/action', 'dataAction', vm).allowed);
  });

  test('the fix a denial suggests is the narrowest role that grants, over the larger catalogue', () => {
    const fix = (action: string, kind: ActionKind) => narrowestFix(P, action, kind, ACCOUNT)?.roleName;
    assert.equal(fix('Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action', 'dataAction'), 'Cognitive Services OpenAI User');
    assert.equal(fix('Microsoft.CognitiveServices/accounts/listKeys/action', 'action'), 'Cognitive Services User');
    assert.equal(fix('Microsoft.CognitiveServices/accounts/read', 'action'), 'Cognitive Services OpenAI User');
    assert.equal(fix('Microsoft.CognitiveServices/accounts/SpeechServices/speechrest/transcriptions/write', 'dataAction'), 'Cognitive Services Speech User');
    assert.equal(fix('Microsoft.CognitiveServices/locations/usages/read', 'action'), 'Cognitive Services Usages Reader');
    assert.equal(fix('Microsoft.ManagedIdentity/userAssignedIdentities/assign/action', 'action'), 'Managed Identity Operator');
    assert.equal(fix('Microsoft.Web/sites/write', 'action'), 'Website Contributor');
    assert.equal(fix(WRITE, 'action'), 'Role Based Access Control Administrator');
  });

  test('a denial names at most ten of the roles that would grant it', () => {
    const d = check(ROLE.usagesReader, SUB, 'Microsoft.CognitiveServices/accounts/read', 'action', ACCOUNT);
    assert.ok(!d.allowed);
    if (d.allowed) return;
    assert.match(d.reason, /roles that would: Cognitive Services OpenAI User, Cognitive Services OpenAI Contributor, (?:[^,]+, ){8}and \d+ more$/);
  });
});
