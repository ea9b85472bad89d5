import type { RoleAssignment } from './model.js';
import { isWithinScope, normalizeScope } from './scope.js';

/*
 * In-memory index of role assignments for the hot path. Assignments are grouped
 * by principal id, so an authorization check touches only the caller's own
 * assignments: its cost does not grow with the total number of assignments.
 */

/** An assignment with the keys the hot path compares against, computed once at upsert. */
export interface IndexedAssignment {
  readonly assignment: RoleAssignment;
  /** Normalized (lowercased) assignment scope. */
  readonly scopeKey: string;
}

/** How a `scope` filter relates an assignment's scope to the given one. */
export type ScopeMatch =
  /** exactly the given scope */
  | 'exact'
  /** the given scope or an ancestor of it: the assignments that apply there (ARM's `atScope()`) */
  | 'atOrAbove'
  /** the given scope or anything beneath it */
  | 'atOrBelow';

export interface AssignmentFilter {
  readonly principalId?: string;
  /** Matched on the role definition GUID, whatever scope the full id names. */
  readonly roleDefinitionId?: string;
  readonly scope?: string;
  /** Defaults to 'exact'. */
  readonly scopeMatch?: ScopeMatch;
}

const EMPTY: readonly IndexedAssignment[] = [];

/** Principal ids and assignment ids are GUIDs or ARM ids: both compare case-insensitively. */
function key(id: string): string {
  return id.trim().toLowerCase();
}

/** The GUID at the end of a role definition id (or the value itself when it is a bare GUID). */
function roleGuid(roleDefinitionId: string): string {
  const k = key(roleDefinitionId).replace(/\/+$/, '');
  return k.slice(k.lastIndexOf('/') + 1);
}

export class AssignmentIndex {
  readonly #byId = new Map<string, IndexedAssignment>();
  readonly #byPrincipal = new Map<string, IndexedAssignment[]>();

  get size(): number {
    return this.#byId.size;
  }

  /** Adds an assignment, or replaces the one with the same id (its principal may differ). */
  upsert(a: RoleAssignment): void {
    const id = key(a.id);
    if (this.#byId.has(id)) this.remove(a.id);
    const entry: IndexedAssignment = { assignment: a, scopeKey: normalizeScope(a.scope) };
    this.#byId.set(id, entry);
    const principal = key(a.principalId);
    const list = this.#byPrincipal.get(principal);
    if (list === undefined) this.#byPrincipal.set(principal, [entry]);
    else list.push(entry);
  }

  /** Removes an assignment by its full id; returns whether it existed. */
  remove(id: string): boolean {
    const k = key(id);
    const entry = this.#byId.get(k);
    if (entry === undefined) return false;
    this.#byId.delete(k);
    const principal = key(entry.assignment.principalId);
    const list = this.#byPrincipal.get(principal);
    if (list !== undefined) {
      const at = list.indexOf(entry);
      if (at >= 0) list.splice(at, 1);
      if (list.length === 0) this.#byPrincipal.delete(principal);
    }
    return true;
  }

  clear(): void {
    this.#byId.clear();
    this.#byPrincipal.clear();
  }

  get(id: string): RoleAssignment | undefined {
    return this.#byId.get(key(id))?.assignment;
  }

  /** The principal's assignments with precomputed keys; the array must not be mutated. */
  entriesFor(principalId: string): readonly IndexedAssignment[] {
    return this.#byPrincipal.get(key(principalId)) ?? EMPTY;
  }

  byPrincipal(principalId: string): readonly RoleAssignment[] {
    return this.entriesFor(principalId).map((e) => e.assignment);
  }

  /** Lists assignments matching every given criterion (all of them when no filter). Not for the hot path. */
  list(filter: AssignmentFilter = {}): readonly RoleAssignment[] {
    const source = filter.principalId !== undefined ? this.entriesFor(filter.principalId) : [...this.#byId.values()];
    const role = filter.roleDefinitionId !== undefined ? roleGuid(filter.roleDefinitionId) : undefined;
    const scope = filter.scope;
    const match = filter.scopeMatch ?? 'exact';
    const scopeKey = scope !== undefined ? normalizeScope(scope) : undefined;
    const out: RoleAssignment[] = [];
    for (const e of source) {
      if (role !== undefined && roleGuid(e.assignment.roleDefinitionId) !== role) continue;
      if (scope !== undefined && scopeKey !== undefined) {
        const ok =
          match === 'exact'
            ? e.scopeKey === scopeKey
            : match === 'atOrAbove'
              ? isWithinScope(scope, e.scopeKey)
              : isWithinScope(e.scopeKey, scopeKey);
        if (!ok) continue;
      }
      out.push(e.assignment);
    }
    return out;
  }
}
