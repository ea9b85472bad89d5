import { RESOURCE_TYPES } from '../../../resources/index.js';
import { hostEnvironment } from '../../identity-endpoints/index.js';
import { only, type ArmCall } from '../call.js';
import { armErrors } from '../errors.js';
import type { ArmHandler, ArmHandlerContext } from './context.js';
import { canonicalType } from './resources.js';

/** POST actions on a resource: an account's listKeys and regenerateKey, a host's identity environment and secret rotation. */
export const resourceAction: ArmHandler<'resourceAction'> = async (call, target, context) => {
  const { deps, access } = context;
  access.checkSubscription(target.subscription);
  const type = canonicalType(target.type);
  const { group, names, action } = target;
  only(call.method, 'POST');
  const id = deps.resources.idOf({ type, group, names });
  const name = names[0] ?? '';
  if (action === 'listidentityenvironment' || action === 'rotateidentitysecret') return hostAction(call, type, group, names, action, context);
  if (type !== 'Microsoft.CognitiveServices/accounts') throw armErrors.noRoute(call.method, call.request.url);
  if (action === 'listkeys') {
    access.authorize(call, 'Microsoft.CognitiveServices/accounts/listKeys/action', id);
    return call.reply.send(await deps.resources.listKeys(group, name));
  }
  access.authorize(call, 'Microsoft.CognitiveServices/accounts/regenerateKey/action', id);
  const keyName = call.body['keyName'];
  if (typeof keyName !== 'string') throw armErrors.invalidContent("The 'keyName' property is required: 'Key1' or 'Key2'.");
  return call.reply.send(await deps.resources.regenerateKey(group, name, keyName));
};

/** Keyless's host actions: the environment a host's code runs with (its identity secret included), and rotating that secret. */
async function hostAction(call: ArmCall, type: string, group: string, names: string[], action: string, { deps, access }: ArmHandlerContext): Promise<unknown> {
  if (type !== RESOURCE_TYPES.site && type !== RESOURCE_TYPES.virtualMachine) throw armErrors.noRoute(call.method, call.request.url);
  const id = deps.resources.idOf({ type, group, names });
  // Authorized on the id before the lookup, so that a caller without the action cannot tell which hosts exist.
  access.authorize(call, `${type}/${action === 'rotateidentitysecret' ? 'rotateIdentitySecret' : 'listIdentityEnvironment'}/action`, id);
  const host = deps.resources.get({ type, group, names });
  if (action === 'rotateidentitysecret') {
    await deps.hostSecrets.rotate(host.key);
    return call.reply.code(204).send();
  }
  const secret = await deps.hostSecrets.reveal(host.key);
  return call.reply.header('cache-control', 'no-store').send({ variables: hostEnvironment(type, deps.identityUrl(), secret) });
}
