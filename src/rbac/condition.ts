import { compilePattern } from './action-match.js';
import type { RequestAttributes } from './model.js';

/*
 * Azure ABAC conditions on built-in role definitions. Keyless evaluates the
 * one form Azure's built-ins use: a conjunction of clauses
 *   ((!(ActionMatches{'<action>'})) OR (@Request|@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId]
 *     ForAnyOfAnyValues:GuidEquals{…} | ForAnyOfAllValues:GuidNotEquals{…}))
 * i.e. "this action only for these roles" (or "for any role but these").
 * An action no clause names is not constrained. A clause whose attribute the
 * caller did not supply is false: a check made without the request's role
 * (the privileged-operation gate, who-can) never counts a conditional grant.
 * Anything else fails closed: the block grants nothing.
 */

/** Whether the block's grant of an (already lowercased) action holds for this request. */
export type CompiledCondition = (loweredAction: string, attributes: RequestAttributes | undefined) => boolean;

const DENY_ALL: CompiledCondition = () => false;

const CLAUSE =
  /\(\(!\(ActionMatches\{'([^']+)'\}\)\)OR\(@(Request|Resource)\[Microsoft\.Authorization\/roleAssignments:RoleDefinitionId\](ForAnyOfAnyValues:GuidEquals|ForAnyOfAllValues:GuidNotEquals)\{([0-9a-fA-F,-]+)\}\)\)/gy;

interface Clause {
  readonly action: (loweredAction: string) => boolean;
  readonly attribute: keyof RequestAttributes;
  readonly equals: boolean;
  readonly guids: ReadonlySet<string>;
}

/** The GUID at the end of a role definition id, lowercased. */
function guidOf(roleDefinitionId: string): string {
  const trimmed = roleDefinitionId.trim().replace(/\/+$/, '').toLowerCase();
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** The clauses of a condition in the supported form, or undefined when it is not in it. */
export function parseCondition(text: string): readonly Clause[] | undefined {
  const compact = text.replace(/\s+/g, '');
  const clauses: Clause[] = [];
  CLAUSE.lastIndex = 0;
  while (CLAUSE.lastIndex < compact.length) {
    if (clauses.length > 0) {
      if (compact.slice(CLAUSE.lastIndex, CLAUSE.lastIndex + 3).toUpperCase() !== 'AND') return undefined;
      CLAUSE.lastIndex += 3;
    }
    const m = CLAUSE.exec(compact);
    if (m === null) return undefined;
    const [, action = '', source, operator = '', guids = ''] = m;
    const pattern = compilePattern(action);
    clauses.push({
      action: (a) => pattern.test(a),
      attribute: source === 'Request' ? 'requestRoleDefinitionId' : 'resourceRoleDefinitionId',
      equals: operator.endsWith('GuidEquals'),
      guids: new Set(guids.toLowerCase().split(',').filter((g) => g !== '')),
    });
  }
  return clauses.length > 0 ? clauses : undefined;
}

/** Compiles a condition once (the permission cache keeps it); an unsupported one grants nothing. */
export function compileCondition(text: string): CompiledCondition {
  const clauses = parseCondition(text);
  if (clauses === undefined) return DENY_ALL;
  return (loweredAction, attributes) => {
    for (const c of clauses) {
      if (!c.action(loweredAction)) continue;
      const value = attributes?.[c.attribute];
      if (value === undefined) return false;
      if (c.guids.has(guidOf(value)) !== c.equals) return false;
    }
    return true;
  };
}
