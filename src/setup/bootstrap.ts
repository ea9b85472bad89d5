import { randomBytes } from 'node:crypto';
import type { Clock } from '../shared/clock.js';
import { newGuid } from '../shared/ids.js';
import { open, seal } from '../shared/crypto.js';
import { StartupError } from '../shared/errors.js';
import type { Store } from '../store/store.js';
import type { Principal } from '../directory/model.js';
import { newSigningKey } from '../tokens/signing-keys.js';
import { findRoleDefinition } from '../rbac/builtin-roles.js';

export const META = {
  tenantId: 'tenantId',
  subscriptionId: 'subscriptionId',
  pepper: 'pepper',
  adminObjectId: 'adminObjectId',
} as const;

const PEPPER_CONTEXT = 'meta:pepper';

export interface Identity {
  readonly tenantId: string;
  readonly subscriptionId: string;
  readonly adminObjectId: string;
  readonly pepper: Buffer;
}

/**
 * First start: one transaction creates the tenant, the subscription, the
 * digest pepper, the signing keys (current and next) and the admin service
 * principal with Owner on the subscription. Later starts, and other
 * instances on the same database, find it all and reuse it.
 */
export async function bootstrap(store: Store, kek: Buffer, clock: Clock): Promise<Identity> {
  await store.write(async (writer) => {
    const existing = await writer.meta(META.tenantId);
    if (existing !== undefined) return;
    const now = new Date(clock.now());
    const tenantId = newGuid();
    const subscriptionId = newGuid();
    await writer.putMeta(META.tenantId, tenantId);
    await writer.putMeta(META.subscriptionId, subscriptionId);
    await writer.putMeta(META.pepper, seal(kek, randomBytes(32), PEPPER_CONTEXT));
    await writer.putSigningKey(newSigningKey(kek, 'current', now));
    await writer.putSigningKey(newSigningKey(kek, 'next', now));
    const admin: Principal = {
      objectId: newGuid(),
      appId: newGuid(),
      kind: 'Application',
      displayName: 'keyless-admin',
      resourceId: null,
      applicationObjectId: newGuid(),
      createdAt: now.toISOString(),
    };
    await writer.putPrincipal(admin);
    await writer.putMeta(META.adminObjectId, admin.objectId);
    const owner = findRoleDefinition('Owner');
    if (!owner) throw new Error('the Owner role definition is missing');
    const name = newGuid();
    await writer.putAssignment({
      id: `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleAssignments/${name}`,
      name,
      scope: `/subscriptions/${subscriptionId}`,
      roleDefinitionId: `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${owner.name}`,
      principalId: admin.objectId,
      principalType: 'ServicePrincipal',
      createdOn: now.toISOString(),
    });
  });
  return readIdentity(store, kek);
}

async function readIdentity(store: Store, kek: Buffer): Promise<Identity> {
  const state = await store.loadAll();
  const tenantId = state.meta.get(META.tenantId);
  const subscriptionId = state.meta.get(META.subscriptionId);
  const sealedPepper = state.meta.get(META.pepper);
  const adminObjectId = state.meta.get(META.adminObjectId);
  if (!tenantId || !subscriptionId || !sealedPepper || !adminObjectId) {
    throw new StartupError('DatabaseIncomplete', 'The database holds a partial Keyless set-up; use a new database or data folder.');
  }
  let pepper: Buffer;
  try {
    pepper = open(kek, sealedPepper, PEPPER_CONTEXT);
  } catch {
    throw new StartupError(
      'KekMismatch',
      'The key-encryption key does not match this database (it was set up with another key); pass the right one with --kek-file or KEYLESS_KEK.',
    );
  }
  return { tenantId, subscriptionId, adminObjectId, pepper };
}
