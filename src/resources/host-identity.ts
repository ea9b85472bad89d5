import type { Principal } from '../directory/index.js';
import type { DirectoryService } from '../directory/index.js';
import { boundUserPrincipal, type Resource } from './model.js';
import { idKey } from './arm-id.js';

/** How a token request names the identity it wants, if at all. */
export type IdentitySelector =
  | { readonly by: 'default' }
  | { readonly by: 'clientId' | 'objectId' | 'resourceId'; readonly value: string };

/** Why no identity could be chosen; each platform words these its own way. */
export type SelectionFailure =
  /** The host has no identity at all, or none matches the selector. */
  | 'IdentityNotFound'
  /** No selector, no system-assigned identity, several user-assigned ones (IMDS). */
  | 'MultipleUserAssigned'
  /** No selector and no system-assigned identity (App Service never picks a user-assigned one silently). */
  | 'UserAssignedMustBeNamed';

export type Selection = { readonly principal: Principal } | { readonly failure: SelectionFailure };

export type DefaultRule = 'imds' | 'appService';

/**
 * Chooses which of a host's identities a token request gets, with Azure's
 * rules: a named identity must be attached to this host; with none named,
 * the system-assigned one, else (IMDS only) the single user-assigned one.
 */
export function selectHostIdentity(
  host: Resource,
  selector: IdentitySelector,
  rule: DefaultRule,
  directory: DirectoryService,
  resource: (key: string) => Resource | undefined,
): Selection {
  const system = host.identity?.systemPrincipalId ? directory.principal(host.identity.systemPrincipalId) : undefined;
  const user: { principal: Principal; resourceKey: string }[] = [];
  for (const id of host.identity?.userAssigned ?? []) {
    const key = idKey(id);
    // Deleted, or deleted and created again since it was attached: not this host's identity any more.
    const principalId = host.identity ? boundUserPrincipal(host.identity, key, resource(key)?.properties['principalId']) : undefined;
    const principal = principalId === undefined ? undefined : directory.principal(principalId);
    if (principal) user.push({ principal, resourceKey: key });
  }
  if (selector.by === 'default') {
    if (system) return { principal: system };
    if (rule === 'appService') return { failure: system === undefined && user.length === 0 ? 'IdentityNotFound' : 'UserAssignedMustBeNamed' };
    // Counted as listed, deleted ones too: deleting one of two identities must not silently hand out the other.
    const listed = host.identity?.userAssigned.length ?? 0;
    if (listed > 1) return { failure: 'MultipleUserAssigned' };
    if (user.length === 1) return { principal: (user[0] as { principal: Principal }).principal };
    return { failure: 'IdentityNotFound' };
  }
  const wanted = selector.value.toLowerCase();
  const candidates = [...(system ? [{ principal: system, resourceKey: '' }] : []), ...user];
  const match = candidates.find((c) => {
    switch (selector.by) {
      case 'clientId':
        return c.principal.appId.toLowerCase() === wanted;
      case 'objectId':
        return c.principal.objectId.toLowerCase() === wanted;
      case 'resourceId':
        return c.resourceKey !== '' && c.resourceKey === idKey(selector.value).replace(/\/+$/, '');
    }
  });
  return match ? { principal: match.principal } : { failure: 'IdentityNotFound' };
}
