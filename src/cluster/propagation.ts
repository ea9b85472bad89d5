import type { InstancesTable } from './instances-table.js';

/** How long a waiting write sleeps between two reads of the membership table when no acknowledgement wakes it. */
const RECHECK_MS = 50;

/**
 * What a write waits for before it returns: every other live instance has
 * applied its revision, or its lease has run out. An instance that has not
 * applied a revision within the lease after its commit cannot have confirmed
 * itself current since then, so it is fenced by the time the lease has run
 * out (see Fence): waiting for longer would add nothing. Instances whose last
 * heartbeat is already older than the lease are out of the cluster and not
 * waited for. If the membership table cannot be read, the write waits the
 * whole lease, which is safe without it.
 */
export class Propagation {
  private wakers = new Set<() => void>();

  constructor(
    private readonly table: InstancesTable,
    private readonly selfId: string,
    private readonly leaseMs: number,
  ) {}

  async waitForAll(revision: number): Promise<void> {
    const deadline = performance.now() + this.leaseMs;
    for (;;) {
      let waiting: number;
      try {
        waiting = await this.lagging(revision);
      } catch {
        waiting = 1;
      }
      const left = deadline - performance.now();
      if (waiting === 0 || left <= 0) return;
      await this.nextAcknowledgement(Math.min(left, RECHECK_MS));
    }
  }

  /** An instance acknowledged a revision (its NOTIFY): waiting writes read the table again. */
  acknowledged(): void {
    const wakers = this.wakers;
    this.wakers = new Set();
    for (const wake of wakers) wake();
  }

  /** Wakes every waiting write (they read the table once more and return by their deadline). */
  stop(): void {
    this.acknowledged();
  }

  /** Live instances other than this one that have not applied `revision`. */
  private async lagging(revision: number): Promise<number> {
    const { nowMs, instances } = await this.table.list();
    let count = 0;
    for (const i of instances) {
      if (i.id !== this.selfId && i.appliedRevision < revision && nowMs - i.heartbeatMs < this.leaseMs) count++;
    }
    return count;
  }

  private nextAcknowledgement(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }
}
