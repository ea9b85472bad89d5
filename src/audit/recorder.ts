import type { Clock } from '../shared/clock.js';
import type { KeyName } from '../keys/index.js';
import type { AuditDecision, AuditRecord, AuditSurface, TokenUsage } from './model.js';

/** Where the records go: the AuditLog's queue (or a test's array). */
export interface AuditQueue {
  record(r: AuditRecord): void;
}

/**
 * The one builder of audit records: every surface records its decisions
 * here, stamped with the injected clock (so that records agree with the
 * tokens' times in tests that move the clock). It is on the data plane's hot
 * path: the fields are taken as arguments so that the record is the only
 * object built, and the ISO time is formatted once per millisecond.
 */
export class AuditRecorder {
  private lastMs = Number.NaN;
  private lastAt = '';

  constructor(
    private readonly queue: AuditQueue,
    private readonly clock: Clock,
  ) {}

  /**
   * Queues one decision; never waits and never throws. The arguments follow
   * AuditRecord's fields; an allowed model call adds, once its answer is over,
   * the deployment it reached and the tokens it spent.
   */
  record(
    surface: AuditSurface,
    operation: string,
    account: string | null,
    principalId: string | null,
    principalType: string | null,
    keyName: KeyName | null,
    decision: AuditDecision,
    reason: string,
    requestId: string | null,
    deployment?: string,
    usage?: TokenUsage,
  ): void {
    const record: AuditRecord = { at: this.at(), surface, operation, account, principalId, principalType, keyName, decision, reason, requestId };
    if (deployment === undefined) this.queue.record(record);
    else if (usage === undefined) this.queue.record({ ...record, deployment });
    else this.queue.record({ ...record, deployment, promptTokens: usage.promptTokens, completionTokens: usage.completionTokens });
  }

  private at(): string {
    const ms = this.clock.now();
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.lastAt = new Date(ms).toISOString();
    }
    return this.lastAt;
  }
}
