import { createHash } from 'node:crypto';
import { UnavailableError } from '../shared/errors.js';
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { DatabaseHandle } from './database.js';
import type { AnyEntityDeclaration, DeclarationOf, EntityValue } from './entity.js';
import { EntityRegistry } from './registry.js';
import { Reader, Writer } from './writer.js';

export { Reader, Writer } from './writer.js';
export type { EntityValue } from './entity.js';

export interface Change {
  readonly rev: number;
  readonly entity: string;
  readonly key: string;
}

/** Everything the read model needs at start-up: every declared entity, at one revision. */
export class FullState {
  constructor(
    readonly revision: number,
    /** Per entity in registration order, each with its change-log key. */
    readonly values: readonly EntityValue[],
  ) {}

  /** The stored values of one entity. */
  of<V>(decl: DeclarationOf<V>): V[] {
    return this.values.filter((v) => v.entity === decl.name).map((v) => v.value as V);
  }
}

/**
 * The one persistent store. Every write runs in a transaction that also
 * appends its changes under a new revision number; writers are serialised
 * (an advisory lock on PostgreSQL, the single connection on SQLite) so that
 * revisions commit in order and any process can catch up by reading the
 * change log. Reads for request handling come from the read model, not here.
 */
export class Store {
  readonly dialect: DatabaseHandle['dialect'];
  private readonly db: Kysely<Database>;
  private readonly registry: EntityRegistry;

  /** `entities`: every declared entity (src/entities.ts); the store knows no other. */
  /** PostgreSQL: the channel on which every committed revision is announced (NOTIFY, payload the revision). */
  readonly revisionChannel: string | undefined;

  constructor(handle: DatabaseHandle, entities: readonly AnyEntityDeclaration[]) {
    this.db = handle.db;
    this.dialect = handle.dialect;
    this.registry = new EntityRegistry(entities);
    this.revisionChannel = handle.postgres === undefined ? undefined : channelName('rev', handle.postgres.schema);
  }

  /**
   * Untyped queries over the tables contexts declare outside the change log
   * (TableDeclaration): rows that change too often to be revisions, such as
   * the cluster's heartbeats.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  get sideTables(): Kysely<any> {
    return this.db;
  }

  get entities(): readonly AnyEntityDeclaration[] {
    return this.registry.all;
  }

  /** Runs `work` atomically; returns its value and the revision of its changes (0 if it changed nothing). */
  async write<T>(work: (writer: Writer) => Promise<T>): Promise<{ value: T; revision: number }> {
    return unavailableIfUnreachable(() => this.transact(work));
  }

