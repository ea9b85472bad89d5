import { subscriptionId as subscriptionIdOf } from '../../resources/index.js';
import { PRIVILEGED_ACTION } from '../../rbac/index.js';
import type { AdminOperation } from './context.js';

/** Keyless's signing key rotation: POST /subscriptions/{s}/providers/Keyless/signingKeys/rotate[?emergency=true]. */
export const rotateSigningKeys: AdminOperation = async (call, deps, access) => {
  access.authorize(call, PRIVILEGED_ACTION, subscriptionIdOf(deps.subscriptionId()));
  const emergency = call.query['emergency'] === 'true';
  const result = await deps.rotation.rotate(emergency);
  call.request.log.warn({ emergency, current: result.current, next: result.next, revoked: result.revoked.length }, 'signing keys rotated');
  return call.reply.send({ emergency, ...result });
};
