/**
 * The `identity` blocks the CLI sends: from `--assign-identity` on create,
 * and the union / difference with what a resource has for
 * `identity assign` / `identity remove` (sent as a PATCH, where a null
 * entry removes that user-assigned identity).
 */
import { TYPES, resourcePath } from './arm.js';

export type IdentityType = 'None' | 'SystemAssigned' | 'UserAssigned' | 'SystemAssigned, UserAssigned';

/** Which identities: the system-assigned one and/or user-assigned identity resource ids. */
export interface IdentitySelection {
  readonly system: boolean;
  readonly userIds: readonly string[];
}

export interface IdentityBlock {
  type: IdentityType;
  userAssignedIdentities?: Record<string, Record<string, never> | null>;
}

/** `system` or az's literal `[system]`. */
export const isSystemToken = (value: string): boolean => /^\[?system\]?$/i.test(value.trim());

/** A full resource id as given, or a plain name resolved in the command's group. */
export function userIdentityId(ref: string, subscriptionId: string, group: string): string {
  return ref.startsWith('/') ? ref : resourcePath(subscriptionId, group, TYPES.identity, ref);
}

/**
 * Reads `--assign-identity` / `--identities` values. Absent (undefined or
 * false) → undefined; the bare flag or an empty list → system-assigned.
 */
export function parseIdentitySelection(
  values: readonly string[] | boolean | undefined,
  resolve: (ref: string) => string,
): IdentitySelection | undefined {
  if (values === undefined || values === false) return undefined;
  if (values === true || values.length === 0) return { system: true, userIds: [] };
  let system = false;
  const userIds: string[] = [];
  for (const value of values) {
    if (isSystemToken(value)) system = true;
    else if (value.trim().length > 0) addUnique(userIds, resolve(value.trim()));
  }
  return { system, userIds };
}

export function identityTypeFor(system: boolean, userCount: number): IdentityType {
  if (system && userCount > 0) return 'SystemAssigned, UserAssigned';
  if (system) return 'SystemAssigned';
  if (userCount > 0) return 'UserAssigned';
  return 'None';
}

/** The block for a create (PUT). */
export function createIdentityBlock(selection: IdentitySelection): IdentityBlock {
  const block: IdentityBlock = { type: identityTypeFor(selection.system, selection.userIds.length) };
  if (selection.userIds.length > 0) block.userAssignedIdentities = entries(selection.userIds, []);
  return block;
}

/** What a resource's `identity` block (as the server renders it) says it has. */
export function currentSelection(identity: unknown): IdentitySelection {
  const block = typeof identity === 'object' && identity !== null ? (identity as Record<string, unknown>) : {};
  const type = typeof block['type'] === 'string' ? block['type'].toLowerCase() : 'none';
  const users = block['userAssignedIdentities'];
  const userIds: string[] = [];
  if (typeof users === 'object' && users !== null) for (const id of Object.keys(users)) addUnique(userIds, id);
  return { system: type.includes('systemassigned'), userIds };
}

/**
 * `identity assign`: the type is the union of what the resource has and what
 * was asked for. Only the user-assigned ids asked for that are new, or
 * listed without a principal, are sent: PATCH keeps the others, and
 * re-sending one whose identity was deleted would fail.
 */
export function assignIdentityBlock(current: unknown, add: IdentitySelection): IdentityBlock {
  const have = currentSelection(current);
  // Asked for and not attached, or listed without ids (deleted, perhaps created again since): send it to bind it anew.
  const unbound = unboundIds(current);
  const added = add.userIds.filter((id) => indexOf(have.userIds, id) === -1 || indexOf(unbound, id) !== -1);
  const block: IdentityBlock = { type: identityTypeFor(have.system || add.system, have.userIds.length + added.length) };
  if (added.length > 0) block.userAssignedIdentities = entries(added, []);
  return block;
}

/** User-assigned ids the resource lists without a principal: their identity was deleted (or replaced) since. */
function unboundIds(identity: unknown): string[] {
  const block = typeof identity === 'object' && identity !== null ? (identity as Record<string, unknown>) : {};
  const users = block['userAssignedIdentities'];
  if (typeof users !== 'object' || users === null) return [];
  return Object.entries(users as Record<string, unknown>)
    .filter(([, value]) => typeof value !== 'object' || value === null || typeof (value as Record<string, unknown>)['principalId'] !== 'string')
    .map(([id]) => id);
}

/**
 * `identity remove`: drops what was asked for (null entries, in the casing
 * the resource has); ids it does not have are ignored; may end at None.
 */
export function removeIdentityBlock(current: unknown, remove: IdentitySelection): IdentityBlock {
  const have = currentSelection(current);
  const removed = have.userIds.filter((id) => indexOf(remove.userIds, id) !== -1);
  const kept = have.userIds.length - removed.length;
  const block: IdentityBlock = { type: identityTypeFor(have.system && !remove.system, kept) };
  if (removed.length > 0) block.userAssignedIdentities = entries([], removed);
  return block;
}

function entries(keep: readonly string[], remove: readonly string[]): Record<string, Record<string, never> | null> {
  const out: Record<string, Record<string, never> | null> = {};
  for (const id of keep) out[id] = {};
  for (const id of remove) out[id] = null;
  return out;
}

/** ARM ids compare case-insensitively. */
function indexOf(list: readonly string[], id: string): number {
  const key = id.toLowerCase();
  return list.findIndex((x) => x.toLowerCase() === key);
}

function addUnique(list: string[], id: string): void {
  if (indexOf(list, id) === -1) list.push(id);
}
