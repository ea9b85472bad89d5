import { subscriptionId as subscriptionIdOf } from '../../../resources/index.js';
import { only } from '../call.js';
import { armErrors } from '../errors.js';
import { renderGroup, renderResource } from '../render.js';
import type { ArmDeps, ArmHandler } from './context.js';
import { canonicalType } from './resources.js';

/** As Azure: the subscription is listed to whoever holds a role anywhere in it, not only to its readers. */
export const listSubscriptions: ArmHandler<'subscriptions'> = async (call, _target, { deps }) => {
  only(call.method, 'GET');
  const sub = subscriptionIdOf(deps.subscriptionId());
  const value = deps.rbac.hasAssignmentAround(call.caller.objectId, sub) ? [renderSubscription(deps)] : [];
  return call.reply.send({ value, count: { type: 'Total', value: value.length } });
};

export const getSubscription: ArmHandler<'subscription'> = async (call, target, { deps, access }) => {
  only(call.method, 'GET');
  access.checkSubscription(target.subscription);
  const sub = subscriptionIdOf(deps.subscriptionId());
  if (!deps.rbac.hasAssignmentAround(call.caller.objectId, sub)) access.authorize(call, 'Microsoft.Resources/subscriptions/read', sub);
  return call.reply.send(renderSubscription(deps));
};

export const listGroups: ArmHandler<'groups'> = async (call, target, { deps, access }) => {
  only(call.method, 'GET');
  access.checkSubscription(target.subscription);
  const groups = deps.resources.listGroups().filter((g) => access.canRead(call, 'Microsoft.Resources/subscriptions/resourceGroups/read', g.id));
  return call.reply.send({ value: groups.map(renderGroup) });
};

/** Resources of one type across the subscription. */
export const listSubscriptionResources: ArmHandler<'subscriptionResources'> = async (call, target, { deps, access }) => {
  only(call.method, 'GET');
  access.checkSubscription(target.subscription);
  const type = canonicalType(target.type);
  const items = deps.resources.list(type).filter((r) => access.canRead(call, `${type}/read`, r.id));
  return call.reply.send({ value: items.map((r) => renderResource(r, call.ctx)) });
};

/** Azure has no subscription-level POST actions Keyless serves; Keyless's own (signing keys, workload tokens) are the admin router's. */
export const subscriptionAction: ArmHandler<'subscriptionAction'> = async (call, target, { access }) => {
  only(call.method, 'POST');
  access.checkSubscription(target.subscription);
  throw armErrors.noRoute(call.method, call.request.url);
};

function renderSubscription(deps: ArmDeps): Record<string, unknown> {
  // Azure's order; managedByTenants is [] for a subscription no other tenant manages.
  return {
    id: subscriptionIdOf(deps.subscriptionId()),
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId: deps.subscriptionId(),
    tenantId: deps.tenantId(),
    displayName: 'Keyless',
    state: 'Enabled',
    subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'Keyless_2026-01-01', spendingLimit: 'Off' },
  };
}
