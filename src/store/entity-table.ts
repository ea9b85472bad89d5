import type { EntityMemory } from './entity.js';
import { StoreError } from './errors.js';

/**
 * One entity's values in the read model, by change-log key, with unique
 * secondary indexes (a principal by client id, a secret by keyed digest):
 * each index is a Map, so a hot-path lookup is one `get` and allocates
 * nothing. Read it as a `ReadonlyMap`; only the read model writes to it.
 */
export class EntityTable<V, I extends string = never> implements EntityMemory<V>, ReadonlyMap<string, V> {
  readonly #rows = new Map<string, V>();
  readonly #indexes: readonly { readonly valueOf: (value: V) => string; readonly map: Map<string, V> }[];
  readonly #byName = new Map<string, Map<string, V>>();

  constructor(indexes: { readonly [name in I]: (value: V) => string }) {
    const list: { valueOf: (value: V) => string; map: Map<string, V> }[] = [];
    for (const [name, valueOf] of Object.entries(indexes) as [string, (value: V) => string][]) {
      const map = new Map<string, V>();
      list.push({ valueOf, map });
      this.#byName.set(name, map);
    }
    this.#indexes = list;
  }

  get size(): number {
    return this.#rows.size;
  }

  get(key: string): V | undefined {
    return this.#rows.get(key);
  }

  has(key: string): boolean {
    return this.#rows.has(key);
  }

  /** The entity whose indexed value is `value` (e.g. `by('appId', clientId)`). */
  by(index: I, value: string): V | undefined {
    return this.#byName.get(index)?.get(value);
  }

  /** One index as a map, for a caller that keeps it (the map is live and never replaced). */
  index(index: I): ReadonlyMap<string, V> {
    const map = this.#byName.get(index);
    if (map === undefined) throw new StoreError('UnknownIndex', `No index '${index}' is declared.`);
    return map;
  }

  values(): MapIterator<V> {
    return this.#rows.values();
  }

  keys(): MapIterator<string> {
    return this.#rows.keys();
  }

  entries(): MapIterator<[string, V]> {
    return this.#rows.entries();
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.#rows.entries();
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    this.#rows.forEach((value, key) => callback.call(thisArg, value, key, this));
  }

  /**
   * An old index entry goes only if it still points at this entity: within
   * one catch-up, another entity may have taken the value since.
   */
  upsert(value: V, key: string): void {
    this.#unindex(key);
    this.#rows.set(key, value);
    for (const index of this.#indexes) index.map.set(index.valueOf(value), value);
  }

  remove(key: string): void {
    this.#unindex(key);
    this.#rows.delete(key);
  }

  #unindex(key: string): void {
    const old = this.#rows.get(key);
    if (old === undefined) return;
    for (const index of this.#indexes) {
      const value = index.valueOf(old);
      if (index.map.get(value) === old) index.map.delete(value);
    }
  }
}
