import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { TableDeclaration } from '../store/index.js';
import type { InstanceRecord } from './model.js';

/**
 * The membership table: one row per running instance, outside the change log
 * (a heartbeat every second is not a revision). Times are the database's
 * clock, so that instances on different machines compare the same clock.
 */
export const instancesTable: TableDeclaration = {
  name: 'instances',
  migrations: {
    '0006_instances': () => [
      sql`create table instances (id text primary key, address text not null, started_at text not null,
            heartbeat_ms bigint not null, applied_revision bigint not null, version text not null)`,
    ],
  },
};

type Dialect = 'sqlite' | 'postgres';

/** The database's clock in milliseconds since the epoch. */
const nowMs = (dialect: Dialect): RawBuilder<number> =>
  dialect === 'postgres'
    ? sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`
    : sql<number>`cast(round((julianday('now') - 2440587.5) * 86400000) as integer)`;

interface Row {
  id: string;
  address: string;
  started_at: string;
  heartbeat_ms: number | string;
  applied_revision: number | string;
  version: string;
}

const fromRow = (r: Row): InstanceRecord => ({
  id: r.id,
  address: r.address,
  startedAt: r.started_at,
  heartbeatMs: Number(r.heartbeat_ms),
  appliedRevision: Number(r.applied_revision),
  version: r.version,
});

/** The membership table's queries. */
export class InstancesTable {
  constructor(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    private readonly db: Kysely<any>,
    private readonly dialect: Dialect,
  ) {}

  /** Adds (or replaces) this instance's row, heartbeat now. */
  async register(record: Omit<InstanceRecord, 'heartbeatMs'>): Promise<void> {
    const row = {
      id: record.id,
      address: record.address,
      started_at: record.startedAt,
      heartbeat_ms: nowMs(this.dialect),
      applied_revision: record.appliedRevision,
      version: record.version,
    };
    await this.db
      .insertInto('instances')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ heartbeat_ms: nowMs(this.dialect), applied_revision: record.appliedRevision }))
      .execute();
  }

  /** Writes a heartbeat and the applied revision; false when the row is gone (removed by an operator, say). */
  async heartbeat(id: string, appliedRevision: number): Promise<boolean> {
    const result = await this.db
      .updateTable('instances')
      .set({ heartbeat_ms: nowMs(this.dialect), applied_revision: appliedRevision })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Records the revision this instance has applied (never lowering it). */
  async applied(id: string, revision: number): Promise<void> {
    await this.db
      .updateTable('instances')
      .set({ applied_revision: revision })
      .where('id', '=', id)
      .where('applied_revision', '<', revision)
      .execute();
  }

  /** Every row, with the database's clock at the time of reading. */
  async list(): Promise<{ nowMs: number; instances: InstanceRecord[] }> {
    const rows = (await this.db.selectFrom('instances').selectAll().select(nowMs(this.dialect).as('now_ms')).orderBy('started_at').execute()) as (Row & {
      now_ms: number | string;
    })[];
    if (rows.length > 0) return { nowMs: Number(rows[0]?.now_ms), instances: rows.map(fromRow) };
    const clock = await sql<{ now_ms: number | string }>`select ${nowMs(this.dialect)} as now_ms`.execute(this.db);
    return { nowMs: Number(clock.rows[0]?.now_ms), instances: [] };
  }

  /** Records the applied revision and, on PostgreSQL, tells the writers waiting for it (one round trip). */
  async acknowledge(id: string, revision: number, channel: string | undefined): Promise<void> {
    if (channel === undefined) return this.applied(id, revision);
    // The payload names the instance and the revision: writers learn who has applied what without reading the table.
    await sql`update instances set applied_revision = greatest(applied_revision, ${revision})
              where id = ${id} returning pg_notify(${channel}, id || ' ' || applied_revision::text)`.execute(this.db);
  }

  /** Removes every row but this instance's. */
  async removeAllBut(id: string): Promise<void> {
    await this.db.deleteFrom('instances').where('id', '<>', id).execute();
  }

  async remove(id: string): Promise<void> {
    await this.db.deleteFrom('instances').where('id', '=', id).execute();
  }

  /** Forgets instances silent for longer than `olderThanMs` (they stopped without saying so). */
  async prune(olderThanMs: number): Promise<void> {
    await this.db
      .deleteFrom('instances')
      .where('heartbeat_ms', '<', sql<number>`${nowMs(this.dialect)} - ${olderThanMs}`)
      .execute();
  }
}
