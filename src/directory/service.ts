import type { Clock } from '../shared/clock.js';
import { keyedDigest, randomSecret } from '../shared/crypto.js';
import { newGuid } from '../shared/ids.js';
import type { Writer } from '../store/store.js';
import type { ReadModel } from '../store/read-model.js';
import type { ClientSecret, Principal, PrincipalKind } from './model.js';
import { ClientAuthenticationError } from './errors.js';

const SECRET_PURPOSE = 'client-secret';

/**
 * Principals and their credentials. Writes happen inside the caller's
 * transaction (a resource and its system identity are created together);
 * reads come from the read model.
 */
export class DirectoryService {
  constructor(
    private readonly model: ReadModel,
    private readonly clock: Clock,
    private readonly pepper: () => Buffer,
  ) {}

  principal(objectId: string): Principal | undefined {
    return this.model.principals.get(objectId.toLowerCase());
  }

  principalByAppId(appId: string): Principal | undefined {
    return this.model.principalsByAppId.get(appId.toLowerCase());
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
    await writer.putPrincipal(principal);
    return principal;
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
    await writer.putSecret(record);
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
    const record = this.model.secretsByDigest.get(keyedDigest(this.pepper(), SECRET_PURPOSE, secret));
    if (!record || record.objectId !== principal.objectId) throw new ClientAuthenticationError('InvalidSecret', clientId);
    if (Date.parse(record.expiresAt) <= this.clock.now()) throw new ClientAuthenticationError('ExpiredSecret', clientId);
    return principal;
  }
}
