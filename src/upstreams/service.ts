import type { Clock } from '../shared/clock.js';
import { open, seal } from '../shared/crypto.js';
import type { EntityTable, ReadModel, Writer } from '../store/index.js';
import { upstreamEntity } from './entities.js';
import { viewOf, type Upstream, type UpstreamView } from './model.js';
import { originOf, type UpstreamSpec } from './spec.js';

/** The KEK's associated data for an upstream key: a sealed key cannot be moved to another deployment. */
const keyContext = (deploymentKey: string): string => `upstreamKey:${deploymentKey}`;

/**
 * Deployments' upstreams. Written inside the deployment's own transaction
 * (the resources context calls apply/remove); read on the hot path from the
 * read model, with each key opened once and kept in memory.
 */
export class UpstreamService {
  private readonly upstreams: EntityTable<Upstream>;
  /** Opened keys by sealed value: a new key is a new sealed value, so entries never go stale. */
  private readonly openedKeys = new Map<string, string>();

  constructor(
    model: ReadModel,
    private readonly kek: Buffer,
    private readonly clock: Clock,
  ) {
    this.upstreams = model.table(upstreamEntity);
    model.on(upstreamEntity, () => this.openedKeys.clear());
  }

  /** Inside a write: sets (spec), removes (null) or keeps (undefined) a deployment's upstream. */
  async apply(writer: Writer, deploymentKey: string, spec: UpstreamSpec | null | undefined, defaultModel: string): Promise<void> {
    if (spec === undefined) return;
    if (spec === null) return this.remove(writer, deploymentKey);
    const existing = await writer.get(upstreamEntity, deploymentKey);
    let sealedKey: string | null;
    if (spec.key === undefined) {
      const sameOrigin = existing !== undefined && originOf(existing.url) === originOf(spec.url);
      sealedKey = sameOrigin ? existing.sealedKey : null;
    } else {
      sealedKey = spec.key === null ? null : seal(this.kek, spec.key, keyContext(deploymentKey));
    }
    await writer.put(upstreamEntity, {
      deploymentKey,
      url: spec.url,
      model: spec.model ?? defaultModel,
      sealedKey,
      timeoutMs: spec.timeoutSeconds * 1000,
      firstByteTimeoutMs: spec.firstByteTimeoutSeconds * 1000,
      updatedAt: new Date(this.clock.now()).toISOString(),
    });
  }

  /** Inside a write: a deployment's upstream goes with it. */
  async remove(writer: Writer, deploymentKey: string): Promise<void> {
    await writer.delete(upstreamEntity, deploymentKey);
  }

  /** The hot path: one map lookup. */
  get(deploymentKey: string): Upstream | undefined {
    return this.upstreams.get(deploymentKey);
  }

  view(deploymentKey: string): UpstreamView | undefined {
    const upstream = this.upstreams.get(deploymentKey);
    return upstream && viewOf(upstream);
  }

  /** The upstream's key in clear, for its Authorization header only. */
  keyOf(upstream: Upstream): string | undefined {
    const sealed = upstream.sealedKey;
    if (sealed === null) return undefined;
    let key = this.openedKeys.get(sealed);
    if (key === undefined) {
      key = open(this.kek, sealed, keyContext(upstream.deploymentKey)).toString('utf8');
      this.openedKeys.set(sealed, key);
    }
    return key;
  }
}
