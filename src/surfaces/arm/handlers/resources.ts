import { RESOURCE_TYPES, deploymentBodyFor, handlerFor, type ResourceActor } from '../../../resources/index.js';
import { principalEntity } from '../../../directory/index.js';
import { only, type ArmCall } from '../call.js';
import { armErrors } from '../errors.js';
import { renderResource } from '../render.js';
import type { ArmHandler, ArmHandlerContext } from './context.js';
import { deleteLongRunning, longRunningFor, putLongRunning } from './long-running.js';

/** Resources of one type in a group (or under a parent resource). */
export const listResources: ArmHandler<'resources'> = async (call, target, { deps, access }) => {
  only(call.method, 'GET');
  access.checkSubscription(target.subscription);
  const type = canonicalType(target.type);
  // Operations that are due finish before the answer, so that it shows where they ended.
  await deps.operations?.settleDue();
  const items = deps.resources.list(type, target.group, target.parentNames).filter((r) => access.canRead(call, `${type}/read`, r.id));
  return call.reply.send({ value: items.map((r) => renderResource(r, call.ctx)) });
};

/** One resource of any type Keyless serves (identities, accounts, deployments, sites, VMs): GET, PUT, PATCH, DELETE. */
export const resource: ArmHandler<'resource'> = async (call, target, context) => {
  const { deps, access } = context;
  access.checkSubscription(target.subscription);
  const type = canonicalType(target.type);
  const address = { type, group: target.group, names: target.names };
  const id = deps.resources.idOf(address);
  const operations = longRunningFor(deps, type);
  switch (call.method) {
    case 'GET':
      access.authorize(call, `${type}/read`, id);
      await operations?.settleDue();
      return call.reply.send(renderResource(deps.resources.get(address), call.ctx));
    case 'PUT':
    case 'PATCH': {
      access.authorize(call, `${type}/write`, id);
      deps.providers.requireRegistered(type);
      authorizeIdentityLinks(call, type, context);
      // An old api-version's deployment gives its capacity as scaleSettings; the store keeps the sku it stands for.
      const body = type === RESOURCE_TYPES.deployment ? deploymentBodyFor(call.body, call.ctx.apiVersion) : call.body;
      const mode = call.method === 'PUT' ? 'put' : 'patch';
      if (operations) return putLongRunning(call, address, body, mode, actorOf(call, context), operations, deps);
      const { resource: r, created } = await deps.resources.put(address, body, mode, actorOf(call, context));
      return call.reply.code(created ? 201 : 200).send(renderResource(r, call.ctx));
    }
    case 'DELETE': {
      access.authorize(call, `${type}/delete`, id);
      if (operations) return deleteLongRunning(call, address, operations, deps);
      const existed = await deps.resources.delete(address);
      return call.reply.code(existed ? 200 : 204).send();
    }
    default:
      throw armErrors.methodNotAllowed(call.method);
  }
};

/**
 * The caller as ARM's systemData names it: an application by its client id
 * (Azure's answers show the appid), a managed identity by its client id too
 * (inferred: no public answer shows one). Keyless has no users.
 */
function actorOf(call: ArmCall, { deps }: ArmHandlerContext): ResourceActor {
  const kind = deps.model.table(principalEntity).get(call.caller.objectId)?.kind;
  const type = kind === undefined || kind === 'Application' ? 'Application' : 'ManagedIdentity';
  return { id: call.caller.appId || call.caller.objectId, type };
}

/**
 * Attaching a user-assigned identity also needs the linked `assign/action`
 * on that identity, as in Azure. The block is validated first: a malformed
 * one is a 400, whatever the caller may do.
 */
function authorizeIdentityLinks(call: ArmCall, type: string, { deps, access }: ArmHandlerContext): void {
  const request = deps.resources.identityRequestOf(type, call.body);
  for (const entry of request?.userAssignedIdentities?.values() ?? []) {
    if (entry.remove) continue;
    const action = 'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action';
    if (!access.canRead(call, action, entry.id)) {
      throw armErrors.linkedAuthorizationFailed(call.caller.objectId, call.caller.appId || call.caller.objectId, action, entry.id);
    }
  }
}

/** The type as Keyless spells it, or ARM's 404 for a type no provider serves. */
export function canonicalType(type: string): string {
  const handler = handlerFor(type);
  if (!handler) throw armErrors.unknownResourceType(type);
  return handler.type;
}
