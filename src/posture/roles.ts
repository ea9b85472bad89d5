import { isWithinScope, PRIVILEGED_ROLE_IDS, type RoleAssignment, type RoleDefinition } from '../rbac/index.js';
import { parseResourceId, RESOURCE_TYPES } from '../resources/index.js';
import { deleteAssignmentAction } from './actions.js';
import { createAssignment, deleteAssignment } from './commands.js';
import type { PostureInput } from './input.js';
import type { Finding } from './model.js';

/** Data actions that can reach an account's data (the catalogue also has VM login and storage data roles, which cannot). */
function reachesAccountData(role: RoleDefinition): boolean {
  return role.permissions.some((p) => p.dataActions.some((a) => a.startsWith('*') || a.toLowerCase().startsWith('microsoft.cognitiveservices/')));
}

type ScopeLevel = 'root' | 'subscription' | 'group' | 'resource';

export function scopeLevel(scope: string): ScopeLevel {
  const parsed = parseResourceId(scope);
  if (parsed === undefined) return 'root';
  if (parsed.resourceGroup === undefined) return 'subscription';
  return parsed.type === undefined ? 'group' : 'resource';
}

/** Role assignments: privileged roles on workloads, data roles wider than an account, orphans, custom roles with wildcard data actions. */
export function roleFindings(input: PostureInput): Finding[] {
  const findings: Finding[] = [];
  const wildcardRoles = new Map<string, { role: RoleDefinition; assignments: RoleAssignment[] }>();
  for (const assignment of input.assignments) {
    const principalKey = assignment.principalId.toLowerCase();
    if (input.exempt.has(principalKey)) continue;
    const role = input.role(assignment.roleDefinitionId);
    const principal = input.principals.get(principalKey);
    const roleName = role?.roleName ?? assignment.roleDefinitionId;
    const level = scopeLevel(assignment.scope);
    if (principal === undefined) {
      findings.push({
        code: 'OrphanedRoleAssignment',
        severity: 'low',
        resource: assignment.id,
        summary: `${roleName} at ${assignment.scope} is assigned to principal ${assignment.principalId}, which no longer exists`,
        why: 'it grants nothing today, but it hides real access among dead entries and is what an auditor asks about first',
        fix: [deleteAssignment(assignment.id)],
        action: deleteAssignmentAction(assignment.id, `${roleName} of deleted principal ${assignment.principalId} at ${assignment.scope}`),
      });
      continue;
    }
    if (role === undefined) continue;
    if (PRIVILEGED_ROLE_IDS.has(role.name.toLowerCase()) && level !== 'resource') {
      findings.push({
        code: 'PrivilegedRoleHeldByWorkload',
        severity: 'high',
        resource: assignment.id,
        summary: `${principalLabel(principal.kind)} '${principal.displayName}' (${principal.objectId}) holds ${role.roleName} at ${level} scope ${assignment.scope}`,
        why: `whoever gets its credential (or acts as its host) controls every resource in the ${level}${role.roleName === 'Contributor' ? ', keys included (listKeys)' : ' and may grant any role to anyone'}`,
        fix: [deleteAssignment(assignment.id)],
        action: deleteAssignmentAction(assignment.id, `${role.roleName} of '${principal.displayName}' at ${assignment.scope}`),
      });
    }
    if (reachesAccountData(role) && level !== 'resource') {
      const accounts = input.resources.filter((r) => r.type === RESOURCE_TYPES.account && isWithinScope(r.id, assignment.scope));
      findings.push({
        code: 'DataRoleBroaderThanAccount',
        severity: 'medium',
        resource: assignment.id,
        summary: `${principalLabel(principal.kind)} '${principal.displayName}' (${principal.objectId}) holds data role ${role.roleName} at ${level} scope ${assignment.scope} (${accounts.length} account(s) there today, and every future one)`,
        why: 'a data role at a group or subscription reaches every account created there later; grant it on the accounts the workload calls',
        fix: [...accounts.map((a) => createAssignment(principal.objectId, role.roleName, a.id)), deleteAssignment(assignment.id)],
        // One call only when no account is there yet: otherwise the narrower grants come first.
        ...(accounts.length === 0 ? { action: deleteAssignmentAction(assignment.id, `${role.roleName} of '${principal.displayName}' at ${assignment.scope}`) } : {}),
      });
    }
    if (hasWildcardDataActions(role)) {
      const entry = wildcardRoles.get(role.name.toLowerCase()) ?? { role, assignments: [] };
      entry.assignments.push(assignment);
      wildcardRoles.set(role.name.toLowerCase(), entry);
    }
  }
  for (const { role, assignments } of wildcardRoles.values()) findings.push(customRoleFinding(role, assignments));
  // Not assigned yet: loose all the same, one assignment away from granting everything.
  for (const role of input.roles) {
    if (hasWildcardDataActions(role) && !wildcardRoles.has(role.name.toLowerCase())) findings.push(customRoleFinding(role, []));
  }
  return findings;
}

/** A custom role whose dataActions hold `*` or a whole namespace or type (`…/*`). Built-in roles are Microsoft's, and not reported. */
export function hasWildcardDataActions(role: RoleDefinition): boolean {
  return role.roleType === 'CustomRole' && role.permissions.some((p) => p.dataActions.some((a) => a === '*' || a.endsWith('/*')));
}

function customRoleFinding(role: RoleDefinition, assignments: readonly RoleAssignment[]): Finding {
  const wildcards = [...new Set(role.permissions.flatMap((p) => p.dataActions.filter((a) => a === '*' || a.endsWith('/*'))))];
  return {
    code: 'CustomRoleWildcardDataActions',
    // Held by someone, it grants today; assigned to nobody, it is one assignment away.
    severity: assignments.length > 0 ? 'high' : 'medium',
    resource: role.name,
    summary: `custom role '${role.roleName}' grants data actions ${wildcards.join(', ')} through ${assignments.length} assignment(s)`,
    why: 'a wildcard data action grants every data operation, including those added later (fine-tuning, files, assistants), to every holder; list the ones it needs instead (e.g. Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action)',
    fix: ['keyless role definition update --role-definition ROLE.json'],
  };
}

export function principalLabel(kind: string): string {
  return kind === 'Application' ? 'application' : kind === 'SystemAssignedIdentity' ? 'system-assigned identity' : 'user-assigned identity';
}
