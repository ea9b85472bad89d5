import type { Clock } from '../shared/clock.js';
import { keyedDigest, randomSecret } from '../shared/crypto.js';
import { newGuid } from '../shared/ids.js';
import type { EntityTable, ReadModel, Writer } from '../store/index.js';
import type { ClientSecret, Principal, PrincipalKind } from './model.js';
import { ClientAuthenticationError } from './errors.js';
import { certificateEntity, federatedCredentialEntity, principalEntity, secretEntity } from './entities.js';

const SECRET_PURPOSE = 'client-secret';

/**
 * Principals and their credentials. Writes happen inside the caller's
 * transaction (a resource and its system identity are created together);
 * reads come from the read model.
 */
export class DirectoryService {
  private readonly principals: EntityTable<Principal, 'appId'>;
  // Hot-path indexes, kept: one Map lookup per request.
  private readonly principalsByAppId: ReadonlyMap<string, Principal>;
  private readonly secretsByDigest: ReadonlyMap<string, ClientSecret>;

  constructor(
    model: ReadModel,
    private readonly clock: Clock,
    private readonly pepper: () => Buffer,
  ) {
    this.principals = model.table(principalEntity);
    this.principalsByAppId = this.principals.index('appId');
    this.secretsByDigest = model.table(secretEntity).index('digest');
  }

  principal(objectId: string): Principal | undefined {
    return this.principals.get(objectId.toLowerCase());
  }

  principalByAppId(appId: string): Principal | undefined {
    return this.principalsByAppId.get(appId.toLowerCase());
  }

  async createPrincipal(
    writer: Writer,
    kind: PrincipalKind,
    displayName: string,
    resourceId: string | null,
  ): Promise<Principal> {
    const principal: Principal = {
      objectId: newGuid(),
      appId: newGuid(),
      kind,
      displayName,
      resourceId,
      applicationObjectId: kind === 'Application' ? newGuid() : null,
      createdAt: new Date(this.clock.now()).toISOString(),
    };
    await writer.put(principalEntity, principal);
    return principal;
  }

  /** Inside a write: deletes a principal, and its credentials with it. */
  async deletePrincipal(writer: Writer, objectId: string): Promise<void> {
    for (const secret of await writer.find(secretEntity, 'object_id', objectId)) await writer.delete(secretEntity, secret.id);
    for (const certificate of await writer.find(certificateEntity, 'object_id', objectId)) await writer.delete(certificateEntity, certificate.id);
    for (const credential of await writer.find(federatedCredentialEntity, 'object_id', objectId)) {
      await writer.delete(federatedCredentialEntity, credential.id);
    }
    await writer.delete(principalEntity, objectId);
  }

  /** Adds a client secret; returns the secret text, which is never stored. */
  async addClientSecret(writer: Writer, objectId: string, lifetimeDays: number): Promise<{ secret: string; record: ClientSecret }> {
    const secret = `${randomSecret(3).slice(0, 3)}8Q~${randomSecret(30)}`;
    const now = this.clock.now();
    const record: ClientSecret = {
      id: newGuid(),
      objectId,
      digest: keyedDigest(this.pepper(), SECRET_PURPOSE, secret),
      hint: secret.slice(0, 3),
      displayName: null,
      expiresAt: new Date(now + lifetimeDays * 86_400_000).toISOString(),
      createdAt: new Date(now).toISOString(),
    };
    await writer.put(secretEntity, record);
    return { secret, record };
  }

  /**
   * Checks a client id and secret as Entra does. The secret is looked up by
   * its keyed digest (an index lookup, not a comparison against each secret)
   * and must belong to that client.
   */
  authenticateClientSecret(clientId: string, secret: string | undefined): Principal {
    const principal = this.principalByAppId(clientId);
    if (!principal || principal.kind !== 'Application') throw new ClientAuthenticationError('UnknownClient', clientId);
    if (secret === undefined || secret === '') throw new ClientAuthenticationError('NoCredential', clientId);
    const record = this.secretsByDigest.get(keyedDigest(this.pepper(), SECRET_PURPOSE, secret));
    if (!record || record.objectId !== principal.objectId) throw new ClientAuthenticationError('InvalidSecret', clientId);
    if (Date.parse(record.expiresAt) <= this.clock.now()) throw new ClientAuthenticationError('ExpiredSecret', clientId);
    return principal;
  }
}
