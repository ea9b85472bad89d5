import { MODEL_CATALOG, findModel, type CatalogModel } from '../models/index.js';
import { MAX_DEPLOYMENT_CAPACITY, deploymentCapacity } from './capacity.js';
import type { DeploymentModel } from './deployment-model.js';
import type { Resource } from './model.js';

/**
 * What Cognitive Services' catalogue answers are made of (no HTTP): the
 * models an account can deploy, and the quota its deployments hold, by
 * Azure's usage names (`OpenAI.{deployment sku}.{model name}`).
 */

/** The deployment SKUs the catalogue offers for every model; a deployment may name another, and is counted under it. */
export const MODEL_SKUS = ['Standard', 'GlobalStandard'] as const;

/** The quota a usage name allows, per subscription and location: what Keyless lets one deployment take (docs/compatibility.md). */
export const USAGE_LIMIT = MAX_DEPLOYMENT_CAPACITY;

/** A model an account can deploy: from the catalog, or a deployment's model that only its upstream serves. */
export type DeployableModel = { readonly source: 'catalog'; readonly model: CatalogModel } | { readonly source: 'upstream'; readonly model: DeploymentModel };

/** One usage name's quota: the capacity units its deployments hold, and the limit. */
export interface QuotaUsage {
  readonly name: string;
  readonly model: string;
  readonly sku: string;
  readonly current: number;
  readonly limit: number;
}

export function usageName(sku: string, model: string): string {
  return `OpenAI.${sku}.${model}`;
}

/** The catalog, then the models of `deployments` the catalog does not have (their upstreams serve any name), by name and version. */
export function deployableModels(deployments: readonly Resource[]): DeployableModel[] {
  const out: DeployableModel[] = MODEL_CATALOG.map((model) => ({ source: 'catalog', model }));
  const seen = new Set<string>();
  const upstream: DeploymentModel[] = [];
  for (const d of deployments) {
    const model = deploymentModelOf(d);
    if (model === undefined || findModel(model.name, model.version) !== undefined) continue;
    const key = `${model.format}\n${model.name}\n${model.version}`.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    upstream.push(model);
  }
  upstream.sort((a, b) => compare(a.name, b.name) || compare(a.version, b.version) || compare(a.format, b.format));
  return [...out, ...upstream.map((model) => ({ source: 'upstream' as const, model }))];
}

/**
 * Every catalog model name under each offered SKU (zero when nothing is
 * deployed), then the names only `deployments` use, sorted; `current` sums
 * the capacities of the deployments counted under each name.
 */
export function quotaUsages(deployments: readonly Resource[]): QuotaUsage[] {
  const rows = new Map<string, { model: string; sku: string; current: number }>();
  for (const model of MODEL_CATALOG) {
    for (const sku of MODEL_SKUS) {
      const key = usageName(sku, model.name).toLowerCase();
      if (!rows.has(key)) rows.set(key, { model: model.name, sku, current: 0 });
    }
  }
  const extra = new Map<string, { model: string; sku: string; current: number }>();
  for (const d of deployments) {
    const model = deploymentModelOf(d);
    if (model === undefined) continue;
    const name = catalogName(model.name);
    const sku = skuName(d);
    const key = usageName(sku, name).toLowerCase();
    const row = rows.get(key) ?? extra.get(key) ?? { model: name, sku, current: 0 };
    if (!rows.has(key)) extra.set(key, row);
    row.current += deploymentCapacity(d);
  }
  const added = [...extra.values()].sort((a, b) => compare(usageName(a.sku, a.model), usageName(b.sku, b.model)));
  return [...rows.values(), ...added].map((r) => ({ name: usageName(r.sku, r.model), model: r.model, sku: r.sku, current: r.current, limit: USAGE_LIMIT }));
}

function deploymentModelOf(deployment: Resource): DeploymentModel | undefined {
  const m = deployment.properties['model'];
  if (typeof m !== 'object' || m === null) return undefined;
  const { format, name, version } = m as Record<string, unknown>;
  if (typeof name !== 'string') return undefined;
  return { format: typeof format === 'string' ? format : 'OpenAI', name, version: typeof version === 'string' ? version : '' };
}

// A deployment may spell a catalog model's name in any case; its quota is the catalog name's.
const catalogNames = new Map(MODEL_CATALOG.map((m) => [m.name.toLowerCase(), m.name]));
function catalogName(name: string): string {
  return catalogNames.get(name.toLowerCase()) ?? name;
}

function skuName(deployment: Resource): string {
  const name = deployment.sku?.['name'];
  if (typeof name !== 'string' || name === '') return 'Standard';
  return MODEL_SKUS.find((s) => s.toLowerCase() === name.toLowerCase()) ?? name;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
