import { PROVIDERS, type ProviderNamespace, type ProviderRegistrations, type RegistrationState } from '../../../providers/index.js';
import { AZURE_REGION_DISPLAY_NAMES, subscriptionId as subscriptionIdOf } from '../../../resources/index.js';
import { only, type ArmCall } from '../call.js';
import { armErrors } from '../errors.js';
import type { ArmHandler } from './context.js';

const PROVIDERS_READ = 'Microsoft.Resources/subscriptions/providers/read';

/**
 * Resource providers (`az provider list|show|register|unregister`, the SDKs'
 * `providers.*`): at subscription scope with the subscription's registration
 * state, at tenant scope without it. Every namespace Keyless serves; any other
 * is Azure's InvalidResourceNamespace.
 */
export const providers: ArmHandler<'providers'> = async (call, target, { deps, access }) => {
  only(call.method, 'GET');
  access.checkSubscription(target.subscription);
  access.authorize(call, PROVIDERS_READ, subscriptionIdOf(deps.subscriptionId()));
  const aliases = expandsAliases(call.query['$expand']);
  return answer(call, target.namespace, deps.providers, (p) => renderProvider(p, deps.providers.stateOf(p), deps.subscriptionId(), aliases));
};

/** At tenant scope, for any signed-in caller. */
export const tenantProviders: ArmHandler<'tenantProviders'> = async (call, target, { deps }) => {
  only(call.method, 'GET');
  const aliases = expandsAliases(call.query['$expand']);
  return answer(call, target.namespace, deps.providers, (p) => renderTenantProvider(p, aliases));
};

/** One namespace, or the list (`$top` cuts it). */
function answer(call: ArmCall, namespace: string | undefined, registrations: ProviderRegistrations, render: (p: ProviderNamespace) => unknown): unknown {
  if (namespace !== undefined) return call.reply.send(render(registrations.namespace(namespace)));
  const top = parseTop(call.query['$top']);
  return call.reply.send({ value: (top === undefined ? PROVIDERS : PROVIDERS.slice(0, top)).map(render) });
}

/** `az provider register|unregister`: az sends `{}`, the SDKs may send nothing; both complete at once and answer the provider. */
export const providerRegistration: ArmHandler<'providerRegistration'> = async (call, target, { deps, access }) => {
  only(call.method, 'POST');
  access.checkSubscription(target.subscription);
  const provider = deps.providers.namespace(target.namespace);
  access.authorize(call, `${provider.namespace}/${target.action}/action`, subscriptionIdOf(deps.subscriptionId()));
  const state = target.action === 'register' ? await deps.providers.register(provider) : await deps.providers.unregister(provider);
  return call.reply.send(renderProvider(provider, state, deps.subscriptionId(), false));
};

/** Azure's Provider shape, in its order. */
function renderProvider(p: ProviderNamespace, state: RegistrationState, subscription: string, aliases: boolean): Record<string, unknown> {
  return {
    id: `${subscriptionIdOf(subscription)}/providers/${p.namespace}`,
    namespace: p.namespace,
    registrationState: state,
    registrationPolicy: p.policy,
    resourceTypes: renderTypes(p, aliases),
  };
}

/** At tenant scope a provider has no registration (the spec's GetNamedProviderAtTenant example). */
function renderTenantProvider(p: ProviderNamespace, aliases: boolean): Record<string, unknown> {
  return { id: `/providers/${p.namespace}`, namespace: p.namespace, resourceTypes: renderTypes(p, aliases) };
}

function renderTypes(p: ProviderNamespace, aliases: boolean): Record<string, unknown>[] {
  return p.resourceTypes.map((t) => ({
    resourceType: t.resourceType,
    locations: t.regional ? AZURE_REGION_DISPLAY_NAMES : [],
    apiVersions: t.apiVersions,
    // Keyless has no policy aliases: `$expand=resourceTypes/aliases` shows an empty list.
    ...(aliases && { aliases: [] }),
    capabilities: t.capabilities,
  }));
}

/** `$expand` values are comma-separated; only `resourceTypes/aliases` changes the answer, others (e.g. `metadata`) add nothing. */
function expandsAliases(expand: string | undefined): boolean {
  return (expand ?? '').split(',').some((e) => e.trim().toLowerCase() === 'resourcetypes/aliases');
}

/** `$top` of the older api-versions (2019 and before); whole numbers from 1. */
function parseTop(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,4}$/.test(value) || Number(value) < 1 || Number(value) > 1000) throw armErrors.invalidTop(value);
  return Number(value);
}
