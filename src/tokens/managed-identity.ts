import type { Clock } from '../shared/clock.js';
import type { Principal } from '../directory/index.js';
import type { TokenService, IssuedToken } from './service.js';

/**
 * Managed identity tokens, cached per identity and resource as the platform
 * caches them (Azure hands out the same token for most of its life), so a
 * repeated request costs a map lookup, not a signature.
 */
/** Identities × resources (each spelling of a resource is its own entry): bounded, as any holder of a host secret can add to it. */
const MAX_CACHED = 10_000;

export class ManagedIdentityTokens {
  private readonly cache = new Map<string, IssuedToken>();

  constructor(
    private readonly tokens: TokenService,
    private readonly clock: Clock,
    private readonly lifetimeSeconds: number,
  ) {}

  get(principal: Principal, resource: string, origin: string): IssuedToken {
    const key = `${principal.objectId}\0${resource}`;
    const now = Math.floor(this.clock.now() / 1000);
    const cached = this.cache.get(key);
    // Handed out again while a good part of its life is left (Azure: ~24 h tokens, refreshed late).
    if (cached && cached.expiresOn - now > Math.min(300, this.lifetimeSeconds / 4)) return cached;
    const issued = this.tokens.issue({ principal, audience: resource, origin, lifetimeSeconds: this.lifetimeSeconds, appidacr: '2' });
    if (this.cache.size >= MAX_CACHED) this.prune(now);
    this.cache.set(key, issued);
    return issued;
  }

  /** Drops expired tokens; if that is not enough, everything (tokens are cheap to issue again). */
  private prune(now: number): void {
    for (const [key, token] of this.cache) if (token.expiresOn <= now) this.cache.delete(key);
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
  }

  /** Forgets a principal's tokens (it was deleted). */
  forget(objectId: string): void {
    const prefix = `${objectId}\0`;
    for (const key of this.cache.keys()) if (key.startsWith(prefix)) this.cache.delete(key);
  }

  /** Forgets every token (signing keys changed). */
  clear(): void {
    this.cache.clear();
  }
}
