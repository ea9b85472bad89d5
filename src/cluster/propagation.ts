import type { InstancesTable } from './instances-table.js';

/** How long a waiting write sleeps before it reads the membership table again when no acknowledgement arrives. */
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
 *
 * The table is read once per write; the acknowledgements that follow arrive
 * as notifications carrying the instance and its applied revision, so a
 * write with two other instances costs one query, not one per answer.
 */
export class Propagation {
  private wakers = new Set<() => void>();
  /** The newest revision each instance has said it applied (from its notifications). */
  private readonly acked = new Map<string, number>();

  constructor(
    private readonly table: InstancesTable,
    private readonly selfId: string,
    private readonly leaseMs: number,
  ) {}

  async waitForAll(revision: number): Promise<void> {
    const deadline = performance.now() + this.leaseMs;
    let pending: Set<string> | undefined;
    let nextRead = 0;
    for (;;) {
      if (pending === undefined || performance.now() >= nextRead) {
        try {
          pending = await this.lagging(revision);
        } catch {
          pending = new Set([this.selfId]);
        }
        nextRead = performance.now() + RECHECK_MS;
      }
      for (const id of pending) if ((this.acked.get(id) ?? 0) >= revision) pending.delete(id);
      const left = deadline - performance.now();
      if (pending.size === 0 || left <= 0) return;
      await this.nextAcknowledgement(Math.min(left, Math.max(1, nextRead - performance.now())));
    }
  }

  /** An instance says it has applied `revision` (its NOTIFY): the writes waiting for it look again. */
  acknowledged(id: string, revision: number): void {
    if (Number.isFinite(revision) && revision > (this.acked.get(id) ?? 0)) this.acked.set(id, revision);
    const wakers = this.wakers;
    this.wakers = new Set();
    for (const wake of wakers) wake();
  }

  /** Forgets instances that left (their rows are gone), so that the map stays as small as the cluster. */
  forgetAllBut(ids: ReadonlySet<string>): void {
    for (const id of this.acked.keys()) if (!ids.has(id)) this.acked.delete(id);
  }

  /** Wakes every waiting write (each reads the table once more and returns by its deadline). */
  stop(): void {
    const wakers = this.wakers;
    this.wakers = new Set();
    for (const wake of wakers) wake();
  }

  /** Live instances other than this one that have not applied `revision`, by the table. */
  private async lagging(revision: number): Promise<Set<string>> {
    const { nowMs, instances } = await this.table.list();
    const ids = new Set<string>();
    for (const i of instances) {
      if (i.id !== this.selfId && i.appliedRevision < revision && nowMs - i.heartbeatMs < this.leaseMs) ids.add(i.id);
    }
    return ids;
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
