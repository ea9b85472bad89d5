import type { Resource } from '../../resources/index.js';
import { RESOURCE_TYPES } from '../../resources/index.js';

/**
 * The parts of a resource's envelope that differ by resource provider: whether
 * `tags` appears when none were given, and `systemData`.
 */

/**
 * Untagged resources: the Cognitive Services provider (accounts) and ARM's
 * resource groups leave `tags` out, the Managed Identity provider answers `{}`
 * (az test recordings: test_cognitiveservices_deployment.yaml, 2025;
 * test_identity_management.yaml, 2023; resources' CreateResourceGroup.json).
 * Web apps and VMs keep `{}` (not verified). Undefined: leave the field out.
 */
export function tagsField(resource: Resource): Readonly<Record<string, string>> | undefined {
  if (resource.type === RESOURCE_TYPES.account) return nonEmpty(resource.tags);
  return resource.tags;
}

export function nonEmpty(tags: Readonly<Record<string, string>>): Readonly<Record<string, string>> | undefined {
  return Object.keys(tags).length > 0 ? tags : undefined;
}

/**
 * ARM's systemData, in the order Azure answers it (a 2025 az recording of an
 * account and a deployment). A resource written before Keyless kept its
 * authors shows its times only: who made it is not known.
 */
export function systemData(resource: Resource): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (resource.createdBy) {
    out['createdBy'] = resource.createdBy.id;
    out['createdByType'] = resource.createdBy.type;
  }
  out['createdAt'] = resource.createdAt;
  if (resource.lastModifiedBy) {
    out['lastModifiedBy'] = resource.lastModifiedBy.id;
    out['lastModifiedByType'] = resource.lastModifiedBy.type;
  }
  out['lastModifiedAt'] = resource.lastModifiedAt ?? resource.createdAt;
  return out;
}
