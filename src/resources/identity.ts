import type { Writer } from '../store/index.js';
import { resourceEntity } from './entities.js';
import type { DirectoryService } from '../directory/index.js';
import type { IdentityState } from './model.js';
import { RESOURCE_TYPES } from './model.js';
import { idKey, parseResourceId } from './arm-id.js';
import { resourceErrors } from './errors.js';

export type IdentityType = 'None' | 'SystemAssigned' | 'UserAssigned' | 'SystemAssigned, UserAssigned';

/** The identity block of a PUT or PATCH, validated. `null` entries remove an identity (PATCH). */
export interface IdentityRequest {
  readonly type: IdentityType;
  readonly userAssignedIdentities: ReadonlyMap<string, { remove: boolean; id: string }> | undefined;
}

const TYPES: Record<string, IdentityType> = {
  none: 'None',
  systemassigned: 'SystemAssigned',
  userassigned: 'UserAssigned',
  'systemassigned,userassigned': 'SystemAssigned, UserAssigned',
};

/** Validates an ARM `identity` block (type names are case-insensitive, as ARM reads them). */
export function parseIdentityRequest(value: unknown): IdentityRequest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw resourceErrors.invalidContent("The 'identity' property must be an object.");
  }
  const block = value as Record<string, unknown>;
  const rawType = block['type'];
  const type = typeof rawType === 'string' ? TYPES[rawType.toLowerCase().replace(/\s+/g, '')] : undefined;
  if (!type) {
    throw resourceErrors.invalidIdentity(
      `The identity type '${String(rawType)}' is invalid. Allowed values are 'None', 'SystemAssigned', 'UserAssigned' and 'SystemAssigned, UserAssigned'.`,
    );
  }
  const uai = block['userAssignedIdentities'];
  if (uai === undefined || uai === null) return { type, userAssignedIdentities: undefined };
  if (typeof uai !== 'object' || Array.isArray(uai)) {
    throw resourceErrors.invalidContent("The 'identity.userAssignedIdentities' property must be an object keyed by identity resource id.");
  }
  const entries = new Map<string, { remove: boolean; id: string }>();
  for (const [id, entry] of Object.entries(uai as Record<string, unknown>)) {
    const parsed = parseResourceId(id);
    if (!parsed || parsed.type?.toLowerCase() !== RESOURCE_TYPES.userAssignedIdentity.toLowerCase()) {
      throw resourceErrors.invalidIdentity(`'${id}' is not a valid user-assigned identity resource id.`);
    }
    if (entry !== null && (typeof entry !== 'object' || Array.isArray(entry))) {
      throw resourceErrors.invalidContent(`The value for user-assigned identity '${id}' must be an object or null.`);
    }
    entries.set(idKey(id), { remove: entry === null, id });
  }
  return { type, userAssignedIdentities: entries };
}

const hasSystem = (type: IdentityType): boolean => type.startsWith('SystemAssigned');
const hasUser = (type: IdentityType): boolean => type.endsWith('UserAssigned');

/**
 * Applies an identity request to a host, inside the write: creates the
 * system-assigned principal when enabled, deletes it when disabled (as
 * Azure does; its role assignments stay as orphans), and resolves the
 * user-assigned list (PUT replaces it; PATCH merges, with null removing).
 */
export async function applyIdentity(
  writer: Writer,
  directory: DirectoryService,
  host: { id: string; name: string },
  current: IdentityState | null,
  request: IdentityRequest,
  mode: 'put' | 'patch',
): Promise<IdentityState | null> {
  let systemPrincipalId = current?.systemPrincipalId ?? null;
  if (hasSystem(request.type) && systemPrincipalId === null) {
    systemPrincipalId = (await directory.createPrincipal(writer, 'SystemAssignedIdentity', host.name, host.id)).objectId;
  } else if (!hasSystem(request.type) && systemPrincipalId !== null) {
    await directory.deletePrincipal(writer, systemPrincipalId);
    systemPrincipalId = null;
  }

  // Resource id and the principal it was attached with, by lowercased id.
  const user = new Map<string, { id: string; principalId: string | undefined }>();
  if (hasUser(request.type)) {
    if (mode === 'patch' && current) {
      for (const id of current.userAssigned) user.set(idKey(id), { id, principalId: current.userAssignedPrincipals?.[idKey(id)] });
    }
    for (const [key, entry] of request.userAssignedIdentities ?? []) {
      if (entry.remove) {
        user.delete(key);
        continue;
      }
      const identity = await writer.get(resourceEntity, key);
      if (!identity || identity.type !== RESOURCE_TYPES.userAssignedIdentity) throw resourceErrors.identityNotFound(entry.id);
      const principalId = identity.properties['principalId'];
      user.set(key, { id: identity.id, principalId: typeof principalId === 'string' ? principalId : undefined });
    }
    if (user.size === 0) {
      throw resourceErrors.invalidIdentity(
        "The identity type 'UserAssigned' requires at least one entry in 'userAssignedIdentities'.",
      );
    }
  } else if (request.userAssignedIdentities && [...request.userAssignedIdentities.values()].some((e) => !e.remove)) {
    throw resourceErrors.invalidIdentity(
      `'userAssignedIdentities' can only be given when the identity type includes 'UserAssigned' (it is '${request.type}').`,
    );
  }
  if (systemPrincipalId === null && user.size === 0) return null;
  const principals: Record<string, string> = {};
  for (const [key, entry] of user) if (entry.principalId !== undefined) principals[key] = entry.principalId;
  return { systemPrincipalId, userAssigned: [...user.values()].map((e) => e.id), userAssignedPrincipals: principals };
}

export function identityType(state: IdentityState | null): IdentityType {
  if (!state) return 'None';
  const system = state.systemPrincipalId !== null;
  const user = state.userAssigned.length > 0;
  if (system && user) return 'SystemAssigned, UserAssigned';
  if (system) return 'SystemAssigned';
  if (user) return 'UserAssigned';
  return 'None';
}
