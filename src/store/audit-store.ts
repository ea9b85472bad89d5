import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from './schema.js';
import type { DatabaseHandle } from './database.js';
import type { AuditDecision, AuditQuery, AuditRecord, AuditSink, AuditSurface } from '../audit/index.js';
import { auditLimit } from '../audit/index.js';
import { auditRows, flattenRecords, sqliteAppender } from './audit-columns.js';
import { AuditThreadGone, AuditWriterThread } from './audit-thread.js';

/** Rows per insert: 15 columns × 500 stays far below SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

type AuditRow = Selectable<Database['audit_records']>;

/**
 * The audit trail in the `audit_records` table. Not part of the change log:
 * records are append-only and never read by the read model.
 */
export class AuditStore implements AuditSink {
  private readonly db: Kysely<Database>;
  /** SQLite in a file: batches are written by a thread of their own (see AuditWriterThread). */
  private readonly thread: AuditWriterThread | undefined;
  /** SQLite on this thread, when there is no writer thread: one cached prepared statement per record. */
  private readonly sqliteAppend: ((values: readonly unknown[]) => void) | undefined;
  private readonly sqliteBusy: () => boolean = () => false;

  constructor(handle: DatabaseHandle, options: { readonly writerThread?: boolean; readonly onThreadError?: (error: Error) => void } = {}) {
    this.db = handle.db;
    const sqlite = handle.sqlite;
    if (sqlite) {
      if (options.writerThread !== false && !sqlite.memory) this.thread = new AuditWriterThread(sqlite.name, options.onThreadError);
      // A store write may hold the connection's transaction across an await; then the audit waits its turn through Kysely.
      this.sqliteBusy = () => sqlite.inTransaction;
      this.sqliteAppend = sqliteAppender(sqlite);
    }
  }

  /**
   * Appends all records in one transaction (all or none). If the writer
   * thread has gone, the batch is written here instead (a thread that died
   * between its commit and its answer would leave that batch twice: the
   * audit prefers a duplicate to a loss).
   */
  async append(records: readonly AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    const values = flattenRecords(records);
    if (this.thread?.alive) {
      try {
        await this.thread.append(values);
        return;
      } catch (error) {
        if (!(error instanceof AuditThreadGone)) throw error;
      }
    }
    if (this.sqliteAppend && !this.sqliteBusy()) {
      this.sqliteAppend(values);
      return;
    }
    const rows = auditRows(values) as Omit<AuditRow, 'seq'>[];
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += CHUNK) {
        await trx.insertInto('audit_records').values(rows.slice(i, i + CHUNK)).execute();
      }
    });
  }

  /** Stops the writer thread once its batches are written; later appends run on this thread. */
  async close(): Promise<void> {
    await this.thread?.close();
  }

  /** Newest first (by insertion order). */
  async query(q: AuditQuery): Promise<AuditRecord[]> {
    let query = this.db.selectFrom('audit_records').selectAll();
    if (q.since !== undefined) query = query.where('at', '>=', canonicalTime(q.since));
    if (q.principalId !== undefined) query = query.where('principal_id', '=', q.principalId.toLowerCase());
    if (q.surface !== undefined) query = query.where('surface', '=', q.surface);
    // ARM ids compare in any case; records keep the casing the request used.
    if (q.account !== undefined) query = query.where(sql<string>`lower(account)`, '=', q.account.toLowerCase());
    if (q.decision !== undefined) query = query.where('decision', '=', q.decision);
    if (q.denied === true) query = query.where('decision', '=', 'denied');
    if (q.drill !== undefined) query = query.where('drill', '=', q.drill.toLowerCase());
    if (q.injected === true) query = query.where('decision', '=', 'injected');
    const rows = await query.orderBy('seq', 'desc').limit(auditLimit(q.limit)).execute();
    return rows.map(fromRow);
  }
}

function fromRow(row: AuditRow): AuditRecord {
  return {
    at: row.at,
    surface: row.surface as AuditSurface,
    operation: row.operation,
    account: row.account,
    principalId: row.principal_id,
    principalType: row.principal_type,
    keyName: row.key_name as AuditRecord['keyName'],
    decision: row.decision as AuditDecision,
    reason: row.reason,
    requestId: row.request_id,
    ...(row.deployment === null ? {} : { deployment: row.deployment }),
    ...(row.prompt_tokens === null ? {} : { promptTokens: Number(row.prompt_tokens) }),
    ...(row.completion_tokens === null ? {} : { completionTokens: Number(row.completion_tokens) }),
    ...(row.drill === null ? {} : { drill: row.drill }),
    ...(row.explanation === null ? {} : { explanation: row.explanation }),
    ...(row.fix === null ? {} : { fix: row.fix }),
  };
}

/** `at` is compared as text: give `since` the same toISOString form when it parses. */
function canonicalTime(value: string): string {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}
