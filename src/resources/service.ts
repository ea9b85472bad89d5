import type { Clock } from '../shared/clock.js';
import type { ReadModel, Store, Writer } from '../store/index.js';
import { deleteAssignmentsUnder } from '../rbac/index.js';
import type { DirectoryService } from '../directory/index.js';
import type { KeyService } from '../keys/index.js';
import type { HostSecretService } from './host-secrets.js';
import type { UpstreamService } from '../upstreams/index.js';
import type { KeyName } from '../keys/index.js';
import type { Resource, ResourceActor, ResourceGroup } from './model.js';
import { RESOURCE_TYPES } from './model.js';
import { groupId, idKey, parseResourceId } from './arm-id.js';
import { resourceErrors } from './errors.js';
import { allowsKeys } from './local-auth.js';
import { ConflictError } from '../shared/errors.js';
import { accountEndpointName as endpointName } from './account-endpoint.js';
import { checkGroupName, checkResourceName, normaliseLocation } from './names.js';
import { applyIdentity, parseIdentityRequest, type IdentityRequest } from './identity.js';
import type { TypeContext } from './types.js';
import { groupEntity, hostSecretEntity, resourceEntity } from './entities.js';
import { ResourceReads } from './reads.js';
import { parseTags, pickAssigned, type ResourceBody } from './body.js';
import { DeletedAccounts, restoreRequested } from './soft-delete.js';

export type { ResourceBody } from './body.js';

/** A resource address: type, group, and one name per type segment. */
export interface ResourceAddress {
  readonly type: string;
  readonly group: string;
  readonly names: readonly string[];
}

/**
 * Subscriptions' resource groups and resources, with Azure's lifecycles:
 * a system-assigned identity lives and dies with its host, a user-assigned
 * identity outlives every host it is attached to, and deleting a group
 * deletes everything in it (role assignments at those scopes included), all
 * in one transaction.
 */
export class ResourceService extends ResourceReads {
  /** Soft-deleted accounts: what a delete keeps, a restore takes back, a purge removes. */
  readonly deletedAccounts: DeletedAccounts;

  constructor(
    private readonly store: Store,
    model: ReadModel,
    private readonly directory: DirectoryService,
    private readonly keys: KeyService,
    private readonly hostSecrets: HostSecretService,
    private readonly upstreams: UpstreamService,
    private readonly clock: Clock,
    ids: { readonly subscriptionId: () => string; readonly tenantId: () => string },
  ) {
    super(model, ids);
    this.deletedAccounts = new DeletedAccounts(store, model, directory, keys, upstreams, clock, ids.subscriptionId);
  }

  // Resource groups

  /** PUT creates or replaces; PATCH changes the tags of a group that exists when the write runs. */
  async putGroup(name: string, body: ResourceBody, mode: 'put' | 'patch' = 'put'): Promise<{ group: ResourceGroup; created: boolean }> {
    checkGroupName(name);
    const asked = mode === 'put' ? normaliseLocation(body.location) : undefined;
    const tags = parseTags(body.tags);
    const { value, revision } = await this.store.write(async (writer) => {
      const key = idKey(groupId(this.ids.subscriptionId(), name));
      const existing = await writer.get(groupEntity, key);
      if (mode === 'patch' && !existing) throw resourceErrors.groupNotFound(name);
      const location = asked ?? (existing as ResourceGroup).location;
      if (existing && existing.location !== location) throw resourceErrors.groupLocationConflict(location, existing.location);
      const group: ResourceGroup = {
        id: existing?.id ?? groupId(this.ids.subscriptionId(), name),
        key,
        name: existing?.name ?? name,
        location,
        tags: tags ?? existing?.tags ?? {},
        createdAt: existing?.createdAt ?? this.now(),
      };
      await writer.put(groupEntity, group);
      return { group, created: !existing };
    });
    await this.model.reach(revision);
    // What this write made, even if a delete has already followed it (the read model then no longer has it).
    return { group: this.groups.get(value.group.key) ?? value.group, created: value.created };
  }

  /**
   * Inside a write: throws when a group or resource scope (an ARM id) no
   * longer exists. Subscription and root scopes always do.
   */
  async checkScopeIn(writer: Writer, scope: string): Promise<void> {
    const parsed = scope === '/' ? undefined : parseResourceId(scope);
    if (parsed?.resourceGroup === undefined) return;
    if (!(await writer.get(groupEntity, idKey(groupId(this.ids.subscriptionId(), parsed.resourceGroup))))) throw resourceErrors.groupNotFound(parsed.resourceGroup);
    if (parsed.type !== undefined && !(await writer.get(resourceEntity, idKey(scope)))) {
      throw resourceErrors.resourceNotFound(parsed.type, parsed.names.join('/'), parsed.resourceGroup);
    }
  }

