/**
 * Whether this instance may judge requests with what it knows. It is current
 * as of the last time it confirmed so (a heartbeat that read the newest
 * revision, applied everything before it and was written, with the change
 * feed up); once that is older than the lease, it fences itself until the
 * next confirmation. The other instances' writes wait at most that long for
 * it (see Propagation), so a fenced instance never serves a revoked
 * credential. Read on every request: one clock read and a comparison.
 */
export class Fence {
  /** `performance.now()` after which the instance is fenced. */
  private until: number;

  constructor(readonly leaseMs: number) {
    // Fenced until the membership has started: nothing is judged with state read before this instance joined.
    this.until = Number.NEGATIVE_INFINITY;
  }

  /** The instance was current at `since` (a `performance.now()` taken before it read the newest revision). */
  confirm(since: number): void {
    this.until = since + this.leaseMs;
  }

  /** Fenced from now until the next confirmation (the membership has not started, or has stopped). */
  close(): void {
    this.until = Number.NEGATIVE_INFINITY;
  }

  fenced(): boolean {
    return performance.now() > this.until;
  }
}
