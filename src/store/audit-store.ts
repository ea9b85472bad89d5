import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';
import type { DatabaseHandle } from './database.js';
import type { AuditDecision, AuditQuery, AuditRecord, AuditSink, AuditSurface } from '../audit/model.js';
import { auditLimit } from '../audit/model.js';
import type { KeyName } from '../keys/model.js';

/** Rows per insert: 11 columns × 500 stays far below SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

type AuditRow = Selectable<Database['audit_records']>;

/**
 * The audit trail in the `audit_records` table. Not part of the change log:
 * records are append-only and never read by the read model.
 */
export class AuditStore implements AuditSink {
  private readonly db: Kysely<Database>;
  /** SQLite runs on the request thread: one cached prepared statement keeps a flush to a few µs per record. */
  private readonly sqliteAppend: ((rows: readonly Omit<AuditRow, 'seq'>[]) => void) | undefined;
  private readonly sqliteBusy: () => boolean = () => false;

  constructor(handle: DatabaseHandle) {
    this.db = handle.db;
    const sqlite = handle.sqlite;
    if (sqlite) {
      const insert = sqlite.prepare(
        `insert into audit_records (at, surface, operation, account, principal_id, principal_type, key_name, decision, reason, request_id)
         values (@at, @surface, @operation, @account, @principal_id, @principal_type, @key_name, @decision, @reason, @request_id)`,
      );
      // A store write may hold the connection's transaction across an await; then the audit waits its turn through Kysely.
      this.sqliteBusy = () => sqlite.inTransaction;
      this.sqliteAppend = sqlite.transaction((rows: readonly Omit<AuditRow, 'seq'>[]) => {
        for (const row of rows) insert.run(row);
      });
    }
  }

  /** Appends all records in one transaction (all or none). */
  async append(records: readonly AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    if (this.sqliteAppend && !this.sqliteBusy()) {
      this.sqliteAppend(records.map(toRow));
      return;
    }
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < records.length; i += CHUNK) {
        await trx.insertInto('audit_records').values(records.slice(i, i + CHUNK).map(toRow)).execute();
      }
    });
  }

  /** Newest first (by insertion order). */
  async query(q: AuditQuery): Promise<AuditRecord[]> {
    let query = this.db.selectFrom('audit_records').selectAll();
    if (q.since !== undefined) query = query.where('at', '>=', canonicalTime(q.since));
    if (q.principalId !== undefined) query = query.where('principal_id', '=', q.principalId.toLowerCase());
    if (q.denied === true) query = query.where('decision', '=', 'denied');
    const rows = await query.orderBy('seq', 'desc').limit(auditLimit(q.limit)).execute();
    return rows.map(fromRow);
  }
}

/** Principal ids are stored lowercased, so that the filter matches whatever case it is given in. */
function toRow(r: AuditRecord): Omit<AuditRow, 'seq'> {
  return {
    at: r.at,
    surface: r.surface,
    operation: r.operation,
    account: r.account,
    principal_id: r.principalId === null ? null : r.principalId.toLowerCase(),
    principal_type: r.principalType,
    key_name: r.keyName,
    decision: r.decision,
    reason: r.reason,
    request_id: r.requestId,
  };
}

function fromRow(row: AuditRow): AuditRecord {
  return {
    at: row.at,
    surface: row.surface as AuditSurface,
    operation: row.operation,
    account: row.account,
    principalId: row.principal_id,
    principalType: row.principal_type,
    keyName: row.key_name as KeyName | null,
    decision: row.decision as AuditDecision,
    reason: row.reason,
    requestId: row.request_id,
  };
}

/** `at` is compared as text: give `since` the same toISOString form when it parses. */
function canonicalTime(value: string): string {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}
