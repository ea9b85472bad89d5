import type { Fault } from '../../faults/index.js';
import { EntraError, entraErrors } from './errors.js';

/**
 * The AADSTS errors `keyless fault add --surface token --aadsts CODE` can
 * inject, each in Entra's exact words (the same factories as the real
 * refusals where Keyless has them).
 */
export const INJECTABLE_AADSTS: ReadonlyMap<number, (clientId: string, tenant: string) => EntraError> = new Map<number, (clientId: string, tenant: string) => EntraError>([
  [7000215, (clientId) => entraErrors.invalidSecret(clientId)],
  [7000222, (clientId) => entraErrors.expiredSecret(clientId)],
  [7000218, () => entraErrors.noCredential()],
  [700016, (clientId, tenant) => entraErrors.unknownClient(clientId, tenant)],
  [7000112, (clientId) => new EntraError(400, 'unauthorized_client', 7000112, `Application '${clientId}' is disabled.`)],
  [53003, () => new EntraError(400, 'invalid_grant', 53003, 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.')],
  [50196, () => entraErrors.throttled()],
  [50000, () => entraErrors.internal()],
  [90033, () => transient()],
]);

const transient = (headers: Readonly<Record<string, string>> = {}): EntraError =>
  new EntraError(503, 'temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.', { 'cache-control': 'no-store', ...headers });

/** The error a token-endpoint fault answers with (its delay and dropped connection are the route's). */
export function injectedEntraError(fault: Fault, clientId: string, tenant: string): EntraError | undefined {
  const { effect } = fault;
  if (effect.kind === 'aadsts') return INJECTABLE_AADSTS.get(effect.code)?.(clientId, tenant);
  if (effect.kind !== 'status') return undefined;
  const retryAfter = effect.retryAfterSeconds === null ? {} : { 'retry-after': String(effect.retryAfterSeconds) };
  if (effect.status === 429) {
    const throttled = entraErrors.throttled();
    return new EntraError(429, throttled.error, throttled.aadsts, throttled.description, { 'cache-control': 'no-store', 'retry-after': '1', ...retryAfter });
  }
  if (effect.status === 500) return entraErrors.internal();
  return transient(retryAfter);
}
