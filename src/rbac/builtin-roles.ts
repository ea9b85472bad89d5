import { BUILTIN_ROLE_DATA, type BuiltInRoleData } from './builtin-role-data/index.js';
import type { Permission, RoleDefinition } from './model.js';

/*
 * Azure's built-in role definitions, with their real ids and permission
 * lists. The data (and where each role's came from) lives in
 * builtin-role-data/; this module shapes it as ARM serves it: one permission
 * block, assignable everywhere ("/"), the ABAC condition (version 2.0) on the
 * block when Azure's role has one. The catalogue order runs from least to
 * most privileged, so denial hints suggest the narrowest role first.
 */

const NONE: readonly string[] = [];

function toPermission(data: BuiltInRoleData): Permission {
  const lists = {
    actions: data.actions ?? NONE,
    notActions: data.notActions ?? NONE,
    dataActions: data.dataActions ?? NONE,
    notDataActions: data.notDataActions ?? NONE,
  };
  return data.condition === undefined ? lists : { ...lists, conditionVersion: '2.0', condition: data.condition };
}

function toRoleDefinition(data: BuiltInRoleData): RoleDefinition {
  return {
    name: data.id,
    roleName: data.roleName,
    description: data.description,
    roleType: 'BuiltInRole',
    permissions: [toPermission(data)],
    assignableScopes: ['/'],
  };
}

export const BUILTIN_ROLES: readonly RoleDefinition[] = BUILTIN_ROLE_DATA.map(toRoleDefinition);

/** Lookup keys (lowercased GUID and roleName) built once at load. */
const byKey = new Map<string, RoleDefinition>();
for (const role of BUILTIN_ROLES) {
  byKey.set(role.name.toLowerCase(), role);
  byKey.set(role.roleName.toLowerCase(), role);
}

/** Callers on the hot path pass the same roleDefinitionId strings over and over; remember them verbatim. */
const RAW_CACHE_LIMIT = 4096;
const rawCache = new Map<string, RoleDefinition | undefined>();

/**
 * Finds a built-in role by GUID, by a roleDefinitions ARM id of any scope
 * (".../providers/Microsoft.Authorization/roleDefinitions/{guid}"), or by roleName; case-insensitive.
 */
export function findRoleDefinition(nameOrIdOrRoleName: string): RoleDefinition | undefined {
  if (rawCache.has(nameOrIdOrRoleName)) return rawCache.get(nameOrIdOrRoleName);
  const trimmed = nameOrIdOrRoleName.trim().replace(/\/+$/, '');
  const lower = trimmed.toLowerCase();
  let found = byKey.get(lower);
  if (found === undefined) {
    const marker = lower.lastIndexOf('/roledefinitions/');
    // Only the id form counts: "{any scope}/providers/Microsoft.Authorization/roleDefinitions/{guid}".
    if (marker >= 0) found = byKey.get(lower.slice(marker + '/roledefinitions/'.length));
  }
  if (rawCache.size >= RAW_CACHE_LIMIT) rawCache.clear();
  rawCache.set(nameOrIdOrRoleName, found);
  return found;
}
