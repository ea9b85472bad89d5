import type { AuditQuery, AuditRecord, AuditSink } from './model.js';
import { BoundedQueue } from './queue.js';

export interface AuditLogOptions {
  /** How often queued records are written (default 250 ms). */
  readonly flushIntervalMs?: number;
  /** Records per append; reaching it also starts a flush (default 500). */
  readonly maxBatch?: number;
  /** Records kept while the sink fails; beyond it the oldest are dropped (default 100 000). */
  readonly maxQueue?: number;
  /** Told about failed background flushes (the records are kept and retried). */
  readonly onError?: (error: unknown) => void;
}

/**
 * The audit trail's write path. `record` only queues (it is on every
 * data-plane request); a timer, or a full batch, writes the queue to the
 * sink. Flushes run one at a time; a failed batch goes back to the front of
 * the queue and is retried on the next flush.
 */
export class AuditLog {
  private readonly queue: BoundedQueue<AuditRecord>;
  private readonly maxBatch: number;
  private readonly onError: ((error: unknown) => void) | undefined;
  private readonly timer: NodeJS.Timeout;
  /** Serialises flushes: each one starts after the previous settles. */
  private chain: Promise<void> = Promise.resolve();
  /** Flushes asked for and not yet settled. */
  private pending = 0;
  /** The last append failed: wait for the timer rather than retrying on every record. */
  private failing = false;
  private closed = false;

  constructor(
    private readonly sink: AuditSink,
    options: AuditLogOptions = {},
  ) {
    this.maxBatch = Math.max(1, Math.floor(options.maxBatch ?? 500));
    this.queue = new BoundedQueue<AuditRecord>(Math.max(this.maxBatch, Math.floor(options.maxQueue ?? 100_000)));
    this.onError = options.onError;
    this.timer = setInterval(() => this.background(), Math.max(1, options.flushIntervalMs ?? 250));
    this.timer.unref();
  }

  /** Records discarded because the queue was full while the sink failed. */
  get dropped(): number {
    return this.queue.dropped;
  }

  /** Records not yet written. */
  get queued(): number {
    return this.queue.size;
  }

  /** Queues one record; never waits and never throws. */
  record(r: AuditRecord): void {
    try {
      this.queue.push(r);
      if (!this.failing && this.queue.size >= this.maxBatch) this.background();
    } catch {
      // Auditing must never break the request that is being audited.
    }
  }

  /** Writes everything queued so far; rejects with the sink's error (the records stay queued). */
  flush(): Promise<void> {
    this.pending++;
    const run = this.chain.then(() => this.drain());
    const settle = (): void => {
      this.pending--;
    };
    this.chain = run.then(settle, settle);
    return run;
  }

  /** Stops the timer, writes everything and closes the sink; records made afterwards wait for an explicit flush. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    try {
      await this.flush();
    } finally {
      await this.sink.close?.();
    }
  }

  /** Reads the trail, after writing what is queued (a request's record is visible once it returns). */
  async query(q: AuditQuery): Promise<AuditRecord[]> {
    await this.flush();
    return this.sink.query(q);
  }

  private async drain(): Promise<void> {
    // Only what is queued now: a steady stream of new records cannot keep this flush going.
    let remaining = this.queue.size;
    while (remaining > 0 && this.queue.size > 0) {
      const batch = this.queue.take(Math.min(this.maxBatch, remaining));
      remaining -= batch.length;
      try {
        await this.sink.append(batch);
      } catch (error) {
        this.queue.restore(batch);
        this.failing = true;
        throw error;
      }
      this.failing = false;
    }
  }

  /** A flush nobody awaits: skipped when one is already under way. */
  private background(): void {
    if (this.closed || this.pending > 0 || this.queue.size === 0) return;
    this.flush().catch((error: unknown) => {
      try {
        this.onError?.(error);
      } catch {
        // A failing error handler must not become an unhandled rejection.
      }
    });
  }
}
