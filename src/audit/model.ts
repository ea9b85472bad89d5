import type { KeyName } from '../keys/index.js';

/** What a model call spent. */
export interface TokenUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/** Which emulated surface made the decision. */
/** `arm`: the control plane's denials, and its calls that act as a host (listIdentityEnvironment, rotateIdentitySecret); `graph`: its refused writes; `drill`: a leak drill's start and end. */
export type AuditSurface = 'openai' | 'identity' | 'entra' | 'arm' | 'graph' | 'drill';

export const AUDIT_SURFACES: readonly AuditSurface[] = ['openai', 'identity', 'entra', 'arm', 'graph', 'drill'];

/** `injected`: the answer came from a fault (`keyless fault add`), not from a decision. */
export type AuditDecision = 'allowed' | 'denied' | 'injected';

export const AUDIT_DECISIONS: readonly AuditDecision[] = ['allowed', 'denied', 'injected'];

/** One authentication or authorization decision on the data plane. */
export interface AuditRecord {
  /** ISO-8601 time (`Date#toISOString`). */
  readonly at: string;
  readonly surface: AuditSurface;
  /** Method and route template, e.g. "GET /msi/token". */
  readonly operation: string;
  /** ARM id of the account, when known. */
  readonly account: string | null;
  readonly principalId: string | null;
  /** 'ServicePrincipal', 'ManagedIdentity', … */
  readonly principalType: string | null;
  /** Set when the caller used an account key instead of a token. */
  readonly keyName: KeyName | null;
  readonly decision: AuditDecision;
  readonly reason: string;
  readonly requestId: string | null;
  /** The deployment an allowed data-plane call reached. */
  readonly deployment?: string;
  /** Tokens the call used, from the model's usage (or counted when a stream carried none). */
  readonly promptTokens?: number;
  readonly completionTokens?: number;
  /** The leak drill the request says it belongs to (its `x-keyless-drill` header, a drill id); a label, never a reason to decide otherwise. */
  readonly drill?: string;
  /** A denial's explanation: what the caller holds there and why it does not grant (the same words as `keyless role check`). Never sent to the caller. */
  readonly explanation?: string;
  /** A denial's fix: the exact command that would grant what was refused, when one exists. */
  readonly fix?: string;
}

/** Filters for reading the trail; results are newest first. */
export interface AuditQuery {
  /** ISO time; records at or after it. */
  readonly since?: string;
  readonly principalId?: string;
  /** Only the decisions of this surface. */
  readonly surface?: AuditSurface;
  /** Only the records of this account (its ARM id, compared in any case). */
  readonly account?: string;
  /** Only this decision. */
  readonly decision?: AuditDecision;
  /** Only denials when true. */
  readonly denied?: boolean;
  /** Only the records of this drill (its start and end, and the requests that carried its id). */
  readonly drill?: string;
  /** Only injected answers (faults) when true. */
  readonly injected?: boolean;
  /** Default 100, at most 1000. */
  readonly limit?: number;
}

/** Where an AuditLog writes its batches, and reads them back. */
export interface AuditSink {
  append(records: readonly AuditRecord[]): Promise<void>;
  /** Releases what the sink holds (a writer thread, say); later appends must still work, if more slowly. */
  close?(): Promise<void>;
  query(q: AuditQuery): Promise<AuditRecord[]>;
}

export const AUDIT_DEFAULT_LIMIT = 100;
export const AUDIT_MAX_LIMIT = 1000;

/** The query's limit as a whole number in 1..1000 (default 100). */
export function auditLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return AUDIT_DEFAULT_LIMIT;
  return Math.min(AUDIT_MAX_LIMIT, Math.max(1, Math.floor(limit)));
}
