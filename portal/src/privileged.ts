import { pick, str, type Json } from './api.js';
// The server's list, so the portal's Privileged tab and `keyless posture`'s PrivilegedRoleHeldByWorkload never disagree.
import { PRIVILEGED_ROLE_IDS } from '../../src/rbac/privileged.js';

/**
 * What makes a custom role privileged in Azure's sense (managing every resource, or giving access to others):
 * it can write or delete anything, or manage role assignments, role definitions or deny assignments.
 * Built-in roles are classified by Azure's fixed list (ARM's role definitions carry no such property).
 */
const PRIVILEGED_ACTIONS = [
  '*',
  '*/write',
  '*/delete',
  'microsoft.authorization/*',
  'microsoft.authorization/*/write',
  'microsoft.authorization/*/delete',
  'microsoft.authorization/roleassignments/*',
  'microsoft.authorization/roleassignments/write',
  'microsoft.authorization/roleassignments/delete',
  'microsoft.authorization/roledefinitions/*',
  'microsoft.authorization/roledefinitions/write',
  'microsoft.authorization/roledefinitions/delete',
  'microsoft.authorization/denyassignments/*',
  'microsoft.authorization/denyassignments/write',
  'microsoft.authorization/denyassignments/delete',
];

export function isPrivileged(role: Json): boolean {
  if (str(pick(role, 'properties', 'type')) !== 'CustomRole') return PRIVILEGED_ROLE_IDS.has(str(role['name']).toLowerCase());
  const permissions = (pick(role, 'properties', 'permissions') as Json[] | undefined) ?? [];
  return permissions.some((p) => ((p['actions'] as string[] | undefined) ?? []).some((a) => PRIVILEGED_ACTIONS.includes(a.toLowerCase())));
}

/** Azure's two tabs of the role picker. */
export type RoleCategory = 'job' | 'privileged';

export const categoryOf = (role: Json): RoleCategory => (isPrivileged(role) ? 'privileged' : 'job');
