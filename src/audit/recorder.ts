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

  /** Queues one decision; never waits and never throws. The arguments follow AuditRecord's fields. */
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
  ): void {
    this.queue.record({ at: this.at(), surface, operation, account, principalId, principalType, keyName, decision, reason, requestId });
  }

  /** An allowed model call, once its answer is over: the same record with the deployment and the tokens spent. */
  recordUsage(
    surface: AuditSurface,
    operation: string,
    account: string | null,
    principalId: string | null,
    principalType: string | null,
    keyName: KeyName | null,
    reason: string,
    requestId: string | null,
    deployment: string,
    usage: TokenUsage | undefined,
  ): void {
    const record: AuditRecord = { at: this.at(), surface, operation, account, principalId, principalType, keyName, decision: 'allowed', reason, requestId, deployment };
    this.queue.record(usage === undefined ? record : { ...record, promptTokens: usage.promptTokens, completionTokens: usage.completionTokens });
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
