import { parseProviderPath, type ProviderTarget } from './provider-path.js';

/** What an ARM request path addresses, parsed once; the router acts on this. */
export type ArmTarget =
  | ProviderTarget
  | { kind: 'subscriptions' }
  | { kind: 'subscription'; subscription: string }
  | { kind: 'groups'; subscription: string }
  | { kind: 'group'; subscription: string; group: string }
  | { kind: 'subscriptionResources'; subscription: string; type: string }
  /** ARM's generic list: `/subscriptions/{s}/resources` or `…/resourceGroups/{g}/resources`. */
  | { kind: 'genericResources'; subscription: string; group: string | undefined }
  | { kind: 'subscriptionAction'; subscription: string; type: string; action: string }
  | { kind: 'resources'; subscription: string; group: string; type: string; parentNames: string[] }
  | { kind: 'resource'; subscription: string; group: string; type: string; names: string[] }
  | { kind: 'resourceAction'; subscription: string; group: string; type: string; names: string[]; action: string }
  | { kind: 'roleAssignments'; scope: string; name: string | undefined }
  | { kind: 'roleDefinitions'; scope: string; name: string | undefined }
  /** Cognitive Services' catalogue of a subscription: `…/providers/Microsoft.CognitiveServices/skus`, `…/locations/{l}/models|usages`. */
  | { kind: 'cognitiveCatalog'; subscription: string; list: 'models' | 'usages' | 'skus'; location: string | undefined }
  /** An account's catalogue: `{account id}/models|skus|usages`. */
  | { kind: 'accountCatalog'; subscription: string; group: string; account: string; list: 'models' | 'usages' | 'skus' }
  /** Cognitive Services' soft-deleted accounts of a subscription: `…/providers/Microsoft.CognitiveServices/deletedAccounts`. */
  | { kind: 'deletedAccounts'; subscription: string }
  /** One soft-deleted account: `…/providers/Microsoft.CognitiveServices/locations/{l}/resourceGroups/{g}/deletedAccounts/{name}`. */
  | { kind: 'deletedAccount'; subscription: string; location: string; group: string; name: string }
  /** A long-running operation's status or result: `/subscriptions/{s}/providers/{namespace}/locations/{l}/operationResults/{id}`. */
  | { kind: 'operationResult'; subscription: string; namespace: string; location: string; id: string }
  /** Keyless's own access questions on any scope: POST {scope}/providers/Keyless/checkAccess | whoCan. */
  | { kind: 'accessQuestion'; scope: string; question: 'checkAccess' | 'whoCan' };

/** Splits a path into segments, tolerating the double leading slash some SDKs send (client-libraries.md §5). */
export function pathSegments(url: string): string[] {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  return path.split('/').filter((s) => s.length > 0).map((s) => decodeURIComponent(s));
}

