import type { DenialExplanation } from '../../audit/index.js';
import type { Principal } from '../../directory/index.js';
import { idKey, parseResourceId, RESOURCE_TYPES, type IdentitySelector, type Resource, type SelectionFailure } from '../../resources/index.js';
import type { IdentityEndpointDeps } from './context.js';

/*
 * Why a host got no identity token, and the command that would give it one,
 * for the audit record only (the host gets its platform's exact error). Built
 * only when the identity cannot be chosen, so the token path never pays for it.
 */

type Lookups = Pick<IdentityEndpointDeps, 'directory' | 'resource'>;

/** `keyless webapp identity assign -g G -n N --identities …` (or `vm`) for this host. */
function assignCommand(host: Resource, identities: string): string | undefined {
  const parsed = parseResourceId(host.id);
  const noun = host.type === RESOURCE_TYPES.site ? 'webapp' : host.type === RESOURCE_TYPES.virtualMachine ? 'vm' : undefined;
  if (!parsed?.resourceGroup || noun === undefined) return undefined;
  return `keyless ${noun} identity assign -g ${parsed.resourceGroup} -n ${parsed.names.join('/')} --identities ${identities}`;
}

/** The host's identities, as the explanation lists them. */
function attached(host: Resource, deps: Lookups): string {
  const parts: string[] = [];
  const system = host.identity?.systemPrincipalId;
  if (system) parts.push(`system-assigned (client id ${deps.directory.principal(system)?.appId ?? 'unknown'})`);
  for (const id of host.identity?.userAssigned ?? []) {
    const clientId = deps.resource(idKey(id))?.properties['clientId'];
    parts.push(`user-assigned ${id}${typeof clientId === 'string' ? ` (client id ${clientId})` : ''}`);
  }
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/** The principal a selector names, wherever it lives. */
function named(selector: Exclude<IdentitySelector, { by: 'default' }>, deps: Lookups): Principal | undefined {
  switch (selector.by) {
    case 'clientId':
      return deps.directory.principalByAppId(selector.value);
    case 'objectId':
      return deps.directory.principal(selector.value);
    case 'resourceId': {
      const principalId = deps.resource(idKey(selector.value).replace(/\/+$/, ''))?.properties['principalId'];
      return typeof principalId === 'string' ? deps.directory.principal(principalId) : undefined;
    }
  }
}

export function explainSelectionFailure(host: Resource, selector: IdentitySelector, failure: SelectionFailure, deps: Lookups): DenialExplanation {
  const has = `host ${host.id} has these identities: ${attached(host, deps)}`;
  if (failure === 'MultipleUserAssigned' || failure === 'UserAssignedMustBeNamed') {
    const rule = failure === 'MultipleUserAssigned' ? 'with no system-assigned identity and several user-assigned ones, IMDS picks none' : 'App Service never picks a user-assigned identity';
    return { explanation: `the request named no identity, and ${rule}: ${has}; name one in the request (its client id, as ManagedIdentityCredential's clientId does)`, fix: undefined };
  }
  if (selector.by === 'default') {
    return { explanation: `the request named no identity, and ${has}`, fix: assignCommand(host, 'system') };
  }
  const wanted = `${selector.by} ${selector.value}`;
  const principal = named(selector, deps);
  if (principal === undefined) return { explanation: `no managed identity has ${wanted}; ${has}`, fix: undefined };
  if (principal.kind === 'UserAssignedIdentity' && principal.resourceId !== null) {
    return { explanation: `the user-assigned identity ${principal.resourceId} (${wanted}) is not attached to this host; ${has}`, fix: assignCommand(host, principal.resourceId) };
  }
  const whose = principal.kind === 'SystemAssignedIdentity' ? `the system-assigned identity of ${principal.resourceId ?? 'another host'}, which only that host can use` : `an application's service principal, not a managed identity`;
  return { explanation: `${wanted} is ${whose}; ${has}`, fix: undefined };
}

/**
 * No host owns the secret the request carried (or none was sent): a process
 * outside every host, a secret rotated since, or a host deleted. The secret
 * itself never appears here.
 */
export function unknownHostExplanation(hostType: string, secretGiven: boolean, otherPlatform: boolean): DenialExplanation {
  const why = !secretGiven
    ? 'the request carried no host secret: only processes run as a host (keyless run --as HOST, or keyless env) have one'
    : otherPlatform
      ? `the secret belongs to a host of another kind than this endpoint serves (${hostType})`
      : 'the secret belongs to no host: it was rotated (rotate-secret) or its host was deleted, or it was never a host secret';
  // The host is unknown (that is the refusal), so the fix names it as a placeholder: its current variables, from the CLI.
  return { explanation: `no managed identity token: ${why}`, fix: 'keyless env --as HOST -g GROUP' };
}

/** The token was asked for a resource (audience) Keyless does not issue tokens for. */
export function unknownResourceExplanation(resource: string): DenialExplanation {
  return {
    explanation: `no managed identity token: '${resource}' is not a resource Keyless issues tokens for (e.g. https://cognitiveservices.azure.com, https://management.azure.com/)`,
    fix: undefined,
  };
}
