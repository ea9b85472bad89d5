import { parseResourceId, subscriptionId as subscriptionIdOf } from '../../../resources/index.js';
import { canonicalScope, type RoleDefinitionFilter } from '../../../rbac/index.js';
import { only, type ArmCall } from '../call.js';
import { armErrors } from '../errors.js';
import { renderRoleDefinition } from '../render.js';
import type { ArmHandler, ArmHandlerContext } from './context.js';

const READ = 'Microsoft.Authorization/roleDefinitions/read';
const WRITE = 'Microsoft.Authorization/roleDefinitions/write';
const DELETE = 'Microsoft.Authorization/roleDefinitions/delete';

/** Role definitions at any scope: built-in and custom, the list (with az's `$filter`s), GET; custom ones PUT and DELETE. */
export const roleDefinitions: ArmHandler<'roleDefinitions'> = async (call, target, context) => {
  const { deps, access } = context;
  const scope = canonicalScope(target.scope);
  const authzScope = scope === '/' ? subscriptionIdOf(deps.subscriptionId()) : scope;
  const name = target.name;
  if (name === undefined) {
    only(call.method, 'GET');
    access.authorize(call, READ, authzScope);
    const roles = deps.roleDefinitions.list(scope, parseDefinitionFilter(call.query['$filter']));
    return call.reply.send({ value: roles.map((r) => renderRoleDefinition(r, scope)) });
  }
  switch (call.method) {
    case 'GET':
      access.authorize(call, READ, authzScope);
      return call.reply.send(renderRoleDefinition(deps.roleDefinitions.get(scope, name), scope));
    case 'PUT': {
      checkWriteScope(scope, context);
      access.authorize(call, WRITE, scope);
      const properties = call.body['properties'];
      if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
        throw armErrors.invalidContent("The request content was invalid: the 'properties' object is required.");
      }
      const role = await deps.roleDefinitions.createOrUpdate(name, properties as Record<string, unknown>, call.caller.objectId, (assignable) =>
        authorizeLinked(call, context, assignable),
      );
      // Azure answers 201 to a create and to an update alike (the SDK's createOrUpdate expects only 201).
      return call.reply.code(201).send(renderRoleDefinition(role, scope));
    }
    case 'DELETE': {
      checkWriteScope(scope, context);
      access.authorize(call, DELETE, scope);
      const deleted = await deps.roleDefinitions.delete(scope, name);
      return deleted ? call.reply.send(renderRoleDefinition(deleted, scope)) : call.reply.code(204).send();
    }
    default:
      throw armErrors.methodNotAllowed(call.method);
  }
};

/** Custom roles are written at the subscription or under it, never at the root. */
function checkWriteScope(scope: string, { access }: ArmHandlerContext): void {
  const parsed = scope === '/' ? undefined : parseResourceId(scope);
  if (!parsed) throw armErrors.invalidContent(`The scope '${scope}' is not a valid scope for a custom role definition: use the subscription, or a resource group or resource in it.`);
  access.checkSubscription(parsed.subscriptionId);
}

/** Writing a role needs the write action on each of its assignable scopes too (Azure's linked authorization). */
function authorizeLinked(call: ArmCall, { access }: ArmHandlerContext, assignableScopes: readonly string[]): void {
  for (const s of assignableScopes) {
    if (!access.canRead(call, WRITE, s)) throw armErrors.linkedAuthorizationFailed(call.caller.objectId, call.caller.appId || call.caller.objectId, WRITE, s);
  }
}

/** The `$filter`s az and the SDKs send: roleName eq '…', type eq '…', atScopeAndBelow(), joined by `and`. */
function parseDefinitionFilter(filter: string | undefined): RoleDefinitionFilter {
  if (filter === undefined || filter.trim() === '') return {};
  const out: { roleName?: string; roleType?: string } = {};
  for (const clause of filter.split(/\s+and\s+/i)) {
    const c = clause.trim();
    const match = /^(roleName|type)\s+eq\s+'((?:[^']|'')*)'$/i.exec(c);
    if (match?.[1] !== undefined && match[2] !== undefined) {
      const value = match[2].replace(/''/g, "'");
      if (match[1].toLowerCase() === 'rolename') out.roleName = value;
      else out.roleType = value;
    } else if (!/^atScopeAndBelow\(\)$/i.test(c)) {
      throw armErrors.unsupportedDefinitionFilter(filter);
    }
  }
  return out;
}
