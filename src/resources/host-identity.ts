import type { Principal } from '../directory/model.js';
import type { DirectoryService } from '../directory/service.js';
import type { Resource } from './model.js';
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
    const identity = resource(idKey(id));
    const principalId = identity?.properties['principalId'];
    const principal = typeof principalId === 'string' ? directory.principal(principalId) : undefined;
    if (principal) user.push({ principal, resourceKey: idKey(id) });
  }
  if (selector.by === 'default') {
    if (system) return { principal: system };
    if (rule === 'appService') return { failure: system === undefined && user.length === 0 ? 'IdentityNotFound' : 'UserAssignedMustBeNamed' };
    if (user.length === 1) return { principal: (user[0] as { principal: Principal }).principal };
    return { failure: user.length > 1 ? 'MultipleUserAssigned' : 'IdentityNotFound' };
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
