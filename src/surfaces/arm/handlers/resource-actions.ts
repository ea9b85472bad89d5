import { only } from '../call.js';
import { armErrors } from '../errors.js';
import type { ArmHandler } from './context.js';
import { hostAction } from './host-actions.js';
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
