import { deletedAccountId, subscriptionId, type DeletedAccount } from '../../../resources/index.js';
import { only } from '../call.js';
import { armErrors } from '../errors.js';
import { renderResource, type RenderContext } from '../render.js';
import type { ArmDeps, ArmHandler } from './context.js';
import { purgeLongRunning } from './long-running.js';

/**
 * Cognitive Services' soft-deleted accounts (DeletedAccounts_List, _Get,
 * _Purge). Azure checks these actions at the subscription, not at the
 * account's group: a group's Owner cannot purge (MicrosoftDocs/azure-docs#76885
 * shows the AuthorizationFailed over scope '/subscriptions/…').
 */
const LIST_ACTION = 'Microsoft.CognitiveServices/deletedAccounts/read';
const READ_ACTION = 'Microsoft.CognitiveServices/locations/resourceGroups/deletedAccounts/read';
const PURGE_ACTION = 'Microsoft.CognitiveServices/locations/resourceGroups/deletedAccounts/delete';

export const listDeletedAccounts: ArmHandler<'deletedAccounts'> = async (call, target, { deps, access }) => {
  only(call.method, 'GET');
  access.checkSubscription(target.subscription);
  access.authorize(call, LIST_ACTION, subscriptionId(deps.subscriptionId()));
  await settled(deps);
  return call.reply.send({ value: deps.resources.deletedAccounts.list().map((d) => renderDeletedAccount(d, call.ctx)) });
};

/** GET shows one; DELETE purges it: 200, or 204 when there is none (the spec's answers), 202 with `--async-operations`. */
export const deletedAccount: ArmHandler<'deletedAccount'> = async (call, target, { deps, access }) => {
  access.checkSubscription(target.subscription);
  const scope = subscriptionId(deps.subscriptionId());
  const address = { location: target.location, group: target.group, name: target.name };
  const deleted = deps.resources.deletedAccounts;
  switch (call.method) {
    case 'GET':
      access.authorize(call, READ_ACTION, scope);
      await settled(deps);
      return call.reply.send(renderDeletedAccount(deleted.get(address), call.ctx));
    case 'DELETE': {
      access.authorize(call, PURGE_ACTION, scope);
      if (deps.operations) return purgeLongRunning(call, address, deps.operations, deps);
      const existed = await deleted.purge(address);
      return call.reply.code(existed ? 200 : 204).send();
    }
    default:
      throw armErrors.methodNotAllowed(call.method);
  }
};

/** Before a read: due long-running deletes and purges finish, expired deleted accounts are purged, so the answer shows where they ended. */
async function settled(deps: ArmDeps): Promise<void> {
  await deps.operations?.settleDue();
  await deps.resources.deletedAccounts.purgeExpired();
}

/** Azure's account shape, with the deletedAccounts id and the two dates in its properties. */
export function renderDeletedAccount(deleted: DeletedAccount, ctx: RenderContext): Record<string, unknown> {
  const out = renderResource(deleted.account, ctx);
  out['id'] = deletedAccountId(deleted);
  out['properties'] = { ...(out['properties'] as Record<string, unknown>), deletionDate: deleted.deletedAt, scheduledPurgeDate: deleted.purgeAt };
  return out;
}
