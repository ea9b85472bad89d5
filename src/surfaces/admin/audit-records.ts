import { subscriptionId as subscriptionIdOf } from '../../resources/index.js';
import { armErrors } from '../arm/index.js';
import type { AdminOperation } from './context.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Keyless's audit trail: GET /subscriptions/{s}/providers/Keyless/auditRecords[?since&principalId&denied&drill&injected&top]. */
export const listAuditRecords: AdminOperation = async (call, deps, access) => {
  access.authorize(call, 'Keyless/auditRecords/read', subscriptionIdOf(deps.subscriptionId()));
  const q = call.query;
  const top = q['top'] === undefined ? undefined : Number(q['top']);
  if (top !== undefined && (!Number.isInteger(top) || top < 1)) throw armErrors.invalidContent("The 'top' parameter must be a positive integer.");
  if (q['since'] !== undefined && Number.isNaN(Date.parse(q['since']))) throw armErrors.invalidContent("The 'since' parameter must be an ISO-8601 time.");
  if (q['drill'] !== undefined && !GUID.test(q['drill'])) throw armErrors.invalidContent("The 'drill' parameter must be a drill id (a GUID).");
  const records = await deps.audit.query({
    ...(q['since'] !== undefined ? { since: q['since'] } : {}),
    ...(q['principalId'] !== undefined ? { principalId: q['principalId'] } : {}),
    ...(q['denied'] === 'true' ? { denied: true } : {}),
    ...(q['drill'] !== undefined ? { drill: q['drill'] } : {}),
    ...(q['injected'] === 'true' ? { injected: true } : {}),
    ...(top !== undefined ? { limit: top } : {}),
  });
  return call.reply.send({ value: records });
};
