import type { Resource } from './model.js';
import { resourceErrors } from './errors.js';

/**
 * Capacity units of a deployment that names none: 1,000 units = 1,000,000 tokens
 * and 6,000 requests per minute (1,000 per 10 seconds). Azure makes every
 * deployment name its capacity; Keyless defaults it so that tests and demos do
 * not trip quotas by accident, while quotas stay on (docs/compatibility.md).
 */
export const DEFAULT_DEPLOYMENT_CAPACITY = 1_000;

/** The largest quota Azure lists for one model: 150 M tokens per minute (gpt-4.1-mini and -nano, Enterprise tier). */
export const MAX_DEPLOYMENT_CAPACITY = 150_000;

/**
 * A deployment's sku: the one given, else the existing one, else Standard at the
 * default capacity; a sku without capacity gets the existing or default one.
 */
export function deploymentSku(given: Record<string, unknown> | undefined, existing: Resource | undefined): Record<string, unknown> {
  const previous = existing?.sku ?? undefined;
  if (given === undefined) return previous ?? { name: 'Standard', capacity: DEFAULT_DEPLOYMENT_CAPACITY };
  const capacity = given['capacity'] ?? previous?.['capacity'] ?? DEFAULT_DEPLOYMENT_CAPACITY;
  if (typeof capacity !== 'number' || !Number.isInteger(capacity) || capacity < 1 || capacity > MAX_DEPLOYMENT_CAPACITY) {
    throw resourceErrors.invalidCapacity(typeof capacity === 'object' ? JSON.stringify(capacity) : String(capacity), MAX_DEPLOYMENT_CAPACITY);
  }
  return { ...given, name: typeof given['name'] === 'string' ? given['name'] : 'Standard', capacity };
}

/** The capacity a deployment's quota is counted with (rows written before capacity was validated fall back to the default). */
export function deploymentCapacity(deployment: Resource): number {
  const capacity = deployment.sku?.['capacity'];
  return typeof capacity === 'number' && Number.isInteger(capacity) && capacity >= 1 && capacity <= MAX_DEPLOYMENT_CAPACITY ? capacity : DEFAULT_DEPLOYMENT_CAPACITY;
}