  private async transact<T>(work: (writer: Writer) => Promise<T>): Promise<{ value: T; revision: number }> {
    const body = async (trx: Kysely<Database>) => {
      const writer = new Writer(trx, this.registry);
      const value = await work(writer);
      const changes = writer.changes();
      if (changes.length === 0) return { value, revision: 0 };
      const inserted = await trx
        .insertInto('revisions')
        .values({ at: new Date().toISOString() })
        .returning('rev')
        .executeTakeFirstOrThrow();
      const rev = Number(inserted.rev);
      // Chunked: one statement may bind at most ~32k parameters (SQLite) or 65k (PostgreSQL).
      for (let i = 0; i < changes.length; i += CHANGE_CHUNK) {
        const chunk = changes.slice(i, i + CHANGE_CHUNK).map((c) => ({ rev, entity: c.entity, key: c.key }));
        await trx.insertInto('changes').values(chunk).execute();
      }
      // Delivered to the listeners when (and only if) the transaction commits.
      if (this.revisionChannel !== undefined) await sql`select pg_notify(${this.revisionChannel}, ${String(rev)})`.execute(trx);
      return { value, revision: rev };
    };
    if (this.dialect === 'postgres') {
      return this.db.transaction().execute(async (trx) => {
        // One writer at a time across every process, so that revisions commit in order.
        await sql`select pg_advisory_xact_lock(hashtext(current_schema()))`.execute(trx);
        return body(trx);
      });
    }
    // SQLite: BEGIN IMMEDIATE takes the write lock up front, so a second process waits
    // (busy_timeout) instead of failing to upgrade a read lock half-way.
    return this.db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        const result = await body(conn);
        await sql`commit`.execute(conn);
        return result;
      } catch (error) {
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw error;
      }
    });
  }

  async revision(): Promise<number> {
    const row = await this.db.selectFrom('revisions').select((eb) => eb.fn.max('rev').as('rev')).executeTakeFirst();
    return Number(row?.rev ?? 0);
  }

  async changesSince(rev: number): Promise<Change[]> {
    const rows = await this.db.selectFrom('changes').selectAll().where('rev', '>', rev).orderBy('rev').execute();
    return rows.map((r) => ({ rev: Number(r.rev), entity: r.entity, key: r.key }));
  }

  /**
   * The changes after `rev` and the current value of every entity they name,
   * read in one snapshot: a batch never mixes one revision's state with the
   * next one's.
   */
  async changesWithValues(rev: number): Promise<{ changes: Change[]; values: EntityValue[] }> {
    const transaction = this.dialect === 'postgres' ? this.db.transaction().setIsolationLevel('repeatable read') : this.db.transaction();
    return transaction.execute(async (trx) => {
      const rows = await trx.selectFrom('changes').selectAll().where('rev', '>', rev).orderBy('rev').execute();
      const changes = rows.map((r) => ({ rev: Number(r.rev), entity: r.entity, key: r.key }));
      const reader = new Reader(trx);
      const seen = new Set<string>();
      const values: EntityValue[] = [];
      for (const change of changes) {
        const id = `${change.entity}\0${change.key}`;
        if (seen.has(id)) continue;
        seen.add(id);
        // An entity this process does not declare (a newer version's) cannot affect what it serves.
        const decl = this.registry.named(change.entity);
        if (decl !== undefined) values.push({ entity: change.entity, key: change.key, value: await reader.get(decl, change.key) });
      }
      return { changes, values };
    });
  }

  /** Loads everything, at one consistent revision. */
  async loadAll(): Promise<FullState> {
    const transaction = this.dialect === 'postgres' ? this.db.transaction().setIsolationLevel('repeatable read') : this.db.transaction();
    return transaction.execute(async (trx) => {
      const revRow = await trx.selectFrom('revisions').select((eb) => eb.fn.max('rev').as('rev')).executeTakeFirst();
      const reader = new Reader(trx);
      const values: EntityValue[] = [];
      for (const decl of this.registry.all) for (const value of await reader.entries(decl)) values.push(value);
      return new FullState(Number(revRow?.rev ?? 0), values);
    });
  }

  /** Reads one entity's current value (for applying a change). */
  async load<V>(decl: DeclarationOf<V>, key: string): Promise<EntityValue<V>> {
    return { entity: decl.name, key, value: await new Reader(this.db).get(decl, key) };
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

/**
 * A NOTIFY channel of this schema: short and fixed (a channel name is an identifier, at most 63 bytes), so that
 * stores in different schemas of one database never hear each other.
 */
export function channelName(purpose: string, schema: string): string {
  return `keyless_${purpose}_${createHash('sha256').update(schema).digest('hex').slice(0, 16)}`;
}

/** PostgreSQL's connection-level failures (class 08, and the shutdown codes of class 57) and the socket's own. */
const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN',
  '08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03',
]);

/** Whether an error says the database could not be reached (as opposed to a statement it refused). */
export function isUnreachable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (e === null || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && UNREACHABLE_CODES.has(e.code)) return true;
  return typeof e.message === 'string' && /Connection terminated|connection timeout|Client has encountered a connection error|Connection refused/i.test(e.message);
}

/** Runs `work`; a database that cannot be reached becomes UnavailableError (a 503 in every surface), not a 500. */
async function unavailableIfUnreachable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUnreachable(error)) throw new UnavailableError('DatabaseUnavailable', 'The database cannot be reached right now. Please retry the request.', 1);
    throw error;
  }
}

/** Rows per INSERT into the change log (3 parameters each). */
const CHANGE_CHUNK = 1000;
