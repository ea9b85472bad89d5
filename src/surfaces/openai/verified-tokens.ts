import type { TokenService, VerifiedToken } from '../../tokens/index.js';
import { audiencesFor } from '../../tokens/index.js';
import { CLOCK_SKEW_SECONDS } from '../../shared/time-limits.js';

const DATA_PLANE_AUDIENCES = audiencesFor('dataPlane');

const MAX_ENTRIES = 10_000;

/**
 * Bearer tokens verified once and remembered until they expire, keyed by the
 * whole token (so any change to it misses). Cleared when signing keys change,
 * so a revoked key stops working on the next request.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, VerifiedToken>();

  constructor(
    private readonly tokens: TokenService,
    private readonly now: () => number,
    private readonly principalExists: ((objectId: string) => boolean) | undefined = undefined,
  ) {}

  verify(token: string): VerifiedToken {
    const cached = this.entries.get(token);
    // Expiry is re-checked with the same skew the verifier allows; a cached token whose principal has gone is verified afresh.
    if (cached && cached.expiresOn + CLOCK_SKEW_SECONDS >= Math.floor(this.now() / 1000) && (!this.principalExists || this.principalExists(cached.objectId))) return cached;
    if (cached) this.entries.delete(token);
    const verified = this.tokens.verify(token, { audiences: DATA_PLANE_AUDIENCES });
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(token, verified);
    return verified;
  }

  clear(): void {
    this.entries.clear();
  }
}
