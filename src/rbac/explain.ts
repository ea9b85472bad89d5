import { compilePattern, conditionRefuses } from './action-match.js';
import type { AssignmentIndex } from './assignment-index.js';
import { rolesGranting, type RoleResolver } from './authorize.js';
import type { ActionKind, Permission, RequestAttributes, RoleAssignment, RoleDefinition } from './model.js';
import { ancestorSet, canonicalScope } from './scope.js';

/*
 * Why a principal may or may not do something at a scope. It walks the same
 * assignments as `authorize()` (the principal's own, at the scope or above),
 * resolves roles through the same resolver and matches with the same compiled
 * patterns, so its verdict is `authorize()`'s; it only keeps what it saw on
 * the way. Not for the hot path: callers compute it for denials and for the
 * operator's questions.
 */

/** How one assignment judged the action: which pattern let it in, and which not-pattern took it out. */
export interface AssignmentVerdict {
  readonly assignmentId: string;
  /** The assignment's own scope (the requested one or an ancestor). */
  readonly assignmentScope: string;
  readonly roleDefinitionId: string;
  /** Undefined when the role definition no longer resolves (it then grants nothing). */
  readonly roleName: string | undefined;
  readonly grants: boolean;
  /** The actions/dataActions pattern that matched, in the role's own spelling. */
  readonly matched: string | undefined;
  /** The notActions/notDataActions pattern that subtracted the match, if one did. */
  readonly subtractedBy: string | undefined;
  /** Set when the pattern is only in the other list (an action asked as a data action, or the reverse): that list never grants it. */
  readonly otherKindMatched: string | undefined;
  /** Present only when the lists grant it but the role's ABAC condition does not (e.g. an assignment of a role the condition does not name). */
  readonly refusedByCondition?: string;
}

/** The smallest grant that would turn a denial into an allow. */
export interface AccessFix {
  readonly roleName: string;
  /** The role definition's GUID. */
  readonly roleId: string;
  readonly scope: string;
  /** The exact CLI command that makes the assignment. */
  readonly command: string;
}

export interface AccessExplanation {
  readonly principalId: string;
  readonly action: string;
  readonly kind: ActionKind;
  readonly scope: string;
  readonly allowed: boolean;
  /** Every assignment at the scope or above that grants it. */
  readonly grantedBy: readonly AssignmentVerdict[];
  /** The principal's other assignments at the scope or above, and why each does not grant it. */
  readonly notGrantedBy: readonly AssignmentVerdict[];
  /** For a denial: the narrowest built-in role that grants it, at the requested scope; undefined when none does. */
  readonly fix: AccessFix | undefined;
  /** One sentence: the verdict and its reason (for a denial, the fix's role by name; the command is `fix.command`). */
  readonly summary: string;
}

export interface ExplainInput {
  readonly principalId: string;
  readonly action: string;
  readonly kind: ActionKind;
  readonly scope: string;
  /** As for `authorize()`: what the request carries for roles with a condition. */
  readonly attributes?: RequestAttributes | undefined;
}

/** The first pattern of a list that matches the lowered action, in its own spelling. */
function firstMatch(patterns: readonly string[], lowered: string): string | undefined {
  for (const p of patterns) if (compilePattern(p).test(lowered)) return p;
  return undefined;
}

interface BlockVerdict {
  readonly matched: string | undefined;
  readonly subtractedBy: string | undefined;
  readonly refusedByCondition?: string;
}

/** One permission block's judgement, with the same lists and condition `permissionGrantsLowered` reads. */
function judgeBlock(p: Permission, kind: ActionKind, lowered: string, attributes?: RequestAttributes): BlockVerdict {
  const [allow, deny] = kind === 'dataAction' ? [p.dataActions, p.notDataActions] : [p.actions, p.notActions];
  const matched = firstMatch(allow, lowered);
  const subtractedBy = matched === undefined ? undefined : firstMatch(deny, lowered);
  if (matched !== undefined && subtractedBy === undefined && p.condition !== undefined && conditionRefuses(p, lowered, attributes)) {
    return { matched, subtractedBy, refusedByCondition: p.condition };
  }
  return { matched, subtractedBy };
}

