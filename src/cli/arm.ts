/** ARM paths, api-versions and small readers for the JSON the server returns. */

export const API_VERSIONS = {
  groups: '2021-04-01',
  identities: '2023-01-31',
  cognitive: '2024-10-01',
  web: '2023-12-01',
  compute: '2024-07-01',
  authorization: '2022-04-01',
} as const;

export const TYPES = {
  identity: 'Microsoft.ManagedIdentity/userAssignedIdentities',
  account: 'Microsoft.CognitiveServices/accounts',
  site: 'Microsoft.Web/sites',
  vm: 'Microsoft.Compute/virtualMachines',
} as const;

const seg = (value: string): string => encodeURIComponent(value);

export const subscriptionPath = (s: string): string => `/subscriptions/${seg(s)}`;

export const groupsPath = (s: string): string => `${subscriptionPath(s)}/resourcegroups`;

export const groupPath = (s: string, rg: string): string => `${groupsPath(s)}/${seg(rg)}`;

/** The ARM id (and path) of a top-level resource: /subscriptions/s/resourceGroups/rg/providers/Type/name. */
export const resourcePath = (s: string, rg: string, type: string, name: string): string =>
  `${subscriptionPath(s)}/resourceGroups/${seg(rg)}/providers/${type}/${seg(name)}`;

/** A type's collection in one group, or subscription-wide when no group is given. */
export const collectionPath = (s: string, type: string, rg?: string): string =>
  rg === undefined ? `${subscriptionPath(s)}/providers/${type}` : `${subscriptionPath(s)}/resourceGroups/${seg(rg)}/providers/${type}`;

export type Json = Record<string, unknown>;

export function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

/** Walks nested object keys; undefined when any step is missing. */
export function pick(value: unknown, ...keys: string[]): unknown {
  let current: unknown = value;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Json)[key];
  }
  return current;
}

/** The `value` array of an ARM list response. */
export function listValue(body: unknown): Json[] {
  const value = pick(body, 'value');
  return Array.isArray(value) ? value.map(asObject) : [];
}

/** The resource group named in an ARM id, as written there. */
export function groupOfId(id: unknown): string | undefined {
  if (typeof id !== 'string') return undefined;
  return /\/resourceGroups\/([^/]+)/i.exec(id)?.[1];
}

export function lastSegment(id: string): string {
  const parts = id.split('/').filter((p) => p.length > 0);
  return parts[parts.length - 1] ?? id;
}
