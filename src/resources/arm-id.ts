/** ARM resource ids: building them, parsing them, and their case-insensitive keys. */
export interface ParsedResourceId {
  readonly subscriptionId: string;
  readonly resourceGroup: string | undefined;
  /** e.g. Microsoft.CognitiveServices/accounts/deployments, undefined for a group or subscription. */
  readonly type: string | undefined;
  /** Names from the outermost resource to the innermost. */
  readonly names: readonly string[];
}

export const idKey = (id: string): string => id.toLowerCase();

export function subscriptionId(subscription: string): string {
  return `/subscriptions/${subscription}`;
}

export function groupId(subscription: string, group: string): string {
  return `/subscriptions/${subscription}/resourceGroups/${group}`;
}

/** `type` is the full type (Namespace/t1/t2…), `names` one per type segment. */
export function resourceId(subscription: string, group: string, type: string, names: readonly string[]): string {
  const [namespace, ...segments] = type.split('/');
  let id = `${groupId(subscription, group)}/providers/${namespace}`;
  segments.forEach((segment, i) => {
    id += `/${segment}/${names[i] ?? ''}`;
  });
  return id;
}

/** Parses an ARM id of a subscription, group or resource; undefined when it is not one. */
export function parseResourceId(id: string): ParsedResourceId | undefined {
  const parts = id.replace(/^\/+/, '').replace(/\/+$/, '').split('/');
  if (parts.length < 2 || parts[0]?.toLowerCase() !== 'subscriptions' || !parts[1]) return undefined;
  const subscription = parts[1];
  if (parts.length === 2) return { subscriptionId: subscription, resourceGroup: undefined, type: undefined, names: [] };
  if (parts[2]?.toLowerCase() !== 'resourcegroups' || !parts[3]) return undefined;
  const group = parts[3];
  if (parts.length === 4) return { subscriptionId: subscription, resourceGroup: group, type: undefined, names: [] };
  if (parts[4]?.toLowerCase() !== 'providers' || !parts[5]) return undefined;
  const rest = parts.slice(6);
  if (rest.length === 0 || rest.length % 2 !== 0 || rest.some((p) => p === '')) return undefined;
  const types: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < rest.length; i += 2) {
    types.push(rest[i] as string);
    names.push(rest[i + 1] as string);
  }
  return { subscriptionId: subscription, resourceGroup: group, type: `${parts[5]}/${types.join('/')}`, names };
}
