import { principalEntity } from '../../../directory/index.js';
import { canonicalScope, refusalText, type AccessFix, type ActionKind, type AssignmentVerdict, type PrincipalAccess } from '../../../rbac/index.js';
import { isGuid } from '../../../shared/ids.js';
import { only } from '../call.js';
import { armErrors } from '../errors.js';
import type { ArmHandler } from './context.js';
import { checkScope } from './role-assignments.js';

/*
 * Keyless's own access questions, asked of any scope (docs/how-to/understand-access.md):
 *   POST {scope}/providers/Keyless/checkAccess {principalId, action | dataAction}
 *   POST {scope}/providers/Keyless/whoCan      {action | dataAction}
 * Who may ask: a principal that may read the role assignments there, as for
 * Azure's "Check access" in the portal. The answers are rbac's explainer, so
 * they never disagree with the decisions the surfaces make.
 */

const ROLE_ASSIGNMENTS_READ = 'Microsoft.Authorization/roleAssignments/read';
/** An action's shape: provider segments with letters, digits, '.', '-', '_' and '/'; no wildcards (a question names one action). */
const ACTION = /^[A-Za-z0-9][A-Za-z0-9._\-/]{0,511}$/;

export const accessQuestion: ArmHandler<'accessQuestion'> = async (call, target, context) => {
  const { deps, access } = context;
  only(call.method, 'POST');
  const scope = canonicalScope(target.scope);
  checkScope(scope, context);
  access.authorize(call, ROLE_ASSIGNMENTS_READ, scope);
  const { action, kind } = actionOf(call.body);
  const definitionId = (guid: string): string => `/subscriptions/${deps.subscriptionId()}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
  const actionType = kind === 'dataAction' ? 'DataAction' : 'Action';
  if (target.question === 'whoCan') {
    const answer = deps.rbac.whoCan(action, kind, scope);
    return call.reply.send({
      scope: answer.scope,
      action,
      actionType,
      value: answer.holders.map(renderPrincipal),
      canGrantThemselves: answer.canGrantThemselves.map(renderPrincipal),
    });
  }
  const principalId = call.body['principalId'];
  if (typeof principalId !== 'string' || !isGuid(principalId)) {
    throw armErrors.invalidContent("The 'principalId' property is required: the principal's object id (a GUID).");
  }
  const e = deps.rbac.explain(principalId.toLowerCase(), action, kind, scope);
  const principal = deps.model.table(principalEntity).get(principalId.toLowerCase());
  return call.reply.send({
    principal: { id: e.principalId, displayName: principal?.displayName ?? null, exists: principal !== undefined },
    scope: e.scope,
    action,
    actionType,
    allowed: e.allowed,
    grantedBy: e.grantedBy.map(renderGrant),
    notGrantedBy: e.notGrantedBy.map((v) => ({ ...renderGrant(v), excludedBy: v.subtractedBy ?? null, reason: refusalText(v, kind) })),
    fix: e.fix === undefined ? null : renderFix(e.fix, definitionId),
    explanation: e.summary,
  });
};

/** Exactly one of `action` and `dataAction`, each one action (no wildcard). */
function actionOf(body: Record<string, unknown>): { action: string; kind: ActionKind } {
  const given = (['action', 'dataAction'] as const).filter((k) => body[k] !== undefined);
  const [name] = given;
  if (name === undefined || given.length > 1) throw armErrors.invalidContent("Give exactly one of the 'action' and 'dataAction' properties.");
  const value = body[name];
  if (typeof value !== 'string' || !ACTION.test(value)) {
    throw armErrors.invalidContent(`The '${name}' property must be one action, such as 'Microsoft.CognitiveServices/accounts/listKeys/action' (no wildcards, at most 512 characters).`);
  }
  return { action: value, kind: name };
}

function renderGrant(v: AssignmentVerdict): Record<string, unknown> {
  return {
    roleAssignmentId: v.assignmentId,
    roleAssignmentScope: v.assignmentScope,
    roleDefinitionId: v.roleDefinitionId,
    roleName: v.roleName ?? null,
    matchedPattern: v.matched ?? null,
  };
}

function renderFix(fix: AccessFix, definitionId: (guid: string) => string): Record<string, unknown> {
  return { roleName: fix.roleName, roleDefinitionId: definitionId(fix.roleId), scope: fix.scope, command: fix.command };
}

function renderPrincipal(p: PrincipalAccess): Record<string, unknown> {
  return { principalId: p.principalId, principalType: p.principalType, displayName: p.displayName, orphaned: p.orphaned, grantedBy: p.grantedBy.map(renderGrant) };
}
