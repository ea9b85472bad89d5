import { assessPosture, DEFAULT_MAX_KEY_AGE_DAYS, MAX_KEY_AGE_DAYS_LIMIT, readPostureInput } from '../../posture/index.js';
import { subscriptionId as subscriptionIdOf } from '../../resources/index.js';
import { armErrors } from '../arm/index.js';
import type { AdminOperation } from './context.js';

/** Reading posture needs what reading the subscription needs: the wildcard read action (Reader, Contributor, Owner, …) grants it. */
export const POSTURE_READ_ACTION = 'Keyless/posture/read';

/**
 * Keyless's posture report: GET /subscriptions/{s}/providers/Keyless/posture[?maxKeyAgeDays=90].
 * `{ subscriptionId, generatedAt, maxKeyAgeDays, summary: {high, medium, low}, value: [finding] }`, computed from the read model.
 */
export const readPosture: AdminOperation = async (call, deps, access) => {
  const subscription = subscriptionIdOf(deps.subscriptionId());
  access.authorize(call, POSTURE_READ_ACTION, subscription);
  const given = call.query['maxKeyAgeDays'];
  const maxKeyAgeDays = given === undefined ? DEFAULT_MAX_KEY_AGE_DAYS : Number(given);
  if (!/^\d+$/.test(given ?? '0') || !Number.isInteger(maxKeyAgeDays) || maxKeyAgeDays < 1 || maxKeyAgeDays > MAX_KEY_AGE_DAYS_LIMIT) {
    throw armErrors.invalidContent(`The 'maxKeyAgeDays' parameter must be a whole number of days from 1 to ${MAX_KEY_AGE_DAYS_LIMIT}.`);
  }
  const input = readPostureInput(deps.model, deps.rbac, {
    subscriptionId: deps.subscriptionId(),
    now: deps.now(),
    maxKeyAgeDays,
    exempt: [deps.adminObjectId],
  });
  return call.reply.send(assessPosture(input));
};