/** How one assignment's role judges the action: granted by the first block that grants, else the most telling refusal. */
export function judgeAssignment(
  assignment: RoleAssignment,
  role: RoleDefinition | undefined,
  kind: ActionKind,
  action: string,
  attributes?: RequestAttributes,
): AssignmentVerdict {
  const lowered = action.toLowerCase();
  const base = {
    assignmentId: assignment.id,
    assignmentScope: assignment.scope,
    roleDefinitionId: assignment.roleDefinitionId,
    roleName: role?.roleName,
  };
  let refused: BlockVerdict = { matched: undefined, subtractedBy: undefined };
  for (const p of role?.permissions ?? []) {
    const v = judgeBlock(p, kind, lowered, attributes);
    if (v.matched !== undefined && v.subtractedBy === undefined && v.refusedByCondition === undefined) return { ...base, grants: true, matched: v.matched, subtractedBy: undefined, otherKindMatched: undefined };
    if (v.matched !== undefined && refused.matched === undefined) refused = v;
  }
  const other: ActionKind = kind === 'dataAction' ? 'action' : 'dataAction';
  let otherKindMatched: string | undefined;
  if (refused.matched === undefined) {
    for (const p of role?.permissions ?? []) otherKindMatched ??= judgeBlock(p, other, lowered).matched;
  }
  const condition = refused.refusedByCondition === undefined ? {} : { refusedByCondition: refused.refusedByCondition };
  return { ...base, grants: false, matched: refused.matched, subtractedBy: refused.subtractedBy, otherKindMatched, ...condition };
}

/** The exact command that grants `role` to the principal at `scope`. */
export function assignmentCommand(principalId: string, roleName: string, scope: string): string {
  return `keyless role assignment create --assignee ${principalId} --role "${roleName}" --scope ${scope}`;
}

/** The narrowest built-in role that grants the action (built-ins are ordered from least to most privileged), at the scope asked about. */
export function narrowestFix(principalId: string, action: string, kind: ActionKind, scope: string): AccessFix | undefined {
  const role = rolesGranting(action, kind)[0];
  if (role === undefined) return undefined;
  const at = canonicalScope(scope);
  return { roleName: role.roleName, roleId: role.name, scope: at, command: assignmentCommand(principalId, role.roleName, at) };
}

/** Why an assignment does not grant, in a few words. */
export function refusalText(v: AssignmentVerdict, kind: ActionKind): string {
  const role = v.roleName ?? `unknown role definition ${v.roleDefinitionId}`;
  const head = `${role} at ${v.assignmentScope}`;
  const lists = kind === 'dataAction' ? ['dataActions', 'notDataActions'] : ['actions', 'notActions'];
  if (v.roleName === undefined) return `${head}: the role definition does not exist, so it grants nothing`;
  if (v.subtractedBy !== undefined) return `${head}: ${lists[0]} '${v.matched}' matches, but ${lists[1]} '${v.subtractedBy}' removes it`;
  if (v.refusedByCondition !== undefined) return `${head}: ${lists[0]} '${v.matched}' matches, but the role's condition does not allow it for this request`;
  if (v.otherKindMatched !== undefined) {
    return `${head}: only its ${kind === 'dataAction' ? 'actions' : 'dataActions'} ('${v.otherKindMatched}') match, and those never grant ${kind === 'dataAction' ? 'a data action' : 'a control-plane action'}`;
  }
  return `${head}: no ${lists[0]} pattern matches`;
}

function summarize(input: ExplainInput, granted: readonly AssignmentVerdict[], refused: readonly AssignmentVerdict[], fix: AccessFix | undefined): string {
  const what = `${input.kind === 'dataAction' ? 'data action' : 'action'} ${input.action} at ${canonicalScope(input.scope)}`;
  if (granted.length > 0) {
    const via = granted.map((v) => `${v.roleName} at ${v.assignmentScope} ('${v.matched}')`).join('; ');
    return `principal ${input.principalId} may perform ${what}: granted by ${via}`;
  }
  const held = refused.length > 0 ? refused.map((v) => refusalText(v, input.kind)).join('; ') : 'it has no role assignment at or above that scope';
  const hint = fix === undefined ? 'no built-in role grants it' : `the narrowest built-in role that grants it: ${fix.roleName}`;
  return `principal ${input.principalId} lacks ${what}: ${held}; ${hint}`;
}

/**
 * The decision `authorize()` makes, with every assignment that grants it or
 * why each of the principal's assignments there does not, and for a denial
 * the narrowest built-in role that would grant it.
 */
export function explainAccess(input: ExplainInput, assignments: AssignmentIndex, roles: RoleResolver): AccessExplanation {
  const chain = ancestorSet(input.scope);
  const granted: AssignmentVerdict[] = [];
  const refused: AssignmentVerdict[] = [];
  for (const e of assignments.entriesFor(input.principalId)) {
    if (!chain.has(e.scopeKey)) continue;
    const verdict = judgeAssignment(e.assignment, roles(e.assignment.roleDefinitionId), input.kind, input.action, input.attributes);
    (verdict.grants ? granted : refused).push(verdict);
  }
  const allowed = granted.length > 0;
  const fix = allowed ? undefined : narrowestFix(input.principalId, input.action, input.kind, input.scope);
  return {
    principalId: input.principalId,
    action: input.action,
    kind: input.kind,
    scope: canonicalScope(input.scope),
    allowed,
    grantedBy: granted,
    notGrantedBy: refused,
    fix,
    summary: summarize(input, granted, refused, fix),
  };
}
