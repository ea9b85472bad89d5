import type BetterSqlite3 from 'better-sqlite3';
import type { AuditRecord } from '../audit/index.js';

/** The audit table's columns in insertion order, shared by the request thread and the writer thread. */
export const AUDIT_COLUMNS = ['at', 'surface', 'operation', 'account', 'principal_id', 'principal_type', 'key_name', 'decision', 'reason', 'request_id',
  'deployment', 'prompt_tokens', 'completion_tokens', 'drill', 'explanation', 'fix'] as const;

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
    values.push(r.at, r.surface, r.operation, r.account, r.principalId === null ? null : r.principalId.toLowerCase(), r.principalType, r.keyName, r.decision, r.reason, r.requestId,
      r.deployment ?? null, r.promptTokens ?? null, r.completionTokens ?? null, r.drill ?? null, r.explanation ?? null, r.fix ?? null);
  }
  return values;
}

/** One batch of flattened records in one transaction on a SQLite connection (either thread's), through one prepared statement. */
export function sqliteAppender(database: BetterSqlite3.Database): (values: readonly unknown[]) => void {
  const insert = database.prepare(AUDIT_INSERT);
  const width = AUDIT_COLUMNS.length;
  return database.transaction((values: readonly unknown[]) => {
    for (let i = 0; i + width <= values.length; i += width) insert.run(values.slice(i, i + width));
  });
}

/** Flattened records as row objects keyed by column, for a query builder. */
export function auditRows(values: readonly unknown[]): Record<(typeof AUDIT_COLUMNS)[number], unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i + AUDIT_COLUMNS.length <= values.length; i += AUDIT_COLUMNS.length) {
    rows.push(Object.fromEntries(AUDIT_COLUMNS.map((column, j) => [column, values[i + j]])));
  }
  return rows as Record<(typeof AUDIT_COLUMNS)[number], unknown>[];
}
