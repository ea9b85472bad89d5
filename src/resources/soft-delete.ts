import type { Clock } from '../shared/clock.js';
import type { EntityTable, ReadModel, Store, Writer } from '../store/index.js';
import { deleteAssignmentsUnder } from '../rbac/index.js';
import type { DirectoryService } from '../directory/index.js';
import type { KeyService } from '../keys/index.js';
import type { UpstreamService } from '../upstreams/index.js';
import type { Resource, ResourceActor } from './model.js';
import { RESOURCE_TYPES } from './model.js';
import { idKey, resourceId } from './arm-id.js';
import { deletedAccountEntity, resourceEntity } from './entities.js';
import { SOFT_DELETE_RETENTION_MS, isExpired, type DeletedAccount } from './deleted-account.js';
import { resourceErrors } from './errors.js';
import { normaliseLocation } from './names.js';
import { accountEndpointName } from './account-endpoint.js';

/** A deleted account's address, as the deletedAccounts path names it. */
export interface DeletedAccountAddress {
  readonly location: string;
  readonly group: string;
  readonly name: string;
}

/**
 * Soft delete of Cognitive Services accounts, as Azure does it: a deleted
 * account is kept for 48 hours, holding its name and its custom subdomain,
 * then goes for good (lazily: the first read or write that meets it after its
 * retention ends purges it; no timer). The write-side steps run inside the
 * caller's transaction (ResourceService's delete and create), the reads from
 * the read model.
 */
export class DeletedAccounts {
  private readonly table: EntityTable<DeletedAccount>;

  constructor(
    private readonly store: Store,
    private readonly model: ReadModel,
    private readonly directory: DirectoryService,
    private readonly keys: KeyService,
    private readonly upstreams: UpstreamService,
    private readonly clock: Clock,
    private readonly subscriptionId: () => string,
  ) {
    this.table = model.table(deletedAccountEntity);
  }

  /** Every deleted account whose retention has not ended, by name. */
  list(): DeletedAccount[] {
    const now = this.clock.now();
    return [...this.table.values()].filter((d) => !isExpired(d, now)).sort((a, b) => a.account.name.localeCompare(b.account.name));
  }

  get(address: DeletedAccountAddress): DeletedAccount {
    const found = this.find(address);
    if (!found) throw resourceErrors.deletedAccountNotFound(address.name, address.group, address.location);
    return found;
  }

  /**
   * Purges a deleted account now; false when there was none (ARM answers 204).
   * With `instead`, it stays and `instead` runs in the transaction (a
   * long-running purge records its operation, which purges it later).
   */
  async purge(address: DeletedAccountAddress, instead?: (writer: Writer, deleted: DeletedAccount) => Promise<void>): Promise<boolean> {
    return this.find(address) ? this.purgeKey(this.keyOf(address), instead) : false;
  }

  /** As `purge`, by the account's key (a long-running purge finishing). */
  async purgeKey(key: string, instead?: (writer: Writer, deleted: DeletedAccount) => Promise<void>): Promise<boolean> {
    const { value, revision } = await this.store.write(async (writer) => {
      const current = await writer.get(deletedAccountEntity, key);
      // Restored or purged since it was read.
      if (!current) return false;
      // Its retention ended meanwhile: gone for the caller, purged here all the same.
      if (isExpired(current, this.clock.now())) {
        await this.purgeInWrite(writer, current);
        return false;
      }
      if (instead) await instead(writer, current);
      else await this.purgeInWrite(writer, current);
      return true;
    });
    await this.model.reach(revision);
    return value;
  }

  /** Purges those whose retention has ended; writes only when there are some. */
  async purgeExpired(): Promise<void> {
    const now = this.clock.now();
    if (![...this.table.values()].some((d) => isExpired(d, now))) return;
    const { revision } = await this.store.write(async (writer) => {
      for (const deleted of await writer.all(deletedAccountEntity)) {
        if (isExpired(deleted, this.clock.now())) await this.purgeInWrite(writer, deleted);
      }
    });
    await this.model.reach(revision);
  }

  // Inside ResourceService's writes

