import { Worker } from 'node:worker_threads';

/** The writer thread has gone (or was closed); the batch was not written. */
export class AuditThreadGone extends Error {
  constructor() {
    super('the audit writer thread is not running');
  }
}

interface Pending {
  resolve(): void;
  reject(error: Error): void;
}

/**
 * Appends audit batches to a SQLite file from a worker thread, so that the
 * inserts (a few µs per record, all of it SQLite's own work) never run on
 * the thread that serves requests. Every batch settles: acknowledged once
 * committed, rejected with the thread's error, or with AuditThreadGone when
 * the thread exits first. The thread keeps the process alive only while a
 * batch is in flight.
 */
export class AuditWriterThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly inFlight = new Set<Promise<void>>();
  private nextId = 1;
  private running = true;
  private readonly exited: Promise<void>;

  /** `onError` hears why the thread failed, if it does (batches then go through the request thread). */
  constructor(file: string, onError: (error: Error) => void = () => undefined) {
    this.worker = new Worker(new URL('./audit-worker.js', import.meta.url), { workerData: { file } });
    this.worker.unref();
    this.worker.on('message', (message: { id: number; error?: string }) => this.settle(message));
    // A failure to start (or a crash) surfaces as 'error' then 'exit'; 'exit' settles what is left.
    this.worker.on('error', (error: Error) => onError(error));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', () => {
        this.running = false;
        const gone = new AuditThreadGone();
        for (const p of this.pending.values()) p.reject(gone);
        this.pending.clear();
        resolve();
      }),
    );
  }

  get alive(): boolean {
    return this.running;
  }

  /** Appends one batch (AUDIT_COLUMNS.length values per record) in one transaction. */
  append(values: unknown[]): Promise<void> {
    if (!this.running) return Promise.reject(new AuditThreadGone());
    const id = this.nextId++;
    const batch = new Promise<void>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, values });
    });
    this.inFlight.add(batch);
    const forget = (): void => void this.inFlight.delete(batch);
    batch.then(forget, forget);
    return batch;
  }

  /** Lets the batches in flight finish, then closes the thread's connection and waits for it to exit. */
  async close(): Promise<void> {
    if (!this.running) return;
    await Promise.allSettled([...this.inFlight]);
    if (!this.running) return;
    this.worker.ref();
    this.worker.postMessage('close');
    await this.exited;
  }

  private settle(message: { id: number; error?: string }): void {
    const p = this.pending.get(message.id);
    if (p === undefined) return;
    this.pending.delete(message.id);
    if (this.pending.size === 0) this.worker.unref();
    if (message.error === undefined) p.resolve();
    else p.reject(new Error(message.error));
  }
}