  async deleteGroup(name: string): Promise<boolean> {
    const { value, revision } = await this.store.write(async (writer) => {
      const key = idKey(groupId(this.ids.subscriptionId(), name));
      if (!(await writer.get(groupEntity, key))) return false;
      // Top-level ones only: each takes its children (an account soft-deleted with the group keeps its deployments for a restore).
      const resources = (await writer.find(resourceEntity, 'group_key', key)).filter((r) => r.parentKey === null);
      for (const resource of resources) await this.deleteInWrite(writer, resource);
      await deleteAssignmentsUnder(writer, key);
      await writer.delete(groupEntity, key);
      return true;
    });
    await this.model.reach(revision);
    return value;
  }

  // Resources

  /**
   * `actor` is the caller ARM's systemData names as creator (on create) and last modifier (on every write);
   * `inWrite` runs last in the writing transaction (a long-running create records its operation there).
   */
  async put(
    address: ResourceAddress,
    body: ResourceBody,
    mode: 'put' | 'patch',
    actor?: ResourceActor,
    inWrite?: (writer: Writer, resource: Resource, created: boolean) => Promise<void>,
  ): Promise<{ resource: Resource; created: boolean }> {
    const handler = this.handler(address.type);
    const name = address.names[address.names.length - 1] ?? '';
    checkResourceName(handler.type, name);
    const tags = parseTags(body.tags);
    const identityRequest = this.identityRequestOf(address.type, body);
    const id = this.idOf(address);
    const restore = handler.type === RESOURCE_TYPES.account && restoreRequested(body);
    const { value, revision } = await this.store.write(async (writer) => {
      const group = await writer.get(groupEntity, idKey(groupId(this.ids.subscriptionId(), address.group)));
      if (!group) throw resourceErrors.groupNotFound(address.group);
      const parentKey = handler.parentType ? idKey(id.slice(0, id.lastIndexOf('/', id.lastIndexOf('/') - 1))) : null;
      const parent = parentKey === null ? undefined : await writer.get(resourceEntity, parentKey);
      if (parentKey !== null && !parent) {
        throw resourceErrors.parentNotFound(handler.type.split('/').slice(1).join('/'), id.slice(0, id.lastIndexOf('/', id.lastIndexOf('/') - 1)));
      }
      const existing = await writer.get(resourceEntity, idKey(id));
      if (mode === 'patch' && !existing) throw resourceErrors.resourceNotFound(handler.type, name, address.group);
      // A soft-deleted account holds its name: a create is refused, or is a restore (the rest of the body is not read).
      const deleted = handler.type === RESOURCE_TYPES.account && !existing ? await this.deletedAccounts.claim(writer, idKey(id), id, restore) : undefined;
      if (deleted) {
        const restored = await this.deletedAccounts.restore(writer, deleted, actor);
        await inWrite?.(writer, restored, true);
        return { resource: restored, created: true };
      }
      const prepared = handler.prepare({ kind: body.kind, sku: body.sku, properties: body.properties }, existing, mode, this.typeContext());
      const location = parent
        ? parent.location
        : body.location === undefined || body.location === null
          ? (existing?.location ?? group.location)
          : normaliseLocation(body.location);
      const canonicalId = existing?.id ?? id;
      const now = this.now();
      const identity = identityRequest
        ? await applyIdentity(writer, this.directory, { id: canonicalId, name }, existing?.identity ?? null, identityRequest, mode)
        : (existing?.identity ?? null);
      let resource: Resource = {
        id: canonicalId,
        key: idKey(id),
        groupKey: group.key,
        parentKey,
        type: handler.type,
        name: existing?.name ?? name,
        location,
        kind: prepared.kind,
        sku: prepared.sku,
        tags: tags ?? existing?.tags ?? {},
        properties: existing ? { ...pickAssigned(existing), ...prepared.properties } : prepared.properties,
        identity: handler.hasIdentity ? identity : null,
        createdAt: existing?.createdAt ?? now,
        ...authorship(existing, actor, now),
      };
      if (handler.type === RESOURCE_TYPES.account) await this.checkEndpointFree(writer, resource);
      if (!existing) {
        const added = await handler.onCreate(this.typeContext(), writer, resource);
        resource = { ...resource, properties: { ...resource.properties, ...added } };
      }
      await prepared.write?.(this.typeContext(), writer, resource);
      await writer.put(resourceEntity, resource);
      await inWrite?.(writer, resource, !existing);
      return { resource, created: !existing };
    });
    await this.model.reach(revision);
    return { resource: this.resources.get(value.resource.key) ?? value.resource, created: value.created };
  }

