import type { TokenService, VerifiedToken } from '../../tokens/index.js';
import { audiencesFor } from '../../tokens/index.js';
import { CLOCK_SKEW_SECONDS } from '../../shared/time-limits.js';

const DATA_PLANE_AUDIENCES = audiencesFor('dataPlane');

const MAX_ENTRIES = 10_000;
/**
 * Entries are found by the token's last characters (its signature's), then
 * the whole token is compared: hashing a whole token (a kilobyte) was most
 * of a cache hit's cost, on every request.
 */
const KEY_CHARS = 48;

interface Entry {
  readonly token: string;
  readonly verified: VerifiedToken;
}

/**
 * Bearer tokens verified once and remembered until they expire, keyed by the
 * whole token (so any change to it misses). Cleared when signing keys change,
 * so a revoked key stops working on the next request.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly tokens: TokenService,
    private readonly now: () => number,
    private readonly principalExists: ((objectId: string) => boolean) | undefined = undefined,
  ) {}

  verify(token: string): VerifiedToken {
    const key = token.length > KEY_CHARS ? token.slice(-KEY_CHARS) : token;
    const entry = this.entries.get(key);
    const cached = entry !== undefined && entry.token === token ? entry.verified : undefined;
    // Expiry is re-checked with the same skew the verifier allows; a cached token whose principal has gone is verified afresh.
    if (cached && cached.expiresOn + CLOCK_SKEW_SECONDS >= Math.floor(this.now() / 1000) && (!this.principalExists || this.principalExists(cached.objectId))) return cached;
    if (entry) this.entries.delete(key);
    const verified = this.tokens.verify(token, { audiences: DATA_PLANE_AUDIENCES });
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { token, verified });
    return verified;
  }

  clear(): void {
    this.entries.clear();
  }
}
