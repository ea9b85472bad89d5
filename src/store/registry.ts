import type { AnyEntityDeclaration } from './entity.js';
import { StoreError } from './errors.js';

/** The entities one process knows, by change-log name; given once, by the composition root. */
export class EntityRegistry {
  readonly #byName = new Map<string, AnyEntityDeclaration>();

  constructor(readonly all: readonly AnyEntityDeclaration[]) {
    for (const decl of all) {
      if (this.#byName.has(decl.name)) throw new StoreError('DuplicateEntity', `The entity '${decl.name}' is declared twice.`);
      this.#byName.set(decl.name, decl);
    }
  }

  /** The declaration of a change-log name; undefined for an entity this process does not declare. */
  named(name: string): AnyEntityDeclaration | undefined {
    return this.#byName.get(name);
  }

  /** Throws unless `decl` is the one registered under its name (a write to an undeclared entity is a bug). */
  check(decl: AnyEntityDeclaration): void {
    if (this.#byName.get(decl.name) !== decl) {
      throw new StoreError('UnregisteredEntity', `The entity '${decl.name}' is not registered with this store.`);
    }
  }
}
