import { randomUUID } from 'node:crypto';
import type { Clock } from '../shared/clock.js';
import type { EntityTable, ReadModel, Store, Writer } from '../store/index.js';
import { asyncOperationEntity } from './entities.js';
import { RUNNING_STATE, type AsyncOperation, type OperationAction, type OperationError } from './model.js';

/** What finishing an operation did: it succeeded, or it could not (the resource went away meanwhile). */
export type OperationOutcome = { readonly status: 'Succeeded' } | { readonly status: 'Failed' | 'Canceled'; readonly error: OperationError };

/** The work an action does when its operation is due (composed by the root: deleting goes through the resources context). */
export type OperationFinishers = Readonly<Record<OperationAction, (operation: AsyncOperation) => Promise<OperationOutcome>>>;

/** The resource an operation is about. */
export interface OperationSubject {
  readonly id: string;
  readonly key: string;
  readonly location: string;
}

/** How often an instance looks for due operations, and how long finished ones stay pollable. */
const SWEEP_MS = 250;
const RETENTION_MS = 24 * 3600_000;
const PRUNE_EVERY_SWEEPS = 240;

/**
 * Long-running operations (`keyless up --async-operations`): recorded in the
 * transaction that starts them, due `delayMs` later on the product clock, and
 * finished by whichever instance sees them due first (a poll, a read of the
 * resource, or the sweep every 250 ms). The finishing write re-reads the
 * operation, so two instances never finish one twice; an operation that was in
 * flight when Keyless stopped finishes after the restart, at or after its due time.
 */
export class AsyncOperations {
  private readonly operations: EntityTable<AsyncOperation>;
  /** The operation in flight on each resource, by resource key. */
  private readonly running = new Map<string, AsyncOperation>();
  private settling: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private sweeps = 0;

  constructor(
    private readonly store: Store,
    private readonly model: ReadModel,
    private readonly clock: Clock,
    readonly delayMs: number,
    private readonly finishers: OperationFinishers,
    private readonly onWarning: (message: string) => void = () => undefined,
  ) {
    this.operations = model.table(asyncOperationEntity);
    for (const operation of this.operations.values()) this.track(operation);
    model.on(asyncOperationEntity, (change) => {
      if (change.value) this.track(change.value);
      else for (const [key, operation] of this.running) if (operation.id === change.key) this.running.delete(key);
    });
  }

  /** Starts the sweep; the first one finishes what was due while Keyless was stopped. */
  start(): void {
    this.timer = setInterval(() => this.sweep(), SWEEP_MS);
    this.timer.unref();
    this.sweep();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.settling;
  }

  /** Inside the caller's write: records an operation on `subject`, due `delayMs` from now. */
  async record(writer: Writer, action: OperationAction, subject: OperationSubject): Promise<AsyncOperation> {
    const now = this.clock.now();
    const operation: AsyncOperation = {
      id: randomUUID(),
      action,
      resourceId: subject.id,
      resourceKey: subject.key,
      location: subject.location,
      status: 'InProgress',
      startTime: new Date(now).toISOString(),
      dueTime: new Date(now + this.delayMs).toISOString(),
      endTime: null,
      error: null,
    };
    await writer.put(asyncOperationEntity, operation);
    return operation;
  }

  get(id: string): AsyncOperation | undefined {
    return this.operations.get(id.toLowerCase());
  }

  /** The operation in flight on a resource, if any. */
  inFlight(resourceKey: string): AsyncOperation | undefined {
    return this.running.get(resourceKey);
  }

  /** `Creating` until a create is due, `Deleting` until a delete has removed the resource; undefined when nothing runs. */
  provisioningState(resourceKey: string): string | undefined {
    const operation = this.running.get(resourceKey);
    if (!operation || (operation.action === 'create' && this.remainingMs(operation) === 0)) return undefined;
    return RUNNING_STATE[operation.action];
  }

  /** Whether a resource is still being created (the data plane does not serve a deployment yet). One map lookup. */
  isCreating(resourceKey: string): boolean {
    if (this.running.size === 0) return false;
    const operation = this.running.get(resourceKey);
    return operation !== undefined && operation.action === 'create' && this.remainingMs(operation) > 0;
  }

  /** Milliseconds until the operation is due (0 once it is). */
  remainingMs(operation: AsyncOperation): number {
    return Math.max(0, Date.parse(operation.dueTime) - this.clock.now());
  }

  /** Finishes every operation that is due; concurrent callers share one pass. */
  settleDue(): Promise<void> {
    if (this.running.size === 0) return Promise.resolve();
    this.settling ??= this.finishDue().finally(() => {
      this.settling = undefined;
    });
    return this.settling;
  }

  private async finishDue(): Promise<void> {
    for (const operation of [...this.running.values()]) {
      if (this.remainingMs(operation) === 0) await this.finish(operation);
    }
  }

  private async finish(operation: AsyncOperation): Promise<void> {
    const outcome = await this.finishers[operation.action](operation);
    const { value: finishedHere, revision } = await this.store.write(async (writer) => {
      const current = await writer.get(asyncOperationEntity, operation.id);
      // Another instance (or an earlier pass) finished it already.
      if (!current || current.status !== 'InProgress') return false;
      await writer.put(asyncOperationEntity, {
        ...current,
        status: outcome.status,
        endTime: current.dueTime,
        error: outcome.status === 'Succeeded' ? null : outcome.error,
      });
      return true;
    });
    // Finished elsewhere: read that instance's write now rather than at the next notification.
    await (finishedHere ? this.model.reach(revision) : this.model.catchUp());
  }

  private sweep(): void {
    this.settleDue().catch((error: unknown) => this.onWarning(`a due operation could not be finished yet (will retry): ${String(error)}`));
    if (this.sweeps++ % PRUNE_EVERY_SWEEPS === 0) {
      this.prune().catch((error: unknown) => this.onWarning(`old operations could not be removed yet: ${String(error)}`));
    }
  }

  /** Finished operations are kept for a day, then their URLs answer 404 (Azure, too, keeps them for a while only). */
  private async prune(): Promise<void> {
    const horizon = this.clock.now() - RETENTION_MS;
    const old = [...this.operations.values()].filter((o) => o.endTime !== null && Date.parse(o.endTime) < horizon).map((o) => o.id);
    if (old.length === 0) return;
    const { revision } = await this.store.write(async (writer) => {
      for (const id of old) await writer.delete(asyncOperationEntity, id);
    });
    await this.model.reach(revision);
  }

  private track(operation: AsyncOperation): void {
    if (operation.status === 'InProgress') this.running.set(operation.resourceKey, operation);
    else if (this.running.get(operation.resourceKey)?.id === operation.id) this.running.delete(operation.resourceKey);
  }
}
