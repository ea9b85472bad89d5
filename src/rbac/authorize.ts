import { permissionGrantsLowered } from './action-match.js';
import type { AssignmentIndex, IndexedAssignment } from './assignment-index.js';
import { BUILTIN_ROLES } from './builtin-roles.js';
import type { ActionKind, Decision, RequestAttributes, RoleDefinition } from './model.js';
import { ancestorSet } from './scope.js';

/*
 * Azure's RBAC decision. The effective permission of a principal at a scope is
 * the union, over its assignments at that scope or any ancestor, of each role's
 * (actions − notActions) or (dataActions − notDataActions). A role's
 * not-lists only subtract from that same role, never from another assignment.
 * There are no deny assignments here. Orphaned assignments (principal deleted)
 * still count, as in Azure: this function never looks principals up.
 */

export interface AuthorizeInput {
  readonly principalId: string;
  /** e.g. "Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action". */
  readonly action: string;
  readonly kind: ActionKind;
  /** The ARM scope the action targets, e.g. a deployment's resource id. */
  readonly scope: string;
  /** What the request carries for roles with an ABAC condition (the role an assignment write grants); absent, conditional grants do not count. */
  readonly attributes?: RequestAttributes | undefined;
}

export type RoleResolver = (roleDefinitionId: string) => RoleDefinition | undefined;

function roleGrants(role: RoleDefinition, kind: ActionKind, loweredAction: string, attributes?: RequestAttributes): boolean {
  for (const p of role.permissions) if (permissionGrantsLowered(p, kind, loweredAction, attributes)) return true;
  return false;
}

export function authorize(input: AuthorizeInput, assignments: AssignmentIndex, roles: RoleResolver): Decision {
  const entries = assignments.entriesFor(input.principalId);
  if (entries.length > 0) {
    const chain = ancestorSet(input.scope);
    const action = input.action.toLowerCase();
    for (const e of entries) {
      if (!chain.has(e.scopeKey)) continue;
      const role = roles(e.assignment.roleDefinitionId);
      if (role !== undefined && roleGrants(role, input.kind, action, input.attributes)) {
        return {
          allowed: true,
          grantedBy: { assignmentId: e.assignment.id, roleName: role.roleName, scope: e.assignment.scope },
        };
      }
    }
  }
  return { allowed: false, reason: explainDenial(input, entries, roles) };
}

/** Built-in roles that would grant the action; computed only when explaining a denial. */
export function rolesGranting(action: string, kind: ActionKind): readonly RoleDefinition[] {
  const lowered = action.toLowerCase();
  const key = `${kind} ${lowered}`;
  let roles = grantingCache.get(key);
  if (roles === undefined) {
    roles = BUILTIN_ROLES.filter((r) => roleGrants(r, kind, lowered));
    if (grantingCache.size >= GRANTING_CACHE_LIMIT) grantingCache.clear();
    grantingCache.set(key, roles);
  }
  return roles;
}

/** Denials repeat the same few actions: the built-ins that would grant each are worked out once. */
const GRANTING_CACHE_LIMIT = 1024;
const grantingCache = new Map<string, readonly RoleDefinition[]>();

const HINT_ROLES = 10;

/** The "why" of a denial, for audit and CLI (never for data-plane response bodies). */
function explainDenial(input: AuthorizeInput, entries: readonly IndexedAssignment[], roles: RoleResolver): string {
  const what = input.kind === 'dataAction' ? 'data action' : 'action';
  const chain = ancestorSet(input.scope);
  const held = entries
    .filter((e) => chain.has(e.scopeKey))
    .map((e) => {
      const role = roles(e.assignment.roleDefinitionId);
      const name = role?.roleName ?? `unknown role definition ${e.assignment.roleDefinitionId}`;
      return `${name} at ${e.assignment.scope}`;
    });
  const granting = rolesGranting(input.action, input.kind).map((r) => r.roleName);
  // A read can be granted by dozens of built-ins: name the narrowest few.
  const named = granting.length > HINT_ROLES ? [...granting.slice(0, HINT_ROLES), `and ${granting.length - HINT_ROLES} more`] : granting;
  const hint = granting.length > 0 ? `roles that would: ${named.join(', ')}` : 'no built-in role grants it';
  const start = `principal ${input.principalId} lacks ${what} ${input.action} at scope ${input.scope}`;
  const heldText = held.length > 0 ? `its roles there (${held.join('; ')}) do not grant it` : 'it has no role assignment at or above that scope';
  return `${start}: ${heldText}; ${hint}`;
}
