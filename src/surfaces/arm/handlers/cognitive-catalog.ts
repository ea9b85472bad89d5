import { MODEL_CATALOG } from '../../../models/index.js';
import { RESOURCE_TYPES, deployableModels, quotaUsages, servedLocations, subscriptionId as subscriptionIdOf } from '../../../resources/index.js';
import { only } from '../call.js';
import { armErrors } from '../errors.js';
import {
  renderAccountCount,
  renderAccountModel,
  renderAccountSkus,
  renderLocationModel,
  renderResourceSkus,
  renderUsage,
} from '../render-catalog.js';
import type { ArmDeps, ArmHandler } from './context.js';

/**
 * Cognitive Services' catalogue (issue 12): the models Keyless serves, the
 * account SKUs, and the quota deployments hold, at a location of the
 * subscription or at one account. Each read needs its own action at its
 * scope, checked before anything else is looked at.
 */

const NAMESPACE = 'Microsoft.CognitiveServices';
/** Named in the unknown-location error; Keyless accepts any well-formed api-version (docs/compatibility.md). */
const API_VERSIONS = ['2023-05-01', '2024-10-01', '2025-06-01', '2025-09-01'];

/** `…/providers/Microsoft.CognitiveServices/skus` and `…/locations/{l}/models|usages`. */
export const cognitiveCatalog: ArmHandler<'cognitiveCatalog'> = async (call, target, { deps, access }) => {
  only(call.method, 'GET');
  access.checkSubscription(target.subscription);
  const action = target.list === 'skus' ? `${NAMESPACE}/skus/read` : `${NAMESPACE}/locations/${target.list}/read`;
  access.authorize(call, action, subscriptionIdOf(deps.subscriptionId()));
  const locations = servedLocations(locationsInUse(deps));
  if (target.location === undefined) return call.reply.send({ value: renderResourceSkus(locations) });
  const location = target.location.toLowerCase();
  if (!locations.includes(location)) {
    throw armErrors.noProviderForLocation(target.location, call.query['api-version'] ?? '', `locations/${target.list}`, API_VERSIONS, locations);
  }
  if (target.list === 'models') return call.reply.send({ value: MODEL_CATALOG.map(renderLocationModel) });
  const keep = usageFilter(call.query['$filter']);
  const here = (r: { location: string }) => r.location.toLowerCase() === location;
  const accounts = deps.resources.list(RESOURCE_TYPES.account).filter(here);
  const usages = quotaUsages(deps.resources.list(RESOURCE_TYPES.deployment).filter(here)).map(renderUsage);
  return call.reply.send({ value: [renderAccountCount(accounts.length), ...usages].filter(keep) });
};

/** `{account id}/models|skus|usages`: authorized at the account, then the account must exist (404 as for a GET of it). */
export const accountCatalog: ArmHandler<'accountCatalog'> = async (call, target, { deps, access }) => {
  only(call.method, 'GET');
  access.checkSubscription(target.subscription);
  const address = { type: RESOURCE_TYPES.account, group: target.group, names: [target.account] };
  access.authorize(call, `${RESOURCE_TYPES.account}/${target.list}/read`, deps.resources.idOf(address));
  deps.resources.get(address);
  if (target.list === 'skus') return call.reply.send({ value: renderAccountSkus() });
  const deployments = deps.resources.list(RESOURCE_TYPES.deployment, target.group, [target.account]);
  if (target.list === 'models') return call.reply.send({ value: deployableModels(deployments).map(renderAccountModel) });
  const keep = usageFilter(call.query['$filter']);
  return call.reply.send({ value: quotaUsages(deployments).map(renderUsage).filter(keep) });
};

function locationsInUse(deps: ArmDeps): string[] {
  return [...deps.resources.listGroups().map((g) => g.location), ...deps.resources.listTopLevel().map((r) => r.location)];
}

/**
 * The usages' `$filter`: `name.value eq '…'`, several joined by `or` (the
 * spec's description of the parameter); anything else is a 400.
 */
function usageFilter(filter: string | undefined): (usage: Record<string, unknown>) => boolean {
  if (filter === undefined || filter.trim() === '') return () => true;
  const names = new Set<string>();
  for (const term of filter.split(/\s+or\s+/i)) {
    const match = /^\s*name\.value\s+eq\s+'([^']*)'\s*$/i.exec(term);
    if (!match) throw armErrors.invalidFilter(filter);
    names.add((match[1] as string).toLowerCase());
  }
  return (usage) => names.has(String((usage['name'] as { value: string }).value).toLowerCase());
}
