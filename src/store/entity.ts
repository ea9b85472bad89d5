import type { RawBuilder } from 'kysely';
import { EntityTable } from './entity-table.js';

/**
 * What the store knows of an entity: everything a context declares next to
 * its model (see docs/architecture.md, "Entity declarations"). The store, the change log and
 * the read model work over these declarations and import no context.
 */
export interface EntityDeclaration<V, M extends EntityMemory<V> = EntityMemory<V>, L extends string = string> {
  /** The name in the change log (`changes.entity`); never renamed, other instances read it. */
  readonly name: string;
  readonly table: string;
  /**
   * The key column(s). The change-log key is their values joined by '|'
   * (only the first column's values may contain '|').
   */
  readonly key: readonly string[];
  /** Columns that point queries (`Reader.find`, `Reader.findPrefixed`) may filter on. */
  readonly lookups: readonly L[];
  readonly codec: RowCodec<V, StoredRow>;
  /** The entity's own schema migrations, by migration name (ordered with the store's own by name); see migrations.ts. */
  readonly migrations: Readonly<Record<string, EntityMigration>>;
  /** The entity's in-memory form in the read model: a keyed table with unique indexes, or the context's own index. */
  memory(): M;
}

/** A declaration of values V, whatever its memory and lookups (what generic operations take). */
export type DeclarationOf<V, L extends string = string> = EntityDeclaration<V, EntityMemory<V>, L>;

/** Any declaration, whatever its value and memory types (for registries). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyEntityDeclaration = EntityDeclaration<any, EntityMemory<any>, string>;

/** One entity as it now is in the database under its change-log key, or undefined when deleted. */
export interface EntityValue<V = unknown> {
  readonly entity: string;
  readonly key: string;
  readonly value: V | undefined;
}

/** A row as the database gives it and takes it. */
export type StoredRow = Record<string, unknown>;

/** Mapping between a table row and the context's model. */
export interface RowCodec<V, R> {
  from(row: R): V;
  to(value: V): R;
}

/** What the read model keeps of one entity. Entries are replaced, never mutated. */
export interface EntityMemory<V> {
  /** Adds or replaces the entity under its change-log key. */
  upsert(value: V, key: string): void;
  remove(key: string): void;
}

/** DDL statements that create or change an entity's table, given the dialect. */
export type EntityMigration = (dialect: 'sqlite' | 'postgres') => readonly RawBuilder<unknown>[];

interface Declared<V, R, L extends string> {
  readonly name: string;
  readonly table: string;
  readonly key: readonly (keyof R & string)[];
  readonly lookups?: readonly (L & keyof R)[];
  readonly codec: RowCodec<V, R>;
  /**
   * Migrations of an entity added after the store's own (0001–0003 in
   * migrations.ts), named with the next free number ('0004_upstreams').
   */
  readonly migrations?: Readonly<Record<string, EntityMigration>>;
}

/** Declares an entity kept in the read model as an `EntityTable`, with unique secondary indexes (value → entity). */
export function defineEntity<V, R extends object, I extends string = never, L extends string = never>(
  spec: Declared<V, R, L> & { readonly indexes?: { readonly [name in I]: (value: V) => string } },
): EntityDeclaration<V, EntityTable<V, I>, L> {
  const indexes = spec.indexes ?? ({} as { readonly [name in I]: (value: V) => string });
  return declaration(spec, () => new EntityTable<V, I>(indexes));
}

/** Declares an entity kept in the read model by the context's own index (e.g. role assignments by principal). */
export function defineIndexedEntity<V, R extends object, M extends EntityMemory<V>, L extends string = never>(
  spec: Declared<V, R, L> & { readonly memory: () => M },
): EntityDeclaration<V, M, L> {
  return declaration(spec, spec.memory);
}

function declaration<V, R, L extends string, M extends EntityMemory<V>>(spec: Declared<V, R, L>, memory: () => M): EntityDeclaration<V, M, L> {
  if (spec.key.length === 0) throw new Error(`entity ${spec.name}: a declaration needs at least one key column`);
  return {
    name: spec.name,
    table: spec.table,
    key: spec.key,
    lookups: spec.lookups ?? [],
    codec: spec.codec as unknown as RowCodec<V, StoredRow>,
    migrations: spec.migrations ?? {},
    memory,
  };
}

/** The change-log key of a row: its key columns' values, joined by '|'. */
export function keyOfRow(decl: AnyEntityDeclaration, row: StoredRow): string {
  const [first, ...rest] = decl.key;
  let key = String(row[first as string]);
  for (const column of rest) key += `|${String(row[column])}`;
  return key;
}

/** The key columns' values of a change-log key (split from the right, so the first value may hold '|'). */
export function keyValues(decl: AnyEntityDeclaration, key: string): string[] {
  const values: string[] = [];
  let rest = key;
  for (let i = decl.key.length - 1; i > 0; i--) {
    const at = rest.lastIndexOf('|');
    values.unshift(rest.slice(at + 1));
    rest = at < 0 ? '' : rest.slice(0, at);
  }
  values.unshift(rest);
  return values;
}

/** The change-log key of a value, as `Writer.delete` takes it. */
export function keyOf<V>(decl: DeclarationOf<V>, value: V): string {
  return keyOfRow(decl, decl.codec.to(value));
}
