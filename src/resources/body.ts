import type { Resource } from './model.js';
import { resourceErrors } from './errors.js';

/** The parts of an ARM PUT or PATCH body that every resource type reads; each is checked where it is used. */
export interface ResourceBody {
  readonly location?: unknown;
  readonly tags?: unknown;
  readonly kind?: unknown;
  readonly sku?: unknown;
  readonly properties?: unknown;
  readonly identity?: unknown;
}

/** Properties Keyless assigned at creation, which a later PUT must not drop. */
export function pickAssigned(existing: Resource): Record<string, unknown> {
  const assigned: Record<string, unknown> = {};
  for (const name of ['tenantId', 'principalId', 'clientId']) {
    if (existing.properties[name] !== undefined) assigned[name] = existing.properties[name];
  }
  return assigned;
}

export function parseTags(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw resourceErrors.invalidContent("The 'tags' property must be an object of strings.");
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 50) throw resourceErrors.invalidContent('A resource can have at most 50 tags.');
  for (const [name, tag] of entries) {
    if (typeof tag !== 'string' || name.length > 512 || tag.length > 256) {
      throw resourceErrors.invalidContent(`The tag '${name}' is invalid: tag values are strings of at most 256 characters, names at most 512.`);
    }
  }
  return Object.fromEntries(entries) as Record<string, string>;
}
