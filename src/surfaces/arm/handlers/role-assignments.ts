import { groupId, idKey, parseResourceId } from '../../../resources/index.js';
import { resourceErrors } from '../../../resources/index.js';
import { groupEntity, resourceEntity } from '../../../resources/index.js';
import { canonicalScope } from '../../../rbac/index.js';
import { only } from '../call.js';
import { armErrors } from '../errors.js';
import { renderAssignment } from '../render.js';
import type { ArmHandler, ArmHandlerContext } from './context.js';

const WRITE = 'Microsoft.Authorization/roleAssignments/write';
const DELETE = 'Microsoft.Authorization/roleAssignments/delete';

/** Role assignments at any scope: list (with ARM's filters), GET, PUT, DELETE. */
export const roleAssignments: ArmHandler<'roleAssignments'> = async (call, target, context) => {
  const { deps, access } = context;
  const scope = canonicalScope(target.scope);
  const name = target.name;
  if (name === undefined) {
    only(call.method, 'GET');
    checkScope(scope, context);
    access.authorize(call, 'Microsoft.Authorization/roleAssignments/read', scope);
    const filter = parseAssignmentFilter(call.query['$filter']);
    return call.reply.send({ value: deps.rbac.list({ scope, ...filter }).map(renderAssignment) });
  }
  const id = `${scope === '/' ? '' : scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
  switch (call.method) {
    case 'GET':
      access.authorize(call, 'Microsoft.Authorization/roleAssignments/read', scope);
      return call.reply.send(renderAssignment(deps.rbac.get(id)));
    case 'PUT': {
      checkScope(scope, context);
      const properties = call.body['properties'];
      // Roles with an ABAC condition (e.g. Azure AI Account Owner) may assign only the roles it names.
      const requested = typeof properties === 'object' && properties !== null ? (properties as Record<string, unknown>)['roleDefinitionId'] : undefined;
      access.authorize(call, WRITE, scope, undefined, { requestRoleDefinitionId: typeof requested === 'string' ? requested : undefined });
      if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
        throw armErrors.invalidContent("The request content was invalid: the 'properties' object is required.");
      }
      const { assignment, created } = await deps.rbac.create(scope, name, properties as Record<string, unknown>, (writer) => deps.resources.checkScopeIn(writer, scope));
      return call.reply.code(created ? 201 : 200).send(renderAssignment(assignment));
    }
    case 'DELETE': {
      access.authorize(call, DELETE, scope, undefined, { resourceRoleDefinitionId: deps.rbac.find(id)?.roleDefinitionId });
      const deleted = await deps.rbac.delete(id);
      return deleted ? call.reply.send(renderAssignment(deleted)) : call.reply.code(204).send();
    }
    default:
      throw armErrors.methodNotAllowed(call.method);
  }
};

/** A role assignment's scope must exist: our subscription, an existing group, or an existing resource. */
export function checkScope(scope: string, { deps, access }: ArmHandlerContext): void {
  if (scope === '/') return;
  const parsed = parseResourceId(scope);
  if (!parsed) throw armErrors.invalidContent(`The scope '${scope}' is not a valid scope.`);
  access.checkSubscription(parsed.subscriptionId);
  if (parsed.resourceGroup === undefined) return;
  if (!deps.model.table(groupEntity).has(idKey(groupId(deps.subscriptionId(), parsed.resourceGroup)))) {
    throw resourceErrors.groupNotFound(parsed.resourceGroup);
  }
  if (parsed.type !== undefined && !deps.model.table(resourceEntity).has(idKey(scope))) {
    throw resourceErrors.resourceNotFound(parsed.type, parsed.names.join('/'), parsed.resourceGroup);
  }
}

/** The role assignment `$filter`s ARM supports: atScope(), principalId eq '…', assignedTo('…'), and atScope() and …. */
function parseAssignmentFilter(filter: string | undefined): { principalId?: string; atScope?: boolean } {
  if (filter === undefined || filter.trim() === '') return {};
  const out: { principalId?: string; atScope?: boolean } = {};
  for (const clause of filter.split(/\s+and\s+/i)) {
    const c = clause.trim();
    if (/^atScope\(\)$/i.test(c)) out.atScope = true;
    else {
      const principal = /^principalId\s+eq\s+'([^']+)'$/i.exec(c)?.[1] ?? /^assignedTo\('([^']+)'\)$/i.exec(c)?.[1];
      if (!principal) throw armErrors.unsupportedAssignmentFilter(filter);
      out.principalId = principal;
    }
  }
  return out;
}
