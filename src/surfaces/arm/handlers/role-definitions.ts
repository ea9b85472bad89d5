import { subscriptionId as subscriptionIdOf } from '../../../resources/index.js';
import { BUILTIN_ROLES, findRoleDefinition } from '../../../rbac/index.js';
import { canonicalScope } from '../../../rbac/index.js';
import { only } from '../call.js';
import { armErrors } from '../errors.js';
import { renderRoleDefinition } from '../render.js';
import type { ArmHandler } from './context.js';

/** The built-in role definitions, at any scope: one by name, or the list (with `roleName eq '…'`). */
export const roleDefinitions: ArmHandler<'roleDefinitions'> = async (call, target, { deps, access }) => {
  only(call.method, 'GET');
  const scope = canonicalScope(target.scope);
  const name = target.name;
  access.authorize(call, 'Microsoft.Authorization/roleDefinitions/read', scope === '/' ? subscriptionIdOf(deps.subscriptionId()) : scope);
  if (name !== undefined) {
    const role = findRoleDefinition(name);
    if (!role || role.name.toLowerCase() !== name.toLowerCase()) throw armErrors.roleDefinitionNotFound(name);
    return call.reply.send(renderRoleDefinition(role, scope));
  }
  const wanted = /^roleName eq '(.+)'$/i.exec(call.query['$filter'] ?? '')?.[1];
  const roles = wanted === undefined ? BUILTIN_ROLES : BUILTIN_ROLES.filter((r) => r.roleName.toLowerCase() === wanted.toLowerCase());
  return call.reply.send({ value: roles.map((r) => renderRoleDefinition(r, scope)) });
};
