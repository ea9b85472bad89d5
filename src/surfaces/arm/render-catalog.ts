import type { CatalogModel } from '../../models/index.js';
import { DEFAULT_DEPLOYMENT_CAPACITY, MAX_DEPLOYMENT_CAPACITY, MODEL_SKUS, usageName } from '../../resources/index.js';
import type { DeployableModel, DeploymentModel, QuotaUsage } from '../../resources/index.js';

/**
 * Cognitive Services' catalogue in Azure's shapes (azure-rest-api-specs,
 * Microsoft.CognitiveServices stable/2025-09-01 examples ListLocationModels,
 * ListAccountModels, ListUsages; 2024-10-01 GetSkus, ListSkus, GetUsages),
 * keys in the order those examples show them.
 */

/** The account kinds Keyless serves; Azure offers both only in S0 (Standard). */
const KINDS = ['OpenAI', 'AIServices'] as const;
const SKU = { name: 'S0', tier: 'Standard' } as const;

/** Models_List: one entry per catalog model, as an OpenAI account in S0 deploys it. */
export function renderLocationModel(model: CatalogModel): Record<string, unknown> {
  return { kind: 'OpenAI', skuName: SKU.name, model: renderCatalogModel(model) };
}

/** Accounts_ListModels: the catalog's models, then those only the account's upstreams serve. */
export function renderAccountModel(entry: DeployableModel): Record<string, unknown> {
  return entry.source === 'catalog' ? renderCatalogModel(entry.model) : renderUpstreamModel(entry.model);
}

function renderCatalogModel(model: CatalogModel): Record<string, unknown> {
  const until = isoSeconds(model.inferenceUntil);
  const created = isoSeconds(model.createdAt);
  return {
    format: 'OpenAI',
    name: model.name,
    version: model.version,
    isDefaultVersion: model.isDefault,
    skus: modelSkus(model.name, until),
    maxCapacity: MAX_DEPLOYMENT_CAPACITY,
    capabilities: capabilities(model),
    deprecation: model.fineTune ? { fineTune: until, inference: until } : { inference: until },
    modelCatalogAssetId: `azureml://registries/azure-openai/models/${model.name}/versions/${model.version}`,
    lifecycleStatus: model.lifecycle === 'preview' ? 'Preview' : 'GenerallyAvailable',
    systemData: {
      createdBy: 'Microsoft',
      createdByType: 'Application',
      createdAt: created,
      lastModifiedBy: 'Microsoft',
      lastModifiedByType: 'Application',
      lastModifiedAt: created,
    },
  };
}

/** A model only an upstream serves: whatever it asks, Keyless relays, so every inference capability is on; no catalog dates. */
function renderUpstreamModel(model: DeploymentModel): Record<string, unknown> {
  return {
    format: model.format,
    name: model.name,
    version: model.version,
    isDefaultVersion: false,
    skus: modelSkus(model.name, undefined),
    maxCapacity: MAX_DEPLOYMENT_CAPACITY,
    capabilities: { chatCompletion: 'true', completion: 'true', embeddings: 'true', responses: 'true' },
    lifecycleStatus: 'GenerallyAvailable',
  };
}

function modelSkus(model: string, deprecationDate: string | undefined): Record<string, unknown>[] {
  return MODEL_SKUS.map((name) => ({
    name,
    usageName: usageName(name, model),
    capacity: { minimum: 1, maximum: MAX_DEPLOYMENT_CAPACITY, step: 1, default: DEFAULT_DEPLOYMENT_CAPACITY },
    ...(deprecationDate === undefined ? {} : { deprecationDate }),
  }));
}

/** Azure's capability flags are strings; chat models also serve the Responses API on Keyless. */
function capabilities(model: CatalogModel): Record<string, string> {
  const out: Record<string, string> = {};
  if (model.operations.has('chatCompletion')) Object.assign(out, { chatCompletion: 'true', responses: 'true' });
  if (model.operations.has('completion')) out['completion'] = 'true';
  if (model.operations.has('embeddings')) out['embeddings'] = 'true';
  return out;
}

/** Usages_List / Accounts_ListUsages: one entry per usage name, in capacity units (thousands of tokens per minute). */
export function renderUsage(usage: QuotaUsage): Record<string, unknown> {
  return {
    name: { value: usage.name, localizedValue: usageDisplayName(usage) },
    currentValue: usage.current,
    limit: usage.limit,
    unit: 'Count',
  };
}

/** The location list's first entry (ListUsages example): accounts in the location against Azure's limit of 200. */
export function renderAccountCount(accounts: number): Record<string, unknown> {
  return { name: { value: 'AccountCount', localizedValue: 'Cognitive Services total account limit' }, currentValue: accounts, limit: 200, unit: 'Count' };
}

// The older models' quota names are title-cased in Azure's answers and InsufficientQuota messages; newer ones keep the model name.
const DISPLAY: Record<string, string> = {
  'gpt-4o': 'GPT-4o',
  'gpt-4': 'GPT-4',
  'gpt-35-turbo': 'GPT-35-Turbo',
  'text-embedding-ada-002': 'Text-Embedding-Ada-002',
};

function usageDisplayName(usage: QuotaUsage): string {
  if (usage.sku === 'Standard') return `Tokens Per Minute (thousands) - ${DISPLAY[usage.model] ?? usage.model}`;
  return `Tokens Per Minute (thousands) - ${usage.model} - ${usage.sku}`;
}

/** ResourceSkus_List: each kind's S0 at each location, grouped by location (GetSkus example). */
export function renderResourceSkus(locations: readonly string[]): Record<string, unknown>[] {
  return locations.flatMap((location) =>
    KINDS.map((kind) => ({ resourceType: 'accounts', name: SKU.name, tier: SKU.tier, kind, locations: [location.toUpperCase()], restrictions: [] })),
  );
}

/** Accounts_ListSkus: what an existing account may change to. */
export function renderAccountSkus(): Record<string, unknown>[] {
  return [{ resourceType: 'Microsoft.CognitiveServices/accounts', sku: { name: SKU.name, tier: SKU.tier } }];
}

/** Azure's dates in these answers have no fraction of a second: 2026-03-31T00:00:00Z. */
function isoSeconds(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
