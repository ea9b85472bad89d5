/**
 * Azure's managed identity limits per host: 20 requests per second and 5 at
 * once; above that, 429 with Retry-After. Off unless `--identity-throttle`.
 */
const MAX_TRACKED = 10_000;

export class HostThrottle {
  private readonly hosts = new Map<string, { windowStart: number; count: number; inFlight: number }>();

  constructor(
    private readonly perSecond = 20,
    private readonly concurrent = 5,
    private readonly now: () => number = Date.now,
  ) {}

  /** Admits a request, or returns false; an admitted one must be released. */
  admit(host: string): boolean {
    const t = this.now();
    let state = this.hosts.get(host);
    if (!state) {
      if (this.hosts.size >= MAX_TRACKED) this.prune(t);
      state = { windowStart: t, count: 0, inFlight: 0 };
      this.hosts.set(host, state);
    }
    if (t - state.windowStart >= 1000) {
      state.windowStart = t;
      state.count = 0;
    }
    if (state.count >= this.perSecond || state.inFlight >= this.concurrent) return false;
    state.count++;
    state.inFlight++;
    return true;
  }

  /** Forgets idle keys (no request in flight, window over), so the map stays bounded. */
  private prune(t: number): void {
    for (const [key, state] of this.hosts) if (state.inFlight === 0 && t - state.windowStart >= 1000) this.hosts.delete(key);
  }

  release(host: string): void {
    const state = this.hosts.get(host);
    if (state && state.inFlight > 0) state.inFlight--;
  }
}
