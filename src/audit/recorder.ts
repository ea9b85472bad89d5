import type { Clock } from '../shared/clock.js';
import type { KeyName } from '../keys/index.js';
import type { AuditDecision, AuditRecord, AuditSurface, TokenUsage } from './model.js';

/** Why a denial happened and what would fix it, for the audit record only. */
export interface DenialExplanation {
  readonly explanation: string;
  readonly fix: string | undefined;
}

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
    drill?: string,
  ): void {
    const at = this.at();
    // One literal per shape, no spread: a spread of a record builds a new hidden class on every call (measured).
    let record: AuditRecord;
    if (deployment === undefined) record = { at, surface, operation, account, principalId, principalType, keyName, decision, reason, requestId };
    else if (usage === undefined) record = { at, surface, operation, account, principalId, principalType, keyName, decision, reason, requestId, deployment };
    else {
      record = {
        at, surface, operation, account, principalId, principalType, keyName, decision, reason, requestId,
        deployment, promptTokens: usage.promptTokens, completionTokens: usage.completionTokens,
      };
    }
    // Rare (a drill's requests): the one shape that spreads.
    if (drill !== undefined) record = { ...record, drill };
    this.queue.record(record);
  }

  /**
   * Queues a denial with its explanation and fix (computed by the caller for
   * denials only, off the allowed path). Same fields as `record`, decision 'denied'.
   */
  recordDenial(
    surface: AuditSurface,
    operation: string,
    account: string | null,
    principalId: string | null,
    principalType: string | null,
    keyName: KeyName | null,
    reason: string,
    requestId: string | null,
    explanation: DenialExplanation,
    drill?: string,
  ): void {
    const at = this.at();
    const decision = 'denied';
    let record: AuditRecord =
      explanation.fix === undefined
        ? { at, surface, operation, account, principalId, principalType, keyName, decision, reason, requestId, explanation: explanation.explanation }
        : { at, surface, operation, account, principalId, principalType, keyName, decision, reason, requestId, explanation: explanation.explanation, fix: explanation.fix };
    if (drill !== undefined) record = { ...record, drill };
    this.queue.record(record);
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
