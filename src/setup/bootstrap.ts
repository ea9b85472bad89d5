import { randomBytes } from 'node:crypto';
import type { Clock } from '../shared/clock.js';
import { newGuid } from '../shared/ids.js';
import { open, seal } from '../shared/crypto.js';
import { StartupError } from '../shared/errors.js';
import { metaEntity, type Store } from '../store/index.js';
import { principalEntity, type Principal } from '../directory/index.js';
import { newSigningKey, signingKeyEntity } from '../tokens/index.js';
import { assignmentEntity, findRoleDefinition } from '../rbac/index.js';

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
    const existing = await writer.get(metaEntity, META.tenantId);
    if (existing !== undefined) return;
    const now = new Date(clock.now());
    const tenantId = newGuid();
    const subscriptionId = newGuid();
    await writer.put(metaEntity, { key: META.tenantId, value: tenantId });
    await writer.put(metaEntity, { key: META.subscriptionId, value: subscriptionId });
    await writer.put(metaEntity, { key: META.pepper, value: seal(kek, randomBytes(32), PEPPER_CONTEXT) });
    await writer.put(signingKeyEntity, newSigningKey(kek, 'current', now));
    await writer.put(signingKeyEntity, newSigningKey(kek, 'next', now));
    const admin: Principal = {
      objectId: newGuid(),
      appId: newGuid(),
      kind: 'Application',
      displayName: 'keyless-admin',
      resourceId: null,
      applicationObjectId: newGuid(),
      createdAt: now.toISOString(),
    };
    await writer.put(principalEntity, admin);
    await writer.put(metaEntity, { key: META.adminObjectId, value: admin.objectId });
    const owner = findRoleDefinition('Owner');
    if (!owner) throw new Error('the Owner role definition is missing');
    const name = newGuid();
    await writer.put(assignmentEntity, {
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
  const meta = new Map((await store.loadAll()).of(metaEntity).map((m) => [m.key, m.value]));
  const tenantId = meta.get(META.tenantId);
  const subscriptionId = meta.get(META.subscriptionId);
  const sealedPepper = meta.get(META.pepper);
  const adminObjectId = meta.get(META.adminObjectId);
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
