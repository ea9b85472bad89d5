import { AUDIT_DECISIONS, AUDIT_SURFACES, type AuditDecision, type AuditSurface } from '../../audit/index.js';
import { subscriptionId as subscriptionIdOf } from '../../resources/index.js';
import { armErrors } from '../arm/index.js';
import type { AdminOperation } from './context.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Keyless's audit trail: GET /subscriptions/{s}/providers/Keyless/auditRecords[?since&principalId&surface&account&decision&denied&drill&injected&top]. */
export const listAuditRecords: AdminOperation = async (call, deps, access) => {
  access.authorize(call, 'Keyless/auditRecords/read', subscriptionIdOf(deps.subscriptionId()));
  const q = call.query;
  const top = q['top'] === undefined ? undefined : Number(q['top']);
  if (top !== undefined && (!Number.isInteger(top) || top < 1)) throw armErrors.invalidContent("The 'top' parameter must be a positive integer.");
  if (q['since'] !== undefined && Number.isNaN(Date.parse(q['since']))) throw armErrors.invalidContent("The 'since' parameter must be an ISO-8601 time.");
  if (q['drill'] !== undefined && !GUID.test(q['drill'])) throw armErrors.invalidContent("The 'drill' parameter must be a drill id (a GUID).");
  const surface = q['surface'];
  if (surface !== undefined && !AUDIT_SURFACES.includes(surface as AuditSurface)) {
    throw armErrors.invalidContent(`The 'surface' parameter must be one of ${AUDIT_SURFACES.join(', ')}.`);
  }
  const decision = q['decision'];
  if (decision !== undefined && !AUDIT_DECISIONS.includes(decision as AuditDecision)) {
    throw armErrors.invalidContent(`The 'decision' parameter must be one of ${AUDIT_DECISIONS.join(', ')}.`);
  }
  if (q['account'] !== undefined && !/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/[^/]+\/[^/]+\/[^/]+$/i.test(q['account'])) {
    throw armErrors.invalidContent("The 'account' parameter must be an account's ARM id (/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.CognitiveServices/accounts/{name}).");
  }
  const records = await deps.audit.query({
    ...(surface !== undefined ? { surface: surface as AuditSurface } : {}),
    ...(q['account'] !== undefined ? { account: q['account'] } : {}),
    ...(decision !== undefined ? { decision: decision as AuditDecision } : {}),
    ...(q['since'] !== undefined ? { since: q['since'] } : {}),
    ...(q['principalId'] !== undefined ? { principalId: q['principalId'] } : {}),
    ...(q['denied'] === 'true' ? { denied: true } : {}),
    ...(q['drill'] !== undefined ? { drill: q['drill'] } : {}),
    ...(q['injected'] === 'true' ? { injected: true } : {}),
    ...(top !== undefined ? { limit: top } : {}),
  });
  return call.reply.send({ value: records });
};
