import { drillMarker } from '../../http/index.js';
import { principalEntity } from '../../../directory/index.js';
import { RESOURCE_TYPES, type Resource } from '../../../resources/index.js';
import { hostEnvironment } from '../../identity-endpoints/index.js';
import type { ArmCall } from '../call.js';
import { armErrors } from '../errors.js';
import type { ArmHandlerContext } from './context.js';

/**
 * Keyless's host actions: the environment a host's code runs with (its
 * identity secret included), and rotating that secret. Whoever may list the
 * environment acts as the host's identities (as in Azure, whoever may deploy a
 * host's code does), so every call is audited, allowed or denied, naming them.
 */
export async function hostAction(call: ArmCall, type: string, group: string, names: string[], action: string, { deps, access }: ArmHandlerContext): Promise<unknown> {
  if (type !== RESOURCE_TYPES.site && type !== RESOURCE_TYPES.virtualMachine) throw armErrors.noRoute(call.method, call.request.url);
  const id = deps.resources.idOf({ type, group, names });
  const rotate = action === 'rotateidentitysecret';
  const verb = rotate ? 'rotateIdentitySecret' : 'listIdentityEnvironment';
  const caller = call.caller.objectId;
  const kind = deps.model.table(principalEntity).get(caller)?.kind;
  const audit = (decision: 'allowed', reason: string): void =>
    deps.audit.record('arm', `POST ${id}/${verb}`, id, caller, kind === undefined || kind === 'Application' ? 'ServicePrincipal' : 'ManagedIdentity', null, decision, reason, call.request.id, undefined, undefined, drillMarker(call.request.headers));
  // Authorized on the id before the lookup, so that a caller without the action cannot tell which hosts exist (a denial is audited there).
  access.authorize(call, `${type}/${verb}/action`, id, `POST ${id}/${verb}`);
  const host = deps.resources.get({ type, group, names });
  if (rotate) {
    await deps.hostSecrets.rotate(host.key);
    audit('allowed', `rotated host ${host.id}'s identity secret: its processes lose its identities (${identitiesOf(host)}) until they get the new one`);
    return call.reply.code(204).send();
  }
  const secret = await deps.hostSecrets.reveal(host.key);
  audit('allowed', `acting as host ${host.id}'s identities (${identitiesOf(host)})`);
  return call.reply.header('cache-control', 'no-store').send({ variables: hostEnvironment(type, host.name, deps.identityUrl(), secret) });
}

/** The identities a host's secret stands for: its system-assigned principal and its user-assigned identities' ids. */
function identitiesOf(host: Resource): string {
  const system = host.identity?.systemPrincipalId;
  const parts = [...(system ? [`system-assigned ${system}`] : []), ...(host.identity?.userAssigned.length ? [`user-assigned ${host.identity.userAssigned.join(', ')}`] : [])];
  return parts.length === 0 ? 'none' : parts.join(', ');
}