  /**
   * Deletes a resource; false when there was nothing to delete (ARM answers 204).
   * With `instead`, the resource stays and `instead` runs in the transaction
   * (a long-running delete records its operation, which deletes it later).
   */
  async delete(address: ResourceAddress, instead?: (writer: Writer, resource: Resource) => Promise<void>): Promise<boolean> {
    this.handler(address.type);
    const { value, revision } = await this.store.write(async (writer) => {
      if (!(await writer.get(groupEntity, idKey(groupId(this.ids.subscriptionId(), address.group))))) throw resourceErrors.groupNotFound(address.group);
      const resource = await writer.get(resourceEntity, idKey(this.idOf(address)));
      if (!resource) return false;
      if (instead) await instead(writer, resource);
      else await this.deleteInWrite(writer, resource);
      return true;
    });
    await this.model.reach(revision);
    return value;
  }

  // Account keys

  async listKeys(group: string, name: string): Promise<Record<KeyName, string>> {
    const address = { type: RESOURCE_TYPES.account, group, names: [name] };
    const account = this.get(address);
    if (!allowsKeys(account)) throw resourceErrors.localAuthDisabled();
    const { value } = await this.store.write((writer) => this.keys.list(writer, account.key));
    return value;
  }

  async regenerateKey(group: string, name: string, keyName: string): Promise<Record<KeyName, string>> {
    const normalised = keyName.toLowerCase();
    if (normalised !== 'key1' && normalised !== 'key2') throw resourceErrors.invalidKeyName(keyName);
    const account = this.get({ type: RESOURCE_TYPES.account, group, names: [name] });
    const { value, revision } = await this.store.write(async (writer) => {
      // Checked inside the write: the account may have been deleted, or local auth turned off, since it was read.
      const current = await writer.get(resourceEntity, account.key);
      if (!current) throw resourceErrors.resourceNotFound(RESOURCE_TYPES.account, name, group);
      if (!allowsKeys(current)) throw resourceErrors.localAuthDisabledRegenerate();
      await this.keys.regenerate(writer, account.key, normalised);
      return this.keys.list(writer, account.key);
    });
    await this.model.reach(revision);
    return value;
  }

  /** The identity block a PUT or PATCH of this type would apply, validated; undefined when the type has none or the body gives none. */
  identityRequestOf(type: string, body: ResourceBody): IdentityRequest | undefined {
    const handler = this.handler(type);
    return body.identity === undefined || body.identity === null || !handler.hasIdentity ? undefined : parseIdentityRequest(body.identity);
  }

  /**
   * An account's endpoint (`/accounts/{custom subdomain or name}/`) is unique across Keyless, as a
   * custom subdomain is across Azure: another group's account must not take over or shadow it.
   */
  private async checkEndpointFree(writer: Writer, account: Resource): Promise<void> {
    const subdomain = endpointName(account);
    const taken = (await writer.find(resourceEntity, 'type', RESOURCE_TYPES.account)).find((other) => other.key !== account.key && endpointName(other) === subdomain);
    if (taken) {
      throw new ConflictError('CustomDomainInUse', `The custom subdomain or account name '${subdomain}' is already used by another account (${taken.id}).`);
    }
    const held = await this.deletedAccounts.holding(writer, account.key, subdomain);
    if (held) throw resourceErrors.endpointHeldBySoftDeleted(subdomain, held.account.id);
  }

  private async deleteInWrite(writer: Writer, resource: Resource): Promise<void> {
    if (resource.type === RESOURCE_TYPES.account) return this.deletedAccounts.keep(writer, resource);
    const handler = this.handler(resource.type);
    await handler.onDelete(this.typeContext(), writer, resource);
    if (resource.identity?.systemPrincipalId) await this.directory.deletePrincipal(writer, resource.identity.systemPrincipalId);
    // Role assignments are extension resources of their scope: they go with it (those of a deleted principal elsewhere stay, as orphans).
    await deleteAssignmentsUnder(writer, resource.key);
    await writer.delete(hostSecretEntity, resource.key);
    await writer.delete(resourceEntity, resource.key);
  }

  private typeContext(): TypeContext {
    return { directory: this.directory, keys: this.keys, hostSecrets: this.hostSecrets, upstreams: this.upstreams, tenantId: this.ids.tenantId() };
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }
}

/** systemData's who and when after a write: the creator stays (unknown for rows older than 0012), the writer is the last modifier. */
function authorship(existing: Resource | undefined, actor: ResourceActor | undefined, now: string): Pick<Resource, 'createdBy' | 'lastModifiedBy' | 'lastModifiedAt'> {
  const createdBy = existing ? existing.createdBy : actor;
  return { ...(createdBy && { createdBy }), ...(actor && { lastModifiedBy: actor }), lastModifiedAt: now };
}

