import type { FullState, Store } from './store.js';
import type { DeclarationOf, EntityDeclaration, EntityMemory, EntityValue } from './entity.js';
import { StoreError } from './errors.js';

type Listener = (change: EntityValue) => void;

/**
 * The in-memory indexes that serve every read: one memory per declared
 * entity (an `EntityTable`, or the context's own index). They are rebuilt
 * from the change log: after a local write, `catchUp()` applies it before the
 * write is acknowledged; other processes sharing the database apply it when
 * they hear of it (PostgreSQL NOTIFY, see ChangeFeed) or on their next poll. Entries are replaced, never mutated, so readers need no
 * locks.
 */
export class ReadModel {
  revision = 0;
  private readonly memories = new Map<string, EntityMemory<unknown>>();
  private readonly listeners = new Map<string, Listener[]>();
  private catching: Promise<void> = Promise.resolve();
  private propagation: ((revision: number) => Promise<void>) | undefined;

  constructor(private readonly store: Store) {
    for (const decl of store.entities) this.memories.set(decl.name, decl.memory());
  }

  /**
   * An entity's memory: for `defineEntity`, a table with get/has/values/size
   * and `by(index, value)`. The object lives as long as the read model, so a
   * hot path may keep it.
   */
  table<V, M extends EntityMemory<V>>(decl: EntityDeclaration<V, M, string>): M {
    const memory = this.memories.get(decl.name);
    if (memory === undefined) throw new StoreError('UnregisteredEntity', `The entity '${decl.name}' is not registered with this store.`);
    return memory as M;
  }

  async load(): Promise<void> {
    const state = await this.store.loadAll();
    this.replaceAll(state);
  }

  /** Applies every change committed since the last one applied. Calls are serialised. */
  catchUp(): Promise<void> {
    const next = this.catching.then(() => this.applyPending());
    this.catching = next.catch(() => undefined);
    return next;
  }

  /**
   * Waits until at least `revision` is applied here, and then, once the
   * cluster's acknowledgement is installed (`propagateWith`), until every
   * other live instance has applied it too: what a write awaits before it
   * returns.
   */
  async reach(revision: number): Promise<void> {
    if (this.revision < revision) await this.catchUp();
    if (this.propagation !== undefined && revision > 0) await this.propagation(revision);
  }

  /** How a write learns that the other instances have applied its revision (see src/cluster/). */
  propagateWith(propagation: ((revision: number) => Promise<void>) | undefined): void {
    this.propagation = propagation;
  }

  /** Called with each change of `decl` once it is applied (a deletion has `value` undefined). */
  on<V>(decl: DeclarationOf<V>, listener: (change: EntityValue<V>) => void): void {
    const list = this.listeners.get(decl.name) ?? [];
    list.push(listener as Listener);
    this.listeners.set(decl.name, list);
  }

  private async applyPending(): Promise<void> {
    // Every changed entity is loaded first, in the changes' own snapshot; then all are applied and notified in one
    // synchronous step: a listener (the keyring, say) never sees half a batch, e.g. the old signing key retired but
    // the next not yet promoted, and no batch mixes two revisions.
    const { changes, values } = await this.store.changesWithValues(this.revision);
    if (changes.length === 0) return;
    for (const value of values) this.apply(value, false);
    for (const value of values) this.notify(value);
    this.revision = changes.reduce((max, c) => Math.max(max, c.rev), this.revision);
  }

  private replaceAll(state: FullState): void {
    this.revision = state.revision;
    for (const value of state.values) this.apply(value);
  }

  private apply(change: EntityValue, notify = true): void {
    const memory = this.memories.get(change.entity);
    if (memory === undefined) return;
    if (change.value === undefined) memory.remove(change.key);
    else memory.upsert(change.value, change.key);
    if (notify) this.notify(change);
  }

  private notify(change: EntityValue): void {
    for (const listener of this.listeners.get(change.entity) ?? []) listener(change);
  }
}