export function parseArmPath(segments: readonly string[]): ArmTarget | undefined {
  // A name with an encoded slash would address a resource nested where none can be (a deployment under a deployment).
  if (segments.some((s) => s.includes('/'))) return undefined;
  const lower = segments.map((s) => s.toLowerCase());
  const question = accessQuestion(segments, lower);
  if (question) return question;
  // Before the role paths: `/providers/Microsoft.Authorization` and its operations are providers' paths.
  const provider = parseProviderPath(segments, lower);
  if (provider) return provider;
  const authz = lastIndexOfPair(lower, 'providers', 'microsoft.authorization');
  if (authz !== -1) {
    const scope = `/${segments.slice(0, authz).join('/')}`;
    const rest = lower.slice(authz + 2);
    const name = segments[authz + 3];
    if (rest.length > 2) return undefined;
    if (rest[0] === 'roleassignments') return { kind: 'roleAssignments', scope, name };
    if (rest[0] === 'roledefinitions') return { kind: 'roleDefinitions', scope, name };
    return undefined;
  }
  if (lower[0] !== 'subscriptions') return undefined;
  const subscription = segments[1];
  if (subscription === undefined) return { kind: 'subscriptions' };
  if (segments.length === 2) return { kind: 'subscription', subscription };
  if (segments.length === 3 && lower[2] === 'resources') return { kind: 'genericResources', subscription, group: undefined };
  const catalog = cognitiveCatalog(segments, lower, subscription) ?? deletedAccounts(segments, lower, subscription);
  if (catalog) return catalog;
  if (lower[2] === 'providers' && segments.length === 5) {
    return { kind: 'subscriptionResources', subscription, type: `${segments[3]}/${segments[4]}` };
  }
  if (lower[2] === 'providers' && segments.length === 6) {
    return { kind: 'subscriptionAction', subscription, type: `${segments[3]}/${segments[4]}`, action: lower[5] as string };
  }
  if (lower[2] === 'providers' && segments.length === 8 && lower[4] === 'locations' && lower[6] === 'operationresults') {
    return { kind: 'operationResult', subscription, namespace: segments[3] as string, location: segments[5] as string, id: segments[7] as string };
  }
  if (lower[2] !== 'resourcegroups') return undefined;
  const group = segments[3];
  if (group === undefined) return { kind: 'groups', subscription };
  if (segments.length === 4) return { kind: 'group', subscription, group };
  if (segments.length === 5 && lower[4] === 'resources') return { kind: 'genericResources', subscription, group };
  if (lower[4] !== 'providers' || segments.length < 7) return undefined;
  const namespace = segments[5] as string;
  const rest = segments.slice(6);
  const list = lower[8];
  if (rest.length === 3 && lower[5] === COGNITIVE && lower[6] === 'accounts' && (list === 'models' || list === 'usages' || list === 'skus')) {
    return { kind: 'accountCatalog', subscription, group, account: segments[7] as string, list };
  }
  const types: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < rest.length; i += 2) {
    types.push(rest[i] as string);
    if (rest[i + 1] !== undefined) names.push(rest[i + 1] as string);
  }
  // An odd tail is either a collection (…/accounts/a/deployments) or an action (…/accounts/a/listKeys).
  if (rest.length % 2 === 1 && names.length >= 1) {
    const last = (types[types.length - 1] as string).toLowerCase();
    if (RESOURCE_ACTIONS.has(last)) {
      return { kind: 'resourceAction', subscription, group, type: `${namespace}/${types.slice(0, -1).join('/')}`, names, action: last };
    }
  }
  const type = `${namespace}/${types.join('/')}`;
  if (rest.length % 2 === 1) return { kind: 'resources', subscription, group, type, parentNames: names };
  return { kind: 'resource', subscription, group, type, names };
}

const COGNITIVE = 'microsoft.cognitiveservices';

/** `/subscriptions/{s}/providers/Microsoft.CognitiveServices/skus` and `…/locations/{l}/models|usages`. */
function cognitiveCatalog(segments: readonly string[], lower: readonly string[], subscription: string): ArmTarget | undefined {
  if (lower[2] !== 'providers' || lower[3] !== COGNITIVE) return undefined;
  if (segments.length === 5 && lower[4] === 'skus') return { kind: 'cognitiveCatalog', subscription, list: 'skus', location: undefined };
  const list = lower[6];
  if (segments.length !== 7 || lower[4] !== 'locations' || (list !== 'models' && list !== 'usages')) return undefined;
  return { kind: 'cognitiveCatalog', subscription, list, location: segments[5] as string };
}

/** The deletedAccounts paths (Azure's DeletedAccounts_List, _Get and _Purge). */
function deletedAccounts(segments: readonly string[], lower: readonly string[], subscription: string): ArmTarget | undefined {
  if (lower[2] !== 'providers' || lower[3] !== COGNITIVE) return undefined;
  if (segments.length === 5 && lower[4] === 'deletedaccounts') return { kind: 'deletedAccounts', subscription };
  if (segments.length !== 10 || lower[4] !== 'locations' || lower[6] !== 'resourcegroups' || lower[8] !== 'deletedaccounts') return undefined;
  return { kind: 'deletedAccount', subscription, location: segments[5] as string, group: segments[7] as string, name: segments[9] as string };
}

/** POST actions on a resource: Azure's key actions, and Keyless's host-identity actions (see docs/compatibility.md). */
const RESOURCE_ACTIONS = new Set(['listkeys', 'regeneratekey', 'listidentityenvironment', 'rotateidentitysecret']);

/** `{scope}/providers/Keyless/checkAccess` or `…/whoCan`, at any scope (the root included). */
function accessQuestion(segments: readonly string[], lower: readonly string[]): ArmTarget | undefined {
  const n = lower.length;
  if (n < 3 || lower[n - 3] !== 'providers' || lower[n - 2] !== 'keyless') return undefined;
  const question = lower[n - 1] === 'checkaccess' ? 'checkAccess' : lower[n - 1] === 'whocan' ? 'whoCan' : undefined;
  return question && { kind: 'accessQuestion', scope: `/${segments.slice(0, n - 3).join('/')}`, question };
}

function lastIndexOfPair(list: readonly string[], first: string, second: string): number {
  for (let i = list.length - 2; i >= 0; i--) if (list[i] === first && list[i + 1] === second) return i;
  return -1;
}