  /**
   * Deletes an account softly: its deployments and it leave the resources
   * table (so nothing lists or serves them), its system-assigned principal is
   * deleted as with any delete (a restore gives it a new one), and the record
   * keeps what a restore puts back. Keys, upstreams and role assignments stay
   * where they are, unreachable, until the purge.
   */
  async keep(writer: Writer, account: Resource): Promise<void> {
    const deployments = await writer.find(resourceEntity, 'parent_key', account.key);
    for (const deployment of deployments) await writer.delete(resourceEntity, deployment.key);
    if (account.identity?.systemPrincipalId) await this.directory.deletePrincipal(writer, account.identity.systemPrincipalId);
    await writer.delete(resourceEntity, account.key);
    const now = this.clock.now();
    await writer.put(deletedAccountEntity, {
      key: account.key,
      account,
      deployments,
      deletedAt: new Date(now).toISOString(),
      purgeAt: new Date(now + SOFT_DELETE_RETENTION_MS).toISOString(),
    });
  }

  /**
   * Before an account is created under `key`: the soft-deleted one to restore
   * when `restore` is asked, else nothing. Refuses a create over a
   * soft-deleted account without the flag, and a restore with nothing to
   * restore; one whose retention has ended is purged first.
   */
  async claim(writer: Writer, key: string, id: string, restore: boolean): Promise<DeletedAccount | undefined> {
    let deleted = await writer.get(deletedAccountEntity, key);
    if (deleted && isExpired(deleted, this.clock.now())) {
      await this.purgeInWrite(writer, deleted);
      deleted = undefined;
    }
    if (deleted && !restore) throw resourceErrors.flagMustBeSetForRestore(deleted.account.id);
    if (!deleted && restore) throw resourceErrors.nothingToRestore(id);
    return deleted;
  }

  /**
   * Puts a soft-deleted account back as it was, with its deployments; its
   * keys and role assignments were never moved. A system-assigned identity is
   * a new principal (the old one was deleted with the account).
   */
  async restore(writer: Writer, deleted: DeletedAccount, actor: ResourceActor | undefined): Promise<Resource> {
    const old = deleted.account;
    const identity = old.identity?.systemPrincipalId
      ? { ...old.identity, systemPrincipalId: (await this.directory.createPrincipal(writer, 'SystemAssignedIdentity', old.name, old.id)).objectId }
      : old.identity;
    const account: Resource = {
      ...old,
      identity,
      ...(actor && { lastModifiedBy: actor }),
      lastModifiedAt: new Date(this.clock.now()).toISOString(),
    };
    await writer.put(resourceEntity, account);
    for (const deployment of deleted.deployments) await writer.put(resourceEntity, deployment);
    await writer.delete(deletedAccountEntity, deleted.key);
    return account;
  }

  /** The soft-deleted account (other than `key`'s own) that holds an endpoint name, if any. */
  async holding(writer: Writer, key: string, endpointName: string): Promise<DeletedAccount | undefined> {
    const now = this.clock.now();
    return (await writer.all(deletedAccountEntity)).find((d) => d.key !== key && !isExpired(d, now) && accountEndpointName(d.account) === endpointName);
  }

  private async purgeInWrite(writer: Writer, deleted: DeletedAccount): Promise<void> {
    for (const deployment of deleted.deployments) await this.upstreams.remove(writer, deployment.key);
    await this.keys.deleteKeys(writer, deleted.key);
    // The role assignments at its scope go with it now (a delete keeps them for a restore).
    await deleteAssignmentsUnder(writer, deleted.key);
    await writer.delete(deletedAccountEntity, deleted.key);
  }

  /** The deleted account at an address, unless its retention has ended or it was deleted at another location. */
  private find(address: DeletedAccountAddress): DeletedAccount | undefined {
    const found = this.table.get(this.keyOf(address));
    if (!found || isExpired(found, this.clock.now())) return undefined;
    return found.account.location === normaliseLocation(address.location) ? found : undefined;
  }

  /** The account key a deleted account is kept under. */
  keyOf(address: DeletedAccountAddress): string {
    return idKey(resourceId(this.subscriptionId(), address.group, RESOURCE_TYPES.account, [address.name]));
  }
}

/** `properties.restore` of an account PUT: true asks for a restore; anything but a boolean is a 400. */
export function restoreRequested(body: { readonly properties?: unknown }): boolean {
  const properties = body.properties;
  if (typeof properties !== 'object' || properties === null) return false;
  const restore = (properties as Record<string, unknown>)['restore'];
  if (restore === undefined || restore === null) return false;
  if (typeof restore !== 'boolean') throw resourceErrors.invalidContent("The 'properties.restore' property must be a boolean.");
  return restore;
}
