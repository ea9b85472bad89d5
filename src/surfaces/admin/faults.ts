import { subscriptionId as subscriptionIdOf } from '../../resources/index.js';
import { describeEffect, parseFaultSpec, type Fault } from '../../faults/index.js';
import { armErrors } from '../arm/index.js';
import { INJECTABLE_AADSTS } from '../entra/index.js';
import type { AdminDeps, AdminOperation } from './context.js';

const FAULTS_READ = 'Keyless/faults/read';
const FAULTS_WRITE = 'Keyless/faults/write';

/** A fault as the API shows it: the stored fields, what it does in words, and whether its time is over. */
function view(fault: Fault, deps: AdminDeps): Record<string, unknown> {
  const expired = fault.expiresAt !== null && Date.parse(fault.expiresAt) <= deps.now();
  return { ...fault, description: describeEffect(fault.effect), expired };
}

/** GET /subscriptions/{s}/providers/Keyless/faults: every stored fault, oldest first. */
export const listFaults: AdminOperation = async (call, deps, access) => {
  access.authorize(call, FAULTS_READ, subscriptionIdOf(deps.subscriptionId()));
  return call.reply.send({ value: deps.faults.list().map((f) => view(f, deps)) });
};

/** POST …/faults {surface, selectors, one effect, times?, forMs?}: 201 with the fault, in force on every instance once answered. */
export const addFault: AdminOperation = async (call, deps, access) => {
  access.authorize(call, FAULTS_WRITE, subscriptionIdOf(deps.subscriptionId()));
  const spec = parseFaultSpec(call.body);
  if (spec.effect.kind === 'aadsts' && !INJECTABLE_AADSTS.has(spec.effect.code)) {
    throw armErrors.invalidContent(`--aadsts must be one of ${[...INJECTABLE_AADSTS.keys()].join(', ')}.`);
  }
  const fault = await deps.faults.add(spec);
  call.request.log.warn({ fault: fault.id, surface: fault.surface, effect: describeEffect(fault.effect) }, 'fault added');
  return call.reply.code(201).send(view(fault, deps));
};

/** POST …/faults/clear {ids?}: removes the given faults, or all; answers the ids removed. */
export const clearFaults: AdminOperation = async (call, deps, access) => {
  access.authorize(call, FAULTS_WRITE, subscriptionIdOf(deps.subscriptionId()));
  const ids = call.body['ids'];
  if (ids !== undefined && (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string'))) throw armErrors.invalidContent("'ids' must be an array of fault ids.");
  const removed = await deps.faults.clear(ids as string[] | undefined);
  if (removed.length > 0) call.request.log.warn({ faults: removed }, 'faults cleared');
  return call.reply.send({ value: removed });
};
