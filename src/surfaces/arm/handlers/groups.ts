import { groupId, idKey } from '../../../resources/index.js';
import { resourceErrors } from '../../../resources/index.js';
import { groupEntity } from '../../../resources/index.js';
import { armErrors } from '../errors.js';
import { renderGroup } from '../render.js';
import type { ArmHandler } from './context.js';

/** One resource group: GET, HEAD (204 or 404, no body), PUT, PATCH (tags), DELETE. */
export const resourceGroup: ArmHandler<'group'> = async (call, target, { deps, access }) => {
  access.checkSubscription(target.subscription);
  const name = target.group;
  const id = groupId(deps.subscriptionId(), name);
  switch (call.method) {
    case 'GET':
    case 'HEAD': {
      access.authorize(call, 'Microsoft.Resources/subscriptions/resourceGroups/read', id);
      if (call.method === 'HEAD') {
        return call.reply.code(deps.model.table(groupEntity).has(idKey(id)) ? 204 : 404).send();
      }
      return call.reply.send(renderGroup(deps.resources.getGroup(name)));
    }
    case 'PUT': {
      access.authorize(call, 'Microsoft.Resources/subscriptions/resourceGroups/write', id);
      const { group, created } = await deps.resources.putGroup(name, call.body);
      return call.reply.code(created ? 201 : 200).send(renderGroup(group));
    }
    case 'PATCH': {
      access.authorize(call, 'Microsoft.Resources/subscriptions/resourceGroups/write', id);
      const { group } = await deps.resources.putGroup(name, { tags: call.body['tags'] }, 'patch');
      return call.reply.send(renderGroup(group));
    }
    case 'DELETE': {
      access.authorize(call, 'Microsoft.Resources/subscriptions/resourceGroups/delete', id);
      const existed = await deps.resources.deleteGroup(name);
      if (!existed) throw resourceErrors.groupNotFound(name);
      return call.reply.code(200).send();
    }
    default:
      throw armErrors.methodNotAllowed(call.method);
  }
};
