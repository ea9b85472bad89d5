import type { ResourceBody } from './body.js';
import { resourceErrors } from './errors.js';

/**
 * A deployment's capacity through the api-versions. Up to 2022-12-01 a
 * deployment had no `sku`: its capacity was `properties.scaleSettings`
 * (`{scaleType, capacity}`, answered with a read-only `activeCapacity`). From
 * 2023-05-01 it is `sku` (`{name, capacity}`) and Azure refuses scaleSettings
 * on write. Keyless stores the sku either way, and each api-version reads and
 * writes it in its own shape (azure-rest-api-specs cognitiveservices 2021-10-01
 * … 2022-12-01 and 2023-05-01; docs/compatibility.md).
 */
const SKU_SINCE = '2023-05-01';

/** True for the api-versions whose deployments carry scaleSettings instead of sku. */
export function usesScaleSettings(apiVersion: string): boolean {
  return apiVersion.slice(0, 10) < SKU_SINCE;
}

/**
 * A deployment's PUT or PATCH body as the store takes it: with an old
 * api-version, `properties.scaleSettings` becomes the sku it stands for; with
 * a newer one, scaleSettings is Azure's 400.
 */
export function deploymentBodyFor(body: ResourceBody, apiVersion: string): ResourceBody {
  const properties = body.properties;
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) return body;
  const { scaleSettings, ...rest } = properties as Record<string, unknown>;
  if (scaleSettings === undefined || scaleSettings === null) return body;
  if (!usesScaleSettings(apiVersion)) throw resourceErrors.scaleSettingsDeprecated();
  if (typeof scaleSettings !== 'object' || Array.isArray(scaleSettings)) {
    throw resourceErrors.invalidContent("The 'properties.scaleSettings' property must be an object.");
  }
  const { scaleType, capacity } = scaleSettings as Record<string, unknown>;
  if (scaleType !== undefined && typeof scaleType !== 'string') {
    throw resourceErrors.invalidContent("The 'properties.scaleSettings.scaleType' property must be a string (Standard or Manual).");
  }
  // The capacity is checked where every sku's is (deploymentSku); a missing scaleType is Standard there.
  const sku = { ...(scaleType !== undefined && { name: scaleType }), ...(capacity !== undefined && { capacity }) };
  return { ...body, sku, properties: rest };
}

/** The scaleSettings an old api-version shows for a stored sku (capacity changes apply at once: activeCapacity is capacity). */
export function scaleSettingsOf(sku: Readonly<Record<string, unknown>> | null): Record<string, unknown> {
  const scaleType = sku?.['name'] === 'Manual' ? 'Manual' : 'Standard';
  const capacity = sku?.['capacity'];
  return typeof capacity === 'number' ? { scaleType, capacity, activeCapacity: capacity } : { scaleType };
}
