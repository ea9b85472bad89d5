import { principalEntity } from '../../../directory/index.js';
import { parseResourceId, resourceErrors } from '../../../resources/index.js';
import { only } from '../call.js';
import { armErrors } from '../errors.js';
import type { ArmHandler } from './context.js';
import { canonicalType } from './resources.js';

/**
 * SystemAssignedIdentities_GetByScope: the system-assigned identity of the
 * resource at `{scope}` as an extension resource of Microsoft.ManagedIdentity,
 * 404 when it has none. `clientSecretUrl` has Azure's form on Keyless's
 * origin; Keyless serves nothing there (only a hosting platform calls it).
 */
export const systemIdentity: ArmHandler<'systemIdentity'> = async (call, target, { deps, access }) => {
  only(call.method, 'GET');
  const parsed = parseResourceId(target.scope);
  if (!parsed || parsed.type === undefined || parsed.resourceGroup === undefined) {
    throw armErrors.noRoute(call.method, call.request.url.split('?')[0] ?? '');
  }
  access.checkSubscription(parsed.subscriptionId);
  const address = { type: canonicalType(parsed.type), group: parsed.resourceGroup, names: [...parsed.names] };
  const id = deps.resources.idOf(address);
  access.authorize(call, 'Microsoft.ManagedIdentity/identities/read', id);
  const resource = deps.resources.get(address);
  const principalId = resource.identity?.systemPrincipalId ?? null;
  if (principalId === null) throw resourceErrors.resourceNotFound('Microsoft.ManagedIdentity/identities', 'default', parsed.resourceGroup);
  const clientId = deps.model.table(principalEntity).get(principalId)?.appId ?? '';
  const tenantId = call.ctx.tenantId;
  return call.reply.send({
    id: `${resource.id}/providers/Microsoft.ManagedIdentity/Identities/default`,
    name: 'default',
    type: 'Microsoft.ManagedIdentity/Identities',
    location: resource.location,
    tags: resource.tags,
    properties: {
      tenantId,
      principalId,
      clientId,
      clientSecretUrl: `${call.ctx.origin}${resource.id}/credentials?tid=${tenantId}&oid=${principalId}&aid=${clientId}`,
    },
  });
};
