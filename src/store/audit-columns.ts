import type { AuditRecord } from '../audit/model.js';

/** The audit table's columns in insertion order, shared by the request thread and the writer thread. */
export const AUDIT_COLUMNS = ['at', 'surface', 'operation', 'account', 'principal_id', 'principal_type', 'key_name', 'decision', 'reason', 'request_id'] as const;

export const AUDIT_INSERT = `insert into audit_records (${AUDIT_COLUMNS.join(', ')}) values (${AUDIT_COLUMNS.map(() => '?').join(', ')})`;

/**
 * Records as one flat array of column values, in AUDIT_COLUMNS order: the
 * cheapest shape to post to another thread (no object per record to clone).
 * Principal ids are stored lowercased, so that the filter matches whatever
 * case it is given in.
 */
export function flattenRecords(records: readonly AuditRecord[]): unknown[] {
  const values: unknown[] = [];
  for (const r of records) {
    values.push(r.at, r.surface, r.operation, r.account, r.principalId === null ? null : r.principalId.toLowerCase(), r.principalType, r.keyName, r.decision, r.reason, r.requestId);
  }
  return values;
}
