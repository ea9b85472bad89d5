import { only } from '../call.js';
import type { ArmHandler } from './context.js';

/**
 * `GET /providers/{namespace}/operations` (every SDK's `operations.list`):
 * what the namespace's operations are, for any signed-in caller, as Azure
 * answers it. Control-plane operations have origin `user,system`, data
 * actions `user`, as in Azure's lists.
 */
export const providerOperations: ArmHandler<'providerOperations'> = async (call, target, { deps }) => {
  only(call.method, 'GET');
  const provider = deps.providers.namespace(target.namespace);
  return call.reply.send({
    value: provider.operations.map((o) => ({
      name: o.name,
      isDataAction: o.isDataAction,
      display: { provider: provider.displayName, resource: o.resource, operation: o.operation, description: o.description },
      origin: o.isDataAction ? 'user' : 'user,system',
    })),
  });
};
