import type { Clock } from '../shared/clock.js';
import { metaEntity, type ReadModel, type Store } from '../store/index.js';
import { newSigningKey } from './signing-keys.js';
import { newSealedWorkloadKey, WORKLOAD_KEY_META } from './workload-issuer.js';
import type { SigningKeyRecord } from './model.js';
import { signingKeyEntity } from './entities.js';

export interface RotationResult {
  readonly current: string;
  readonly next: string;
  /** Keys that no longer verify anything (emergency: every key published so far). */
  readonly revoked: readonly string[];
  /** Emergency only: the built-in workload issuer's new key (its old one signs nothing that is accepted any more). */
  readonly workloadIssuerKid?: string;
}

/**
 * Signing key rotation, as Entra rolls its keys. The JWKS always publishes
 * the current key and the next one. An ordinary rotation promotes the next
 * key, publishes a new next one, and keeps the old current key for
 * verification until every token it signed has expired. An emergency
 * rotation revokes every key published so far: tokens they signed fail from
 * the next request on (caches are purged when the keys change). It also
 * replaces the built-in workload issuer's key.
 */
export class SigningKeyRotation {
  constructor(
    private readonly store: Store,
    private readonly model: ReadModel,
    private readonly clock: Clock,
    private readonly kek: Buffer,
    /** The longest lifetime of any token Keyless issues, in seconds (plus the verifier's skew). */
    private readonly longestTokenSeconds: number,
  ) {}

  async rotate(emergency: boolean): Promise<RotationResult> {
    // A compromise of Keyless's keys is one of the workload issuer's too (both are sealed in the same database).
    const workloadKey = emergency ? newSealedWorkloadKey(this.kek) : undefined;
    const { value, revision } = await this.store.write(async (writer) => {
      const now = new Date(this.clock.now());
      const keys = await writer.all(signingKeyEntity);
      const revoked: string[] = [];
      const retire = async (key: SigningKeyRecord, status: 'retired' | 'revoked') => {
        await writer.put(signingKeyEntity, { ...key, status, retiredAt: key.retiredAt ?? now.toISOString() });
        if (status === 'revoked') revoked.push(key.kid);
      };
      let current: SigningKeyRecord | undefined;
      for (const key of keys) {
        if (key.status === 'revoked') continue;
        if (emergency) await retire(key, 'revoked');
        else if (key.status === 'current') await retire(key, 'retired');
        else if (key.status === 'retired' && this.expired(key, now)) await retire(key, 'revoked');
        else if (key.status === 'next') {
          current = { ...key, status: 'current' };
          await writer.put(signingKeyEntity, current);
        }
      }
      if (current === undefined) {
        current = newSigningKey(this.kek, 'current', now);
        await writer.put(signingKeyEntity, current);
      }
      const next = newSigningKey(this.kek, 'next', now);
      await writer.put(signingKeyEntity, next);
      if (workloadKey === undefined) return { current: current.kid, next: next.kid, revoked };
      await writer.put(metaEntity, { key: WORKLOAD_KEY_META, value: workloadKey.sealed });
      return { current: current.kid, next: next.kid, revoked, workloadIssuerKid: workloadKey.kid };
    });
    await this.model.reach(revision);
    return value;
  }

  /** A retired key whose tokens have all expired verifies nothing any more. */
  private expired(key: SigningKeyRecord, now: Date): boolean {
    return key.retiredAt !== null && now.getTime() - Date.parse(key.retiredAt) > this.longestTokenSeconds * 1000;
  }
}
