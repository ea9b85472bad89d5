import type { AsyncOperation } from '../../../operations/index.js';
import { operationErrors } from '../../../operations/index.js';
import { ConflictError } from '../../../shared/errors.js';
import { only, type ArmCall } from '../call.js';
import { armErrors } from '../errors.js';
import { renderResource } from '../render.js';
import type { ArmHandler } from './context.js';
import { operationPath, operationUrl, retryAfter } from './long-running.js';

const READ_ACTION = 'Microsoft.CognitiveServices/locations/operationResults/read';

/**
 * `GET /subscriptions/{s}/providers/Microsoft.CognitiveServices/locations/{l}/operationResults/{id}`:
 * the Azure-AsyncOperation answer (200 and the operation's status), or with
 * `operationResultResponseType=Location` the Location answer (202 while it
 * runs, then what the synchronous call would have answered).
 */
export const operationResult: ArmHandler<'operationResult'> = async (call, target, { deps, access }) => {
  only(call.method, 'GET');
  access.checkSubscription(target.subscription);
  if (target.namespace.toLowerCase() !== 'microsoft.cognitiveservices') throw armErrors.noRoute(call.method, call.request.url.split('?')[0] ?? '');
  access.authorize(call, READ_ACTION, `/subscriptions/${deps.subscriptionId()}`);
  const operations = deps.operations;
  await operations?.settleDue();
  const operation = operations?.get(target.id);
  if (!operations || !operation || operation.location.toLowerCase() !== target.location.toLowerCase()) throw operationErrors.notFound(target.id);
  const running = operation.status === 'InProgress';
  if (call.query['operationResultResponseType']?.toLowerCase() === 'location') {
    if (running) {
      return call.reply.code(202).header('location', operationUrl(call, operation, true)).header('retry-after', retryAfter(operations, operation)).send();
    }
    return locationResult(call, operation);
  }
  if (running) call.reply.header('retry-after', retryAfter(operations, operation));
  return call.reply.send(renderStatus(call.ctx.subscriptionId, operation));
};

/** The RPC's operation resource, in the order and time format Azure's Cognitive Services answers (whole seconds). */
function renderStatus(subscription: string, operation: AsyncOperation): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: operationPath(subscription, operation),
    name: operation.id,
    status: operation.status,
    startTime: wholeSeconds(operation.startTime),
  };
  if (operation.endTime !== null) out['endTime'] = wholeSeconds(operation.endTime);
  if (operation.error !== null) out['error'] = operation.error;
  return out;
}

/** What the call would have answered had it been synchronous: the created resource, or a delete's (or purge's) empty 200. */
function locationResult(call: ArmCall, operation: AsyncOperation): unknown {
  if (operation.status !== 'Succeeded') {
    const error = operation.error ?? { code: 'OperationFailed', message: 'The operation failed.' };
    throw new ConflictError(error.code, error.message);
  }
  if (operation.action !== 'create') return call.reply.code(200).send();
  const resource = call.ctx.resource(operation.resourceKey);
  return resource ? call.reply.code(200).send(renderResource(resource, call.ctx)) : call.reply.code(204).send();
}

const wholeSeconds = (iso: string): string => iso.replace(/\.\d+Z$/, 'Z');
