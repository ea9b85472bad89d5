import { subscriptionId as subscriptionIdOf } from '../../resources/index.js';
import type { AdminOperation } from './context.js';

/**
 * The instances sharing this database: GET /subscriptions/{s}/providers/Keyless/cluster.
 * `{ revision, leaseMs, value: [{ id, address, startedAt, heartbeatMs, heartbeatAgeMs, appliedRevision, lag, live, self, version }] }`.
 */
export const clusterStatus: AdminOperation = async (call, deps, access) => {
  access.authorize(call, 'Keyless/cluster/read', subscriptionIdOf(deps.subscriptionId()));
  const status = await deps.cluster.status();
  return call.reply.send({ revision: status.revision, leaseMs: status.leaseMs, value: status.instances });
};
