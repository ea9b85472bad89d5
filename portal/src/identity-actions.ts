import { call, pick, str, type Json } from './api.js';
import { assignIdentityBlock, removeIdentityBlock, type IdentityBlock } from './identity-block.js';
import { apiVersionOf } from './kinds.js';

/**
 * Sends what `<noun> identity assign|remove` sends (src/cli/commands/host-identity.ts): reads the resource,
 * computes the block from what it has now, and PATCHes `{identity}` (null entries detach user-assigned ones).
 */
export async function changeIdentity(id: string, change: (current: unknown) => IdentityBlock): Promise<Json> {
  const api = apiVersionOf(id);
  const current = await call('GET', id, api);
  return call('PATCH', id, api, { identity: change(current['identity']) });
}

export const assignSystem = (id: string) => changeIdentity(id, (c) => assignIdentityBlock(c, { system: true, userIds: [] }));
export const removeSystem = (id: string) => changeIdentity(id, (c) => removeIdentityBlock(c, { system: true, userIds: [] }));
export const assignUser = (id: string, userId: string) => changeIdentity(id, (c) => assignIdentityBlock(c, { system: false, userIds: [userId] }));
export const removeUser = (id: string, userId: string) => changeIdentity(id, (c) => removeIdentityBlock(c, { system: false, userIds: [userId] }));

/** The identity block's user-assigned entries: id → {principalId, clientId}. */
export function userAssignedOf(resource: Json): [string, Json][] {
  const users = pick(resource, 'identity', 'userAssignedIdentities');
  return typeof users === 'object' && users !== null ? (Object.entries(users) as [string, Json][]) : [];
}

export function systemPrincipalOf(resource: Json): string | undefined {
  return /systemassigned/i.test(str(pick(resource, 'identity', 'type'))) ? str(pick(resource, 'identity', 'principalId')) : undefined;
}
