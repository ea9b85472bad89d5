/** Reading `--role` (GUID, full id, or role name) and naming roles in tables. */
import type { Json } from './arm.js';
import { lastSegment, pick } from './arm.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isGuid = (value: string): boolean => GUID.test(value);

export type RoleReference = { readonly kind: 'id'; readonly id: string } | { readonly kind: 'name'; readonly name: string };

export const roleDefinitionsPath = (subscriptionId: string): string =>
  `/subscriptions/${encodeURIComponent(subscriptionId)}/providers/Microsoft.Authorization/roleDefinitions`;

/** A GUID becomes the subscription-level definition id; a path is used as is; anything else is a role name. */
export function parseRoleReference(ref: string, subscriptionId: string): RoleReference {
  const value = ref.trim();
  if (isGuid(value)) return { kind: 'id', id: `${roleDefinitionsPath(subscriptionId)}/${value.toLowerCase()}` };
  if (value.startsWith('/')) return { kind: 'id', id: value };
  return { kind: 'name', name: value };
}

/** An OData `$filter` on roleName (quotes doubled, as OData escapes them). */
export function roleNameFilter(name: string): string {
  return `$filter=${encodeURIComponent(`roleName eq '${name.replace(/'/g, "''")}'`)}`;
}

/** The definition whose roleName matches: exactly if one does, else ignoring case. */
export function findRoleByName(definitions: readonly Json[], name: string): Json | undefined {
  const roleName = (d: Json): unknown => pick(d, 'properties', 'roleName');
  return (
    definitions.find((d) => roleName(d) === name) ??
    definitions.find((d) => typeof roleName(d) === 'string' && (roleName(d) as string).toLowerCase() === name.toLowerCase())
  );
}

/** Role GUID (lowercase) → roleName, for showing names in place of definition ids. */
export function roleNamesById(definitions: readonly Json[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const d of definitions) {
    const guid = typeof d['name'] === 'string' ? d['name'] : typeof d['id'] === 'string' ? lastSegment(d['id']) : undefined;
    const roleName = pick(d, 'properties', 'roleName');
    if (guid !== undefined && typeof roleName === 'string') names.set(guid.toLowerCase(), roleName);
  }
  return names;
}

/** The role name for a roleDefinitionId, or the id's GUID when unknown. */
export function roleNameFor(roleDefinitionId: unknown, names: ReadonlyMap<string, string>): string {
  if (typeof roleDefinitionId !== 'string') return '';
  const guid = lastSegment(roleDefinitionId);
  return names.get(guid.toLowerCase()) ?? guid;
}
