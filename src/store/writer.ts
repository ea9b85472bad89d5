import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import { keyOfRow, keyValues, type AnyEntityDeclaration, type DeclarationOf as Declaration, type EntityValue, type StoredRow } from './entity.js';
import type { EntityRegistry } from './registry.js';

// The entities' tables are declared by the contexts, not typed in `Database`: queries on them go through this view.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Untyped = Kysely<any>;

/** Point reads over declared entities, usable inside or outside a transaction. */
export class Reader {
  protected readonly tables: Untyped;

  constructor(db: Kysely<Database>) {
    this.tables = db as unknown as Untyped;
  }

  /** One entity by its change-log key. */
  async get<V>(decl: Declaration<V>, key: string): Promise<V | undefined> {
    const values = keyValues(decl, key);
    let query = this.tables.selectFrom(decl.table).selectAll();
    decl.key.forEach((column, i) => (query = query.where(column, '=', values[i])));
    const row = (await query.executeTakeFirst()) as StoredRow | undefined;
    return row === undefined ? undefined : decl.codec.from(row);
  }

  /** The entities whose `column` (one of the declaration's lookups) equals `value`. */
  async find<V, L extends string>(decl: Declaration<V, L>, column: L, value: string): Promise<V[]> {
    const rows = (await this.tables.selectFrom(decl.table).selectAll().where(sql.ref(column), '=', value).execute()) as StoredRow[];
    return rows.map((row) => decl.codec.from(row));
  }

  /** The entities whose `column` starts with `prefix`; compared with substr, not LIKE, whose wildcards names may contain. */
  async findPrefixed<V, L extends string>(decl: Declaration<V, L>, column: L, prefix: string): Promise<V[]> {
    const rows = (await this.tables
      .selectFrom(decl.table)
      .selectAll()
      .where(sql<boolean>`substr(${sql.ref(column)}, 1, ${prefix.length}) = ${prefix}`)
      .execute()) as StoredRow[];
    return rows.map((row) => decl.codec.from(row));
  }

  /** Every entity of a kind. */
  async all<V>(decl: Declaration<V>): Promise<V[]> {
    const rows = (await this.tables.selectFrom(decl.table).selectAll().execute()) as StoredRow[];
    return rows.map((row) => decl.codec.from(row));
  }

  /** Every entity of a kind with its change-log key (for loading the read model). */
  async entries<V>(decl: Declaration<V>): Promise<EntityValue<V>[]> {
    const rows = (await this.tables.selectFrom(decl.table).selectAll().execute()) as StoredRow[];
    return rows.map((row) => ({ entity: decl.name, key: keyOfRow(decl, row), value: decl.codec.from(row) }));
  }
}

/** The only way to change state: every mutation records its change. */
export class Writer extends Reader {
  private readonly pending: { entity: string; key: string }[] = [];

  constructor(
    db: Kysely<Database>,
    private readonly registry: EntityRegistry,
  ) {
    super(db);
  }

  changes(): readonly { entity: string; key: string }[] {
    return this.pending;
  }

  /** Inserts or replaces an entity (by its key columns). */
  async put<V>(decl: Declaration<V>, value: V): Promise<void> {
    this.registry.check(decl as AnyEntityDeclaration);
    const row = decl.codec.to(value);
    await this.tables
      .insertInto(decl.table)
      .values(row)
      .onConflict((oc) => oc.columns(decl.key).doUpdateSet(row))
      .execute();
    this.pending.push({ entity: decl.name, key: keyOfRow(decl, row) });
  }

  /** Deletes an entity by its change-log key (recorded even when there was none, as a no-op for readers). */
  async delete<V>(decl: Declaration<V>, key: string): Promise<void> {
    this.registry.check(decl as AnyEntityDeclaration);
    const values = keyValues(decl, key);
    let query = this.tables.deleteFrom(decl.table);
    decl.key.forEach((column, i) => (query = query.where(column, '=', values[i])));
    await query.execute();
    this.pending.push({ entity: decl.name, key });
  }
}
