import { randomUUID } from 'node:crypto';
import { principalEntity } from '../../directory/index.js';
import { subscriptionId as subscriptionIdOf } from '../../resources/index.js';
import { armErrors } from '../arm/index.js';
import type { ArmCall } from '../arm/index.js';
import type { AdminDeps, AdminOperation } from './context.js';

/** Announcing a drill: Contributor's or Owner's `*` grants it, Reader's does not. */
export const DRILL_WRITE_ACTION = 'Keyless/drills/write';

const ITEMS = ['key', 'clientId', 'clientSecret', 'token'] as const;
const DRILL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Bounds on what a drill may write into the audit (the reason column), so a caller cannot fill it. */
const MAX_TARGET = 512;
const MAX_SUMMARY = 4096;

/**
 * A leak drill announces itself: POST /subscriptions/{s}/providers/Keyless/drills/start {item, target}
 * → {drillId, startedAt}, and POST …/drills/end {drillId, summary}. Each is one audit record of surface
 * `drill`, whose requestId is the drill id; the drill's own requests carry `x-keyless-drill: {drillId}`.
 * Neither ever holds the leaked value: `target` names it (an account and key name, an app id, a file name).
 */
export const startDrill: AdminOperation = async (call, deps, access) => {
  access.authorize(call, DRILL_WRITE_ACTION, subscriptionIdOf(deps.subscriptionId()));
  const { item, target } = call.body;
  if (typeof item !== 'string' || !(ITEMS as readonly string[]).includes(item)) throw armErrors.invalidContent(`'item' must be one of ${ITEMS.join(', ')}.`);
  if (typeof target !== 'string' || target === '' || target.length > MAX_TARGET) throw armErrors.invalidContent(`'target' must be a non-empty string of at most ${MAX_TARGET} characters.`);
  const drillId = randomUUID();
  record(call, deps, 'start', drillId, `leak drill ${drillId} started: ${item} ${target}`);
  return call.reply.send({ drillId, startedAt: new Date(deps.now()).toISOString() });
};

export const endDrill: AdminOperation = async (call, deps, access) => {
  access.authorize(call, DRILL_WRITE_ACTION, subscriptionIdOf(deps.subscriptionId()));
  const { drillId, summary } = call.body;
  if (typeof drillId !== 'string' || !DRILL_ID.test(drillId)) throw armErrors.invalidContent("'drillId' must be the id that drills/start returned.");
  if (typeof summary !== 'string' || summary.length > MAX_SUMMARY) throw armErrors.invalidContent(`'summary' must be a string of at most ${MAX_SUMMARY} characters.`);
  record(call, deps, 'end', drillId, `leak drill ${drillId} ended: ${summary}`);
  return call.reply.send({ drillId, endedAt: new Date(deps.now()).toISOString() });
};

function record(call: ArmCall, deps: AdminDeps, phase: 'start' | 'end', drillId: string, reason: string): void {
  const kind = deps.model.table(principalEntity).get(call.caller.objectId)?.kind;
  const principalType = kind === undefined || kind === 'Application' ? 'ServicePrincipal' : 'ManagedIdentity';
  deps.recorder.record('drill', `POST /providers/Keyless/drills/${phase}`, null, call.caller.objectId, principalType, null, 'allowed', reason, drillId, undefined, undefined, drillId);
}
