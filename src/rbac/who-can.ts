import type { AssignmentIndex } from './assignment-index.js';
import type { RoleResolver } from './authorize.js';
import { judgeAssignment, type AssignmentVerdict } from './explain.js';
import type { ActionKind, PrincipalType, RoleAssignment } from './model.js';
import { PRIVILEGED_ACTION } from './privileged.js';
import { canonicalScope } from './scope.js';

/*
 * Every principal that may perform an action at a scope, read from the
 * assignments that apply there (at the scope or above) and judged one by one
 * as `explainAccess()` judges them, so each answer is `authorize()`'s for that
 * principal. Orphaned assignments (the principal was deleted) still grant, as
 * in Azure, and are marked. Principals that hold roleAssignments/write there
 * can grant themselves the action, and are listed apart.
 */

/** What the directory says of a principal; undefined when it no longer exists. */
export type PrincipalLookup = (principalId: string) => { readonly displayName: string } | undefined;

export interface PrincipalAccess {
  readonly principalId: string;
  readonly principalType: PrincipalType;
  /** Null for an orphaned assignment's principal. */
  readonly displayName: string | null;
  /** True when the principal no longer exists; its assignments still grant until they are deleted. */
  readonly orphaned: boolean;
  /** The assignments that grant (the action asked about, or roleAssignments/write for those who can grant themselves). */
  readonly grantedBy: readonly AssignmentVerdict[];
}

export interface WhoCanAnswer {
  readonly action: string;
  readonly kind: ActionKind;
  readonly scope: string;
  /** Principals that may perform the action there now. */
  readonly holders: readonly PrincipalAccess[];
  /** Principals that may not, but hold Microsoft.Authorization/roleAssignments/write there and so can grant it to themselves. */
  readonly canGrantThemselves: readonly PrincipalAccess[];
}

function granting(list: readonly RoleAssignment[], roles: RoleResolver, kind: ActionKind, action: string): AssignmentVerdict[] {
  return list.map((a) => judgeAssignment(a, roles(a.roleDefinitionId), kind, action)).filter((v) => v.grants);
}

export function whoCan(input: { action: string; kind: ActionKind; scope: string }, assignments: AssignmentIndex, roles: RoleResolver, principals: PrincipalLookup): WhoCanAnswer {
  const byPrincipal = new Map<string, RoleAssignment[]>();
  for (const a of assignments.list({ scope: input.scope, scopeMatch: 'atOrAbove' })) {
    const key = a.principalId.toLowerCase();
    const list = byPrincipal.get(key);
    if (list === undefined) byPrincipal.set(key, [a]);
    else list.push(a);
  }
  const holders: PrincipalAccess[] = [];
  const canGrantThemselves: PrincipalAccess[] = [];
  for (const [principalId, list] of byPrincipal) {
    const found = principals(principalId);
    const access = (grantedBy: readonly AssignmentVerdict[]): PrincipalAccess => ({
      principalId,
      principalType: (list[0] as RoleAssignment).principalType,
      displayName: found?.displayName ?? null,
      orphaned: found === undefined,
      grantedBy,
    });
    const direct = granting(list, roles, input.kind, input.action);
    if (direct.length > 0) {
      holders.push(access(direct));
      continue;
    }
    const escalation = granting(list, roles, 'action', PRIVILEGED_ACTION);
    if (escalation.length > 0) canGrantThemselves.push(access(escalation));
  }
  const order = (a: PrincipalAccess, b: PrincipalAccess): number => (a.displayName ?? '\uffff').localeCompare(b.displayName ?? '\uffff') || a.principalId.localeCompare(b.principalId);
  return { action: input.action, kind: input.kind, scope: canonicalScope(input.scope), holders: holders.sort(order), canGrantThemselves: canGrantThemselves.sort(order) };
}
