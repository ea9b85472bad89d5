import type { Clock } from '../shared/clock.js';
import { keyedDigest, open, randomHex, seal } from '../shared/crypto.js';
import { NotFoundError } from '../shared/errors.js';
import type { EntityTable, ReadModel, Store, Writer } from '../store/index.js';
import { HOST_SECRET_PURPOSE, hostSecretContext, type HostSecret } from './host-secret.js';
import { hostSecretEntity, resourceEntity } from './entities.js';

/**
 * Per-host secrets of the managed identity endpoints: created with the host,
 * replaced on rotation (as the platform does when it restarts an app), gone
 * with the host. 128 bits of lowercase hex: it survives msal-node's
 * lowercasing of the endpoint URL.
 */
export class HostSecretService {
  private readonly secrets: EntityTable<HostSecret, 'digest'>;
  // The hot path's index, kept: one Map lookup per request.
  private readonly byDigest: ReadonlyMap<string, HostSecret>;

  constructor(
    private readonly store: Store,
    private readonly model: ReadModel,
    private readonly clock: Clock,
    private readonly kek: Buffer,
    private readonly pepper: () => Buffer,
  ) {
    this.secrets = model.table(hostSecretEntity);
    this.byDigest = this.secrets.index('digest');
  }

  async create(writer: Writer, resourceKey: string): Promise<void> {
    const secret = randomHex(16);
    const record: HostSecret = {
      resourceKey,
      sealed: seal(this.kek, secret, hostSecretContext(resourceKey)),
      digest: this.digest(secret),
      createdAt: new Date(this.clock.now()).toISOString(),
    };
    await writer.put(hostSecretEntity, record);
  }

  /** Replaces the host's secret; the old one stops working at once. */
  async rotate(resourceKey: string): Promise<void> {
    const { revision } = await this.store.write(async (writer) => {
      await this.requireHost(writer, resourceKey);
      await this.create(writer, resourceKey);
    });
    await this.model.reach(revision);
  }

  /** The secret in clear, for the host's environment (creating it for hosts made before secrets existed). */
  async reveal(resourceKey: string): Promise<string> {
    let record = this.secrets.get(resourceKey);
    if (!record) {
      const { revision } = await this.store.write(async (writer) => {
        await this.requireHost(writer, resourceKey);
        if (!(await writer.get(hostSecretEntity, resourceKey))) await this.create(writer, resourceKey);
      });
      await this.model.reach(revision);
      record = this.secrets.get(resourceKey);
    }
    if (!record) throw new Error(`no identity secret for ${resourceKey}`);
    return open(this.kek, record.sealed, hostSecretContext(resourceKey)).toString('utf8');
  }

  /** A secret is never written for a host deleted since the caller looked it up (it would outlive it). */
  private async requireHost(writer: Writer, resourceKey: string): Promise<void> {
    if (!(await writer.get(resourceEntity, resourceKey))) throw new NotFoundError('ResourceNotFound', `The host '${resourceKey}' no longer exists.`);
  }

  /** Which host presented this secret (hot path: one keyed digest, one map lookup). Matched case-insensitively. */
  identify(secret: string): string | undefined {
    return this.byDigest.get(this.digest(secret.toLowerCase()))?.resourceKey;
  }

  private digest(secret: string): string {
    return keyedDigest(this.pepper(), HOST_SECRET_PURPOSE, secret);
  }
}
