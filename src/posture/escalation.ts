import { PRIVILEGED_ACTION, type RoleAssignment } from '../rbac/index.js';
import { boundUserPrincipal, idKey, RESOURCE_TYPES, type Resource } from '../resources/index.js';
import { deleteAssignment } from './commands.js';
import type { PostureInput } from './input.js';
import type { EscalationPath, Finding } from './model.js';

/** Role ids of Owner, User Access Administrator, Role Based Access Control Administrator. */
const GRANTING_ROLE_IDS = new Set(['8e3af657-a8ff-443c-a75c-2fe8c4bcb635', '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9', 'f58310d9-a9f6-439a-9e8d-f62e7b41a168']);

interface HostIdentity {
  readonly principalId: string;
  readonly kind: 'SystemAssigned' | 'UserAssigned';
  readonly resourceId: string | null;
}

/**
 * Escalation through hosts: a web app or VM whose identity may grant roles
 * (Owner, User Access Administrator, RBAC Administrator) while another
 * principal may act as the host (listIdentityEnvironment, as Contributor or
 * `*` on it). That principal gets the identity's tokens, so it holds the
 * identity's roles. A principal that may already write role assignments at
 * that scope gains nothing, and is not listed.
 */
export function escalationFindings(input: PostureInput): Finding[] {
  const findings: Finding[] = [];
  const actors = [...new Set(input.assignments.map((a) => a.principalId.toLowerCase()))];
  const byKey = new Map(input.resources.map((r) => [r.key, r]));
  for (const host of input.resources) {
    if (host.type !== RESOURCE_TYPES.site && host.type !== RESOURCE_TYPES.virtualMachine) continue;
    for (const identity of hostIdentities(host, byKey)) {
      for (const held of grantingAssignments(input, identity.principalId)) {
        for (const actor of actors) {
          if (actor === identity.principalId.toLowerCase()) continue;
          const acting = input.authorize(actor, `${host.type}/listIdentityEnvironment/action`, 'action', host.id);
          if (!acting.allowed) continue;
          if (input.authorize(actor, PRIVILEGED_ACTION, 'action', held.assignment.scope).allowed) continue;
          const path: EscalationPath = {
            principal: actor,
            via: { role: acting.grantedBy.roleName, scope: acting.grantedBy.scope, assignmentId: acting.grantedBy.assignmentId },
            host: host.id,
            identity,
            role: { name: held.roleName, scope: held.assignment.scope, assignmentId: held.assignment.id },
          };
          findings.push(escalationFinding(input, path));
        }
      }
    }
  }
  return findings;
}

function hostIdentities(host: Resource, byKey: ReadonlyMap<string, Resource>): HostIdentity[] {
  const state = host.identity;
  if (state === null) return [];
  const identities: HostIdentity[] = [];
  if (state.systemPrincipalId !== null) identities.push({ principalId: state.systemPrincipalId, kind: 'SystemAssigned', resourceId: null });
  for (const id of state.userAssigned) {
    const principal = boundUserPrincipal(state, idKey(id), byKey.get(idKey(id))?.properties['principalId']);
    if (principal !== undefined) identities.push({ principalId: principal, kind: 'UserAssigned', resourceId: id });
  }
  return identities;
}

function grantingAssignments(input: PostureInput, principalId: string): { assignment: RoleAssignment; roleName: string }[] {
  const held: { assignment: RoleAssignment; roleName: string }[] = [];
  for (const assignment of input.assignments) {
    if (assignment.principalId.toLowerCase() !== principalId.toLowerCase()) continue;
    const role = input.role(assignment.roleDefinitionId);
    if (role !== undefined && GRANTING_ROLE_IDS.has(role.name.toLowerCase())) held.push({ assignment, roleName: role.roleName });
  }
  return held;
}

function escalationFinding(input: PostureInput, path: EscalationPath): Finding {
  const actor = input.principals.get(path.principal);
  const who = actor === undefined ? `principal ${path.principal} (deleted)` : `'${actor.displayName}' (${path.principal})`;
  const identity = path.identity.kind === 'SystemAssigned' ? `its system-assigned identity ${path.identity.principalId}` : `user-assigned identity ${path.identity.resourceId ?? path.identity.principalId}`;
  return {
    code: 'HostEscalationPath',
    severity: 'high',
    resource: path.host,
    summary: `${who} → host ${path.host} → ${identity} → ${path.role.name} at ${path.role.scope}`,
    why: `${who} may act as the host (${path.via.role} at ${path.via.scope} allows listIdentityEnvironment), so it gets the identity's tokens and, through ${path.role.name}, may grant itself any role at ${path.role.scope}; either fix command closes the path`,
    fix: [deleteAssignment(path.role.assignmentId), deleteAssignment(path.via.assignmentId)],
    path,
  };
}
