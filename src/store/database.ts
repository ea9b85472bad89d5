import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type RawBuilder } from 'kysely';
import type { Database } from './schema.js';
import { migrationProvider } from './migrations.js';
import { SchemaScopedPostgresDialect } from './scoped-introspector.js';
import type { AnyEntityDeclaration } from './entity.js';
import { StartupError } from '../shared/errors.js';

export type Dialect = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Where the data lives, without credentials (for messages). */
  readonly description: string;
  /** The SQLite connection itself, for the few writes that want a cached prepared statement (the audit). */
  readonly sqlite?: BetterSqlite3.Database;
  /** PostgreSQL: how to open a connection of one's own (the change feed's LISTEN), and the schema in use. */
  readonly postgres?: { readonly config: pg.ClientConfig; readonly schema: string };
}

/** A table a context declares outside the change log (e.g. the cluster's membership rows): only its migrations. */
export interface TableDeclaration {
  readonly name: string;
  /** Migrations by name, ordered with every other migration by name. */
  readonly migrations: Readonly<Record<string, (dialect: Dialect) => readonly RawBuilder<unknown>[]>>;
}

// int8 (bigserial revisions) as numbers: revisions stay far below 2^53.
pg.types.setTypeParser(20, (value: string) => Number(value));

export interface OpenOptions {
  /** `postgres://…` or a SQLite file path. */
  readonly url: string;
  /** PostgreSQL schema to use (created if missing); lets tests run side by side. */
  readonly schema?: string;
  /** The entities to be stored: their declared migrations run after the store's own. */
  readonly entities: readonly AnyEntityDeclaration[];
  /** Tables outside the change log that contexts declare (their migrations run in name order with the rest). */
  readonly tables?: readonly TableDeclaration[];
}

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  const { handle, migrationDb } = isPostgresUrl(options.url) ? await openPostgres(options.url, options.schema) : { handle: openSqlite(options.url), migrationDb: undefined };
  // On PostgreSQL the migration tables live in our own schema: Kysely's existence check would
  // otherwise find another schema's tables and skip creating ours.
  const migrationTableSchema = handle.postgres?.schema;
  const migrator = new Migrator({
    db: migrationDb ?? handle.db,
    provider: migrationProvider(handle.dialect, options.entities, options.tables ?? []),
    ...(migrationTableSchema === undefined ? {} : { migrationTableSchema }),
  });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    await handle.db.destroy();
    throw new StartupError('DatabaseMigrationFailed', `Could not migrate the database at ${handle.description}: ${String((error as Error).message ?? error)}`);
  }
  return handle;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

function openSqlite(path: string): DatabaseHandle {
  let database: BetterSqlite3.Database;
  try {
    // Created 0600 first: SQLite gives its -wal and -shm files the database file's mode.
    if (!fs.existsSync(path)) fs.closeSync(fs.openSync(path, 'a', 0o600));
    database = new BetterSqlite3(path);
  } catch (error) {
    throw new StartupError('DatabaseUnreachable', `Could not open the SQLite database ${path}: ${(error as Error).message}`);
  }
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database }) }), dialect: 'sqlite', description: path, sqlite: database };
}

/** PostgreSQL, and a view of the same pool for the migrator that only introspects our schema (scoped-introspector.ts). */
async function openPostgres(url: string, schema: string | undefined): Promise<{ handle: DatabaseHandle; migrationDb: Kysely<Database> }> {
  const description = redactUrl(url);
  // TCP keep-alive and a client-side query timeout: a connection to a database that vanished without closing it
  // (a network partition) fails instead of hanging its caller for ever.
  const config: pg.PoolConfig = { connectionString: url, max: 10, connectionTimeoutMillis: 5000, keepAlive: true, query_timeout: 60_000 };
  if (schema !== undefined) config.options = `-c search_path=${quoteIdentifier(schema)}`;
  const pool = new pg.Pool(config);
  // An idle client's network error must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  // Nor a checked-out one's: pg-pool listens for errors on idle clients only, and a client emits 'error' when the
  // server ends its connection while no statement runs on it (between a transaction's statements, say, when
  // PostgreSQL restarts or terminates the backend). Without a listener that ended the process. The client is then
  // unusable: its next statement fails (UnavailableError, a 503) and the pool discards it when it is released.
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    const client = await pool.connect();
    try {
      if (schema !== undefined) await client.query(`create schema if not exists ${quoteIdentifier(schema)}`);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new StartupError('DatabaseUnreachable', `Could not connect to the database at ${description}: ${(error as Error).message}`);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  await sql`select 1`.execute(db);
  const listenConfig: pg.ClientConfig = { connectionString: url, connectionTimeoutMillis: 5000, keepAlive: true };
  if (schema !== undefined) listenConfig.options = config.options;
  const inUse = schema ?? (await currentSchema(db));
  // Not destroyed on its own: it shares the pool that `db` ends.
  const migrationDb = new Kysely<Database>({ dialect: new SchemaScopedPostgresDialect({ pool }, inUse) });
  return { handle: { db, dialect: 'postgres', description, postgres: { config: listenConfig, schema: inUse } }, migrationDb };
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured database URL';
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function currentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? 'public';
}
