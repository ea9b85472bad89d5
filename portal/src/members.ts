import { API, call, list, pick, str, type Json } from './api.js';
import { groupOf, subscriptionId, typeLabel } from './arm.js';

/** Someone a role can be assigned to. Every Keyless principal is a service principal to ARM. */
export interface Member {
  /** The object id (what a role assignment's principalId holds). */
  id: string;
  name: string;
  /** What Azure's member picker shows as the type. */
  type: MemberType;
  /** Where it comes from: the group, the host resource, or the application's client id. */
  detail: string;
}

export const MEMBER_TYPES = ['User-assigned managed identity', 'System-assigned managed identity', 'Application'] as const;
export type MemberType = (typeof MEMBER_TYPES)[number];

/**
 * The member picker's list, from where each kind lives: user-assigned identities from ARM, system-assigned
 * ones from their host's identity block (web apps, VMs, accounts), applications' service principals from Graph.
 */
export async function loadMembers(): Promise<Member[]> {
  const sub = await subscriptionId();
  const [identities, resources, principals] = await Promise.all([
    call('GET', `/subscriptions/${sub}/providers/Microsoft.ManagedIdentity/userAssignedIdentities`, API.identities).then(list),
    call('GET', `/subscriptions/${sub}/resources`, API.groups).then(list),
    call('GET', '/v1.0/servicePrincipals', undefined).then(list),
  ]);
  const members: Member[] = [
    ...identities.map((i) => ({ id: str(pick(i, 'properties', 'principalId')), name: str(i['name']), type: 'User-assigned managed identity' as const, detail: `Resource group ${groupOf(str(i['id'])) ?? ''}` })),
    ...resources.filter(hasSystemIdentity).map((r) => ({
      id: str(pick(r, 'identity', 'principalId')),
      name: str(r['name']),
      type: 'System-assigned managed identity' as const,
      detail: `${typeLabel(str(r['type'])).label} in ${groupOf(str(r['id'])) ?? ''}`,
    })),
    ...principals.filter((p) => p['servicePrincipalType'] === 'Application').map((p) => ({ id: str(p['id']), name: str(p['displayName']), type: 'Application' as const, detail: `Client id ${str(p['appId'])}` })),
  ];
  return members.filter((m) => m.id !== '').sort((a, b) => a.name.localeCompare(b.name) || a.type.localeCompare(b.type));
}

const hasSystemIdentity = (resource: Json): boolean => str(pick(resource, 'identity', 'type')).includes('SystemAssigned') && str(pick(resource, 'identity', 'principalId')) !== '';
