import { subscriptionId as subscriptionIdOf } from '../../resources/index.js';
import type { ClockState } from '../../shared/clock.js';
import { armErrors } from '../arm/index.js';
import type { AdminDeps, AdminOperation } from './context.js';

/** The longest single move (a century): enough for any expiry, far from Date's limits. */
const MAX_MOVE_MS = 100 * 365 * 86_400_000;

const CLOCK_READ = 'Keyless/clock/read';
const CLOCK_WRITE = 'Keyless/clock/write';

/** `{ controllable, now, offsetMs, frozen }`: what `keyless clock` prints. */
function view(deps: AdminDeps): Record<string, unknown> {
  const state: ClockState = deps.clock?.state() ?? { now: deps.now(), offsetMs: 0, frozen: false };
  return { controllable: deps.clock !== undefined, now: new Date(state.now).toISOString(), offsetMs: state.offsetMs, frozen: state.frozen };
}

function controllable(deps: AdminDeps): NonNullable<AdminDeps['clock']> {
  if (deps.clock === undefined) throw armErrors.clockNotControllable();
  return deps.clock;
}

/** GET /subscriptions/{s}/providers/Keyless/clock: answered on any clock (`controllable: false` on the system's). */
export const showClock: AdminOperation = async (call, deps, access) => {
  access.authorize(call, CLOCK_READ, subscriptionIdOf(deps.subscriptionId()));
  return call.reply.send(view(deps));
};

/** POST …/clock/advance {milliseconds}: forward only, so that nothing issued can become "not yet valid" by accident. */
export const advanceClock: AdminOperation = async (call, deps, access) => {
  access.authorize(call, CLOCK_WRITE, subscriptionIdOf(deps.subscriptionId()));
  const clock = controllable(deps);
  const ms = call.body['milliseconds'];
  if (typeof ms !== 'number' || !Number.isInteger(ms) || ms <= 0 || ms > MAX_MOVE_MS) {
    throw armErrors.invalidContent("'milliseconds' must be a positive integer of at most a century.");
  }
  clock.advance(ms);
  call.request.log.warn({ advancedMs: ms }, 'clock advanced');
  return call.reply.send(view(deps));
};

/** POST …/clock/set {time, freeze?}: the time reads `time` from now on, flowing or (freeze) standing. */
export const setClock: AdminOperation = async (call, deps, access) => {
  access.authorize(call, CLOCK_WRITE, subscriptionIdOf(deps.subscriptionId()));
  const clock = controllable(deps);
  const { time, freeze } = call.body;
  const at = typeof time === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(time) ? Date.parse(time) : Number.NaN;
  if (Number.isNaN(at) || Math.abs(at - Date.now()) > MAX_MOVE_MS) {
    throw armErrors.invalidContent("'time' must be an ISO-8601 time with a date and a time of day (e.g. 2030-01-01T00:00:00Z), within a century of now.");
  }
  if (freeze !== undefined && typeof freeze !== 'boolean') throw armErrors.invalidContent("'freeze' must be true or false.");
  clock.set(at, freeze === true);
  call.request.log.warn({ time: new Date(at).toISOString(), freeze: freeze === true }, 'clock set');
  return call.reply.send(view(deps));
};

/** POST …/clock/resume: back to the system clock. */
export const resumeClock: AdminOperation = async (call, deps, access) => {
  access.authorize(call, CLOCK_WRITE, subscriptionIdOf(deps.subscriptionId()));
  controllable(deps).resume();
  call.request.log.warn('clock resumed');
  return call.reply.send(view(deps));
};
