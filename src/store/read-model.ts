import type { EntityValue, FullState, Store } from './store.js';
import type { Entity } from './schema.js';
import type { ClientCertificate, ClientSecret, FederatedCredential, Principal } from '../directory/model.js';
import type { Resource, ResourceGroup } from '../resources/model.js';
import type { AccountKey } from '../keys/model.js';
import type { SigningKeyRecord } from '../tokens/model.js';
import { AssignmentIndex } from '../rbac/assignment-index.js';
import type { HostSecret } from '../resources/host-secret.js';
import { accountKeyId } from './store.js';

type Listener = (change: EntityValue) => void;

/**
 * The in-memory indexes that serve every read. They are rebuilt from the
 * change log: after a local write, `catchUp()` applies it before the write is
 * acknowledged; other processes sharing the database apply it on their next
 * poll. Entries are replaced, never mutated, so readers need no locks.
 */
export class ReadModel {
  revision = 0;
  readonly meta = new Map<string, string>();
  readonly principals = new Map<string, Principal>();
  readonly principalsByAppId = new Map<string, Principal>();
  readonly secrets = new Map<string, ClientSecret>();
  readonly secretsByDigest = new Map<string, ClientSecret>();
  readonly groups = new Map<string, ResourceGroup>();
  readonly resources = new Map<string, Resource>();
  readonly accountKeys = new Map<string, AccountKey>();
  readonly accountKeysByDigest = new Map<string, AccountKey>();
  readonly assignments = new AssignmentIndex();
  readonly signingKeys = new Map<string, SigningKeyRecord>();
  readonly hostSecrets = new Map<string, HostSecret>();
  readonly hostSecretsByDigest = new Map<string, HostSecret>();
  readonly certificates = new Map<string, ClientCertificate>();
  readonly federatedCredentials = new Map<string, FederatedCredential>();
  private readonly listeners = new Map<Entity, Listener[]>();
  private catching: Promise<void> = Promise.resolve();

  constructor(private readonly store: Store) {}

  async load(): Promise<void> {
    const state = await this.store.loadAll();
    this.replaceAll(state);
  }

  /** Applies every change committed since the last one applied. Calls are serialised. */
  catchUp(): Promise<void> {
    const next = this.catching.then(() => this.applyPending());
    this.catching = next.catch(() => undefined);
    return next;
  }

  /** Waits until at least `revision` is applied. */
  async reach(revision: number): Promise<void> {
    if (this.revision >= revision) return;
    await this.catchUp();
  }

  on(entity: Entity, listener: Listener): void {
    const list = this.listeners.get(entity) ?? [];
    list.push(listener);
    this.listeners.set(entity, list);
  }

  private async applyPending(): Promise<void> {
    // Every changed entity is loaded first, in the changes' own snapshot; then all are applied and notified in one
    // synchronous step: a listener (the keyring, say) never sees half a batch, e.g. the old signing key retired but
    // the next not yet promoted, and no batch mixes two revisions.
    const { changes, values } = await this.store.changesWithValues(this.revision);
    if (changes.length === 0) return;
    for (const value of values) this.apply(value, false);
    for (const value of values) this.notify(value);
    this.revision = changes.reduce((max, c) => Math.max(max, c.rev), this.revision);
  }

  private replaceAll(state: FullState): void {
    this.revision = state.revision;
    for (const [key, value] of state.meta) this.apply({ entity: 'meta', key, value });
    for (const p of state.principals) this.apply({ entity: 'principal', key: p.objectId, value: p });
    for (const s of state.secrets) this.apply({ entity: 'secret', key: s.id, value: s });
    for (const g of state.groups) this.apply({ entity: 'group', key: g.key, value: g });
    for (const r of state.resources) this.apply({ entity: 'resource', key: r.key, value: r });
    for (const k of state.accountKeys) this.apply({ entity: 'accountKey', key: accountKeyId(k.accountKey, k.keyName), value: k });
    for (const a of state.assignments) this.apply({ entity: 'assignment', key: a.id.toLowerCase(), value: a });
    for (const k of state.signingKeys) this.apply({ entity: 'signingKey', key: k.kid, value: k });
    for (const h of state.hostSecrets) this.apply({ entity: 'hostSecret', key: h.resourceKey, value: h });
    for (const c of state.certificates) this.apply({ entity: 'certificate', key: c.id, value: c });
    for (const f of state.federatedCredentials) this.apply({ entity: 'federatedCredential', key: f.id, value: f });
  }

  private apply(change: EntityValue, notify = true): void {
    switch (change.entity) {
      case 'meta':
        setOrDelete(this.meta, change.key, change.value);
        break;
      case 'principal':
        setIndexed(this.principals, this.principalsByAppId, (p) => p.appId.toLowerCase(), change.key, change.value);
        break;
      case 'secret':
        setIndexed(this.secrets, this.secretsByDigest, (s) => s.digest, change.key, change.value);
        break;
      case 'group':
        setOrDelete(this.groups, change.key, change.value);
        break;
      case 'resource':
        setOrDelete(this.resources, change.key, change.value);
        break;
      case 'accountKey':
        setIndexed(this.accountKeys, this.accountKeysByDigest, (k) => k.digest, change.key, change.value);
        break;
      case 'assignment':
        if (change.value) this.assignments.upsert(change.value);
        else this.assignments.remove(change.key);
        break;
      case 'signingKey':
        setOrDelete(this.signingKeys, change.key, change.value);
        break;
      case 'hostSecret':
        setIndexed(this.hostSecrets, this.hostSecretsByDigest, (h) => h.digest, change.key, change.value);
        break;
      case 'certificate':
        setOrDelete(this.certificates, change.key, change.value);
        break;
      case 'federatedCredential':
        setOrDelete(this.federatedCredentials, change.key, change.value);
        break;
    }
    if (notify) this.notify(change);
  }

  private notify(change: EntityValue): void {
    for (const listener of this.listeners.get(change.entity) ?? []) listener(change);
  }
}

function setOrDelete<V>(map: Map<string, V>, key: string, value: V | undefined): void {
  if (value === undefined) map.delete(key);
  else map.set(key, value);
}

/**
 * Sets or deletes an entity and keeps its secondary index (client id, digest)
 * in step. The old index entry goes only if it still points at this entity:
 * within one catch-up, another entity may have taken the value since.
 */
function setIndexed<V>(primary: Map<string, V>, index: Map<string, V>, indexKey: (value: V) => string, key: string, value: V | undefined): void {
  const old = primary.get(key);
  if (old !== undefined && index.get(indexKey(old)) === old) index.delete(indexKey(old));
  setOrDelete(primary, key, value);
  if (value !== undefined) index.set(indexKey(value), value);
}
