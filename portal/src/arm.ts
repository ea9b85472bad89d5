import { API, call, list, type Json } from './api.js';

/** What ARM ids and types look like to a person. */
export const TYPE_LABELS: Readonly<Record<string, { label: string; icon: string }>> = {
  'microsoft.cognitiveservices/accounts': { label: 'Azure OpenAI', icon: '◆' },
  'microsoft.managedidentity/userassignedidentities': { label: 'Managed Identity', icon: '⚿' },
  'microsoft.web/sites': { label: 'App Service', icon: '▣' },
  'microsoft.compute/virtualmachines': { label: 'Virtual machine', icon: '▤' },
};

export function typeLabel(type: string): { label: string; icon: string } {
  return TYPE_LABELS[type.toLowerCase()] ?? { label: type, icon: '▢' };
}

export function nameOf(id: string): string {
  return id.split('/').pop() ?? id;
}

export function groupOf(id: string): string | undefined {
  return /\/resourceGroups\/([^/]+)/i.exec(id)?.[1];
}

let subscription: Promise<Json> | undefined;

/** The subscription this Keyless serves (ARM's subscription list has one). */
export function currentSubscription(): Promise<Json> {
  subscription ??= call('GET', '/subscriptions', API.groups).then((answer) => {
    const first = list(answer)[0];
    if (first === undefined) throw new Error('No subscription is visible to this principal.');
    return first;
  });
  return subscription;
}

export async function subscriptionId(): Promise<string> {
  return String((await currentSubscription())['subscriptionId']);
}

/** Built-in and custom role definitions at the subscription, by id (lowercase). */
export async function roleDefinitions(): Promise<Json[]> {
  const sub = await subscriptionId();
  return list(await call('GET', `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions`, API.authorization));
}

/** Display names of principals by object id (lowercase); a deleted principal is absent. */
export async function principalNames(ids: readonly string[]): Promise<Map<string, Json>> {
  if (ids.length === 0) return new Map();
  const answer = await call('POST', '/v1.0/directoryObjects/getByIds', undefined, { ids: [...new Set(ids)], types: ['servicePrincipal'] });
  return new Map(list(answer).map((p) => [String(p['id']).toLowerCase(), p]));
}

/** Every service principal (applications, managed identities): the member picker's list. */
export async function servicePrincipals(): Promise<Json[]> {
  return list(await call('GET', '/v1.0/servicePrincipals', undefined));
}
