import type { EntityTable, ReadModel } from '../store/index.js';
import type { Resource, ResourceGroup } from './model.js';
import { groupId, idKey, resourceId } from './arm-id.js';
import { resourceErrors } from './errors.js';
import { handlerFor, type ResourceTypeHandler } from './types.js';
import { groupEntity, resourceEntity } from './entities.js';
import type { ResourceAddress } from './service.js';

/**
 * The read side of the resources context: groups and resources as the read
 * model has them (no SQL), with ARM's not-found errors. ResourceService adds
 * the writes and their lifecycles.
 */
export class ResourceReads {
  protected readonly groups: EntityTable<ResourceGroup>;
  protected readonly resources: EntityTable<Resource>;

  constructor(
    protected readonly model: ReadModel,
    protected readonly ids: { readonly subscriptionId: () => string; readonly tenantId: () => string },
  ) {
    this.groups = model.table(groupEntity);
    this.resources = model.table(resourceEntity);
  }

  getGroup(name: string): ResourceGroup {
    const group = this.groups.get(idKey(groupId(this.ids.subscriptionId(), name)));
    if (!group) throw resourceErrors.groupNotFound(name);
    return group;
  }

  listGroups(): ResourceGroup[] {
    return [...this.groups.values()].sort(byName);
  }

  get(address: ResourceAddress): Resource {
    const handler = this.handler(address.type);
    const resource = this.resources.get(idKey(this.idOf(address)));
    if (!resource) {
      if (!this.groups.has(idKey(groupId(this.ids.subscriptionId(), address.group)))) throw resourceErrors.groupNotFound(address.group);
      throw resourceErrors.resourceNotFound(handler.type, address.names.join('/'), address.group);
    }
    return resource;
  }

  /** Every top-level resource (no child types, as ARM's generic list), in a group or the whole subscription, by id. */
  listTopLevel(group?: string): Resource[] {
    const groupKey = group === undefined ? undefined : this.getGroup(group).key;
    return [...this.resources.values()]
      .filter((r) => r.parentKey === null && (groupKey === undefined || r.groupKey === groupKey))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Resources of a type, in a group or the whole subscription; for child types, under one parent. */
  list(type: string, group?: string, parentNames?: readonly string[]): Resource[] {
    const handler = this.handler(type);
    let groupKey: string | undefined;
    if (group !== undefined) groupKey = this.getGroup(group).key;
    let parentKey: string | undefined;
    if (handler.parentType && parentNames && group !== undefined) {
      parentKey = idKey(this.idOf({ type: handler.parentType, group, names: parentNames }));
      if (!this.resources.has(parentKey)) {
        throw resourceErrors.resourceNotFound(handler.parentType, parentNames.join('/'), group);
      }
    }
    return [...this.resources.values()]
      .filter((r) => r.type === handler.type && (groupKey === undefined || r.groupKey === groupKey) && (parentKey === undefined || r.parentKey === parentKey))
      .sort(byName);
  }

  idOf(address: ResourceAddress): string {
    return resourceId(this.ids.subscriptionId(), address.group, this.handler(address.type).type, address.names);
  }

  protected handler(type: string): ResourceTypeHandler {
    const handler = handlerFor(type);
    if (!handler) throw resourceErrors.invalidContent(`The resource type '${type}' is not served by Keyless.`);
    return handler;
  }

}

const byName = (a: { name: string }, b: { name: string }): number => a.name.localeCompare(b.name);
