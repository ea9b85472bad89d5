import type { AsyncOperation, AsyncOperations } from '../../../operations/index.js';
import { operationErrors } from '../../../operations/index.js';
import type { DeletedAccountAddress, Resource, ResourceActor, ResourceAddress, ResourceBody } from '../../../resources/index.js';
import { RESOURCE_TYPES, deletedAccountId, idKey } from '../../../resources/index.js';
import type { ArmCall } from '../call.js';
import { renderResource } from '../render.js';
import type { ArmDeps } from './context.js';

/**
 * Creates and deletes as Azure's Cognitive Services answers them when Keyless
 * runs with `--async-operations`: a create is 201 with provisioningState
 * `Creating` and an `Azure-AsyncOperation` header (as recorded from Azure:
 * no Location); a delete is 202 with `Location` and `Azure-AsyncOperation`,
 * no body. Updates stay synchronous (200, Succeeded).
 */

/** The types whose creates and deletes are long-running: Cognitive Services accounts and their deployments. */
const LONG_RUNNING: ReadonlySet<string> = new Set([RESOURCE_TYPES.account, RESOURCE_TYPES.deployment]);

/** The api-version Azure's Cognitive Services puts in its operation URLs, whatever the caller's. */
const OPERATION_API_VERSION = '2017-04-18';

/** The operations service when this type's writes are long-running here; undefined: answer synchronously. */
export function longRunningFor(deps: ArmDeps, type: string): AsyncOperations | undefined {
  return LONG_RUNNING.has(type) ? deps.operations : undefined;
}

export async function putLongRunning(
  call: ArmCall,
  address: ResourceAddress,
  body: ResourceBody,
  mode: 'put' | 'patch',
  actor: ResourceActor,
  operations: AsyncOperations,
  deps: ArmDeps,
): Promise<unknown> {
  await operations.settleDue();
  const running = operations.inFlight(idKey(deps.resources.idOf(address)));
  if (running) throw operationErrors.provisioningNotTerminal(running.resourceId);
  let operation: AsyncOperation | undefined;
  const { resource } = await deps.resources.put(address, body, mode, actor, async (writer, written, created) => {
    if (created) operation = await operations.record(writer, 'create', subjectOf(written));
  });
  if (!operation) return call.reply.code(200).send(renderResource(resource, call.ctx));
  return call.reply
    .code(201)
    .header('azure-asyncoperation', operationUrl(call, operation, false))
    .header('retry-after', retryAfter(operations, operation))
    .send(renderResource(resource, call.ctx));
}

export async function deleteLongRunning(call: ArmCall, address: ResourceAddress, operations: AsyncOperations, deps: ArmDeps): Promise<unknown> {
  await operations.settleDue();
  const running = operations.inFlight(idKey(deps.resources.idOf(address)));
  // A second DELETE while the first runs is told about the same operation.
  if (running?.action === 'delete') return accepted(call, operations, running);
  if (running) throw operationErrors.provisioningNotTerminal(running.resourceId);
  let operation: AsyncOperation | undefined;
  await deps.resources.delete(address, async (writer, resource) => {
    operation = await operations.record(writer, 'delete', subjectOf(resource));
  });
  return operation ? accepted(call, operations, operation) : call.reply.code(204).send();
}

/** A soft-deleted account's purge (DeletedAccounts_Purge is long-running in Azure too): 202 as a delete, or 204 when there is none. */
export async function purgeLongRunning(call: ArmCall, address: DeletedAccountAddress, operations: AsyncOperations, deps: ArmDeps): Promise<unknown> {
  await operations.settleDue();
  const running = operations.inFlight(deps.resources.deletedAccounts.keyOf(address));
  if (running?.action === 'purge') return accepted(call, operations, running);
  let operation: AsyncOperation | undefined;
  await deps.resources.deletedAccounts.purge(address, async (writer, deleted) => {
    operation = await operations.record(writer, 'purge', { id: deletedAccountId(deleted), key: deleted.key, location: deleted.account.location });
  });
  return operation ? accepted(call, operations, operation) : call.reply.code(204).send();
}

function accepted(call: ArmCall, operations: AsyncOperations, operation: AsyncOperation): unknown {
  return call.reply
    .code(202)
    .header('location', operationUrl(call, operation, true))
    .header('azure-asyncoperation', operationUrl(call, operation, false))
    .header('retry-after', retryAfter(operations, operation))
    .send();
}

/** Seconds until the operation is due, at least 1: clients wait this long before they poll again. */
export function retryAfter(operations: AsyncOperations, operation: AsyncOperation): string {
  return String(Math.max(1, Math.ceil(operations.remainingMs(operation) / 1000)));
}

/** The operation's path (its `id`), under the subscription and the resource's location, as Azure's Cognitive Services names it. */
export function operationPath(subscription: string, operation: AsyncOperation): string {
  return `/subscriptions/${subscription}/providers/Microsoft.CognitiveServices/locations/${encodeURIComponent(operation.location)}/operationResults/${operation.id}`;
}

/**
 * The absolute URL clients poll. The Location form adds
 * `operationResultResponseType=Location`, as other providers that serve both
 * answers at one path do (Azure's Location URL for Cognitive Services is not on record).
 */
export function operationUrl(call: ArmCall, operation: AsyncOperation, forLocation: boolean): string {
  const url = `${call.ctx.origin}${operationPath(call.ctx.subscriptionId, operation)}?api-version=${OPERATION_API_VERSION}`;
  return forLocation ? `${url}&operationResultResponseType=Location` : url;
}

const subjectOf = (resource: Resource) => ({ id: resource.id, key: resource.key, location: resource.location });
