import { sql, type Kysely } from 'kysely';
import type { Database, Entity } from './schema.js';
import type { DatabaseHandle } from './database.js';
import {
  accountKeyRow, assignmentRow, certificateRow, federatedCredentialRow, groupRow, hostSecretRow, principalRow, resourceRow, secretRow,
  signingKeyRow,
} from './rows.js';
import type { HostSecret } from '../resources/host-secret.js';
import type { ClientCertificate, ClientSecret, FederatedCredential, Principal } from '../directory/model.js';
import type { Resource, ResourceGroup } from '../resources/model.js';
import type { AccountKey } from '../keys/model.js';
import type { RoleAssignment } from '../rbac/model.js';
import type { SigningKeyRecord } from '../tokens/model.js';

export interface Change {
  readonly rev: number;
  readonly entity: Entity;
  readonly key: string;
}

/** Everything the read model needs at start-up. */
export interface FullState {
  readonly revision: number;
  readonly meta: ReadonlyMap<string, string>;
  readonly principals: readonly Principal[];
  readonly secrets: readonly ClientSecret[];
  readonly groups: readonly ResourceGroup[];
  readonly resources: readonly Resource[];
  readonly accountKeys: readonly AccountKey[];
  readonly assignments: readonly RoleAssignment[];
  readonly signingKeys: readonly SigningKeyRecord[];
  readonly hostSecrets: readonly HostSecret[];
  readonly certificates: readonly ClientCertificate[];
  readonly federatedCredentials: readonly FederatedCredential[];
}

/** One entity as it now is in the database, or undefined when deleted. */
export type EntityValue =
  | { entity: 'meta'; key: string; value: string | undefined }
  | { entity: 'principal'; key: string; value: Principal | undefined }
  | { entity: 'secret'; key: string; value: ClientSecret | undefined }
  | { entity: 'group'; key: string; value: ResourceGroup | undefined }
  | { entity: 'resource'; key: string; value: Resource | undefined }
  | { entity: 'accountKey'; key: string; value: AccountKey | undefined }
  | { entity: 'assignment'; key: string; value: RoleAssignment | undefined }
  | { entity: 'signingKey'; key: string; value: SigningKeyRecord | undefined }
  | { entity: 'hostSecret'; key: string; value: HostSecret | undefined }
  | { entity: 'certificate'; key: string; value: ClientCertificate | undefined }
  | { entity: 'federatedCredential'; key: string; value: FederatedCredential | undefined };

/**
 * The one persistent store. Every write runs in a transaction that also
 * appends its changes under a new revision number; writers are serialised
 * (an advisory lock on PostgreSQL, the single connection on SQLite) so that
 * revisions commit in order and any process can catch up by reading the
 * change log. Reads for request handling come from the read model, not here.
 */
export class Store {
  readonly dialect: DatabaseHandle['dialect'];
  private readonly db: Kysely<Database>;

  constructor(handle: DatabaseHandle) {
    this.db = handle.db;
    this.dialect = handle.dialect;
  }

  /** Runs `work` atomically; returns its value and the revision of its changes (0 if it changed nothing). */
  async write<T>(work: (writer: Writer) => Promise<T>): Promise<{ value: T; revision: number }> {
    const body = async (trx: Kysely<Database>) => {
      const writer = new Writer(trx);
      const value = await work(writer);
      const changes = writer.changes();
      if (changes.length === 0) return { value, revision: 0 };
      const inserted = await trx
        .insertInto('revisions')
        .values({ at: new Date().toISOString() })
        .returning('rev')
        .executeTakeFirstOrThrow();
      const rev = Number(inserted.rev);
      // Chunked: one statement may bind at most ~32k parameters (SQLite) or 65k (PostgreSQL).
      for (let i = 0; i < changes.length; i += CHANGE_CHUNK) {
        const chunk = changes.slice(i, i + CHANGE_CHUNK).map((c) => ({ rev, entity: c.entity, key: c.key }));
        await trx.insertInto('changes').values(chunk).execute();
      }
      return { value, revision: rev };
    };
    if (this.dialect === 'postgres') {
      return this.db.transaction().execute(async (trx) => {
        // One writer at a time across every process, so that revisions commit in order.
        await sql`select pg_advisory_xact_lock(hashtext(current_schema()))`.execute(trx);
        return body(trx);
      });
    }
    // SQLite: BEGIN IMMEDIATE takes the write lock up front, so a second process waits
    // (busy_timeout) instead of failing to upgrade a read lock half-way.
    return this.db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        const result = await body(conn);
        await sql`commit`.execute(conn);
        return result;
      } catch (error) {
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw error;
      }
    });
  }

  async revision(): Promise<number> {
    const row = await this.db.selectFrom('revisions').select((eb) => eb.fn.max('rev').as('rev')).executeTakeFirst();
    return Number(row?.rev ?? 0);
  }

  async changesSince(rev: number): Promise<Change[]> {
    const rows = await this.db.selectFrom('changes').selectAll().where('rev', '>', rev).orderBy('rev').execute();
    return rows.map((r) => ({ rev: Number(r.rev), entity: r.entity as Entity, key: r.key }));
  }

  /**
   * The changes after `rev` and the current value of every entity they name,
   * read in one snapshot: a batch never mixes one revision's state with the
   * next one's.
   */
  async changesWithValues(rev: number): Promise<{ changes: Change[]; values: EntityValue[] }> {
    const transaction = this.dialect === 'postgres' ? this.db.transaction().setIsolationLevel('repeatable read') : this.db.transaction();
    return transaction.execute(async (trx) => {
      const rows = await trx.selectFrom('changes').selectAll().where('rev', '>', rev).orderBy('rev').execute();
      const changes = rows.map((r) => ({ rev: Number(r.rev), entity: r.entity as Entity, key: r.key }));
      const reader = new Reader(trx);
      const seen = new Set<string>();
      const values: EntityValue[] = [];
      for (const change of changes) {
        const id = `${change.entity}\0${change.key}`;
        if (seen.has(id)) continue;
        seen.add(id);
        values.push(await reader.load(change.entity, change.key));
      }
      return { changes, values };
    });
  }

  /** Loads everything, at one consistent revision. */
  async loadAll(): Promise<FullState> {
    const transaction = this.dialect === 'postgres' ? this.db.transaction().setIsolationLevel('repeatable read') : this.db.transaction();
    return transaction.execute(async (trx) => {
      const revRow = await trx.selectFrom('revisions').select((eb) => eb.fn.max('rev').as('rev')).executeTakeFirst();
      const meta = await trx.selectFrom('meta').selectAll().execute();
      return {
        revision: Number(revRow?.rev ?? 0),
        meta: new Map(meta.map((m) => [m.key, m.value])),
        principals: (await trx.selectFrom('principals').selectAll().execute()).map(principalRow.from),
        secrets: (await trx.selectFrom('client_secrets').selectAll().execute()).map(secretRow.from),
        groups: (await trx.selectFrom('resource_groups').selectAll().execute()).map(groupRow.from),
        resources: (await trx.selectFrom('resources').selectAll().execute()).map(resourceRow.from),
        accountKeys: (await trx.selectFrom('account_keys').selectAll().execute()).map(accountKeyRow.from),
        assignments: (await trx.selectFrom('role_assignments').selectAll().execute()).map(assignmentRow.from),
        signingKeys: (await trx.selectFrom('signing_keys').selectAll().execute()).map(signingKeyRow.from),
        hostSecrets: (await trx.selectFrom('host_secrets').selectAll().execute()).map(hostSecretRow.from),
        certificates: (await trx.selectFrom('client_certificates').selectAll().execute()).map(certificateRow.from),
        federatedCredentials: (await trx.selectFrom('federated_credentials').selectAll().execute()).map(federatedCredentialRow.from),
      };
    });
  }

  /** Reads one entity's current value (for applying a change). */
  async load(entity: Entity, key: string): Promise<EntityValue> {
    return new Reader(this.db).load(entity, key);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

/** Point reads, usable inside or outside a transaction. */
export class Reader {
  constructor(protected readonly db: Kysely<Database>) {}

  async meta(key: string): Promise<string | undefined> {
    return (await this.db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst())?.value;
  }

  async principal(objectId: string): Promise<Principal | undefined> {
    const row = await this.db.selectFrom('principals').selectAll().where('object_id', '=', objectId).executeTakeFirst();
    return row && principalRow.from(row);
  }

  async group(key: string): Promise<ResourceGroup | undefined> {
    const row = await this.db.selectFrom('resource_groups').selectAll().where('key', '=', key).executeTakeFirst();
    return row && groupRow.from(row);
  }

  async resource(key: string): Promise<Resource | undefined> {
    const row = await this.db.selectFrom('resources').selectAll().where('key', '=', key).executeTakeFirst();
    return row && resourceRow.from(row);
  }

  async resourcesInGroup(groupKey: string): Promise<Resource[]> {
    const rows = await this.db.selectFrom('resources').selectAll().where('group_key', '=', groupKey).execute();
    return rows.map(resourceRow.from);
  }

  async resourcesOfType(type: string): Promise<Resource[]> {
    const rows = await this.db.selectFrom('resources').selectAll().where('type', '=', type).execute();
    return rows.map(resourceRow.from);
  }

  async children(parentKey: string): Promise<Resource[]> {
    const rows = await this.db.selectFrom('resources').selectAll().where('parent_key', '=', parentKey).execute();
    return rows.map(resourceRow.from);
  }

  async accountKeys(accountKey: string): Promise<AccountKey[]> {
    const rows = await this.db.selectFrom('account_keys').selectAll().where('account_key', '=', accountKey).execute();
    return rows.map(accountKeyRow.from);
  }

  async assignment(key: string): Promise<RoleAssignment | undefined> {
    const row = await this.db.selectFrom('role_assignments').selectAll().where('key', '=', key).executeTakeFirst();
    return row && assignmentRow.from(row);
  }

  async assignmentsOf(principalId: string): Promise<RoleAssignment[]> {
    const rows = await this.db
      .selectFrom('role_assignments').selectAll().where('principal_id', '=', principalId.toLowerCase()).execute();
    return rows.map(assignmentRow.from);
  }

  async secretsOf(objectId: string): Promise<ClientSecret[]> {
    const rows = await this.db.selectFrom('client_secrets').selectAll().where('object_id', '=', objectId).execute();
    return rows.map(secretRow.from);
  }

  async certificatesOf(objectId: string): Promise<ClientCertificate[]> {
    const rows = await this.db.selectFrom('client_certificates').selectAll().where('object_id', '=', objectId).execute();
    return rows.map(certificateRow.from);
  }

  async federatedCredentialsOf(objectId: string): Promise<FederatedCredential[]> {
    const rows = await this.db.selectFrom('federated_credentials').selectAll().where('object_id', '=', objectId).execute();
    return rows.map(federatedCredentialRow.from);
  }

  async signingKeys(): Promise<SigningKeyRecord[]> {
    return (await this.db.selectFrom('signing_keys').selectAll().execute()).map(signingKeyRow.from);
  }

  async hostSecret(resourceKey: string): Promise<HostSecret | undefined> {
    const row = await this.db.selectFrom('host_secrets').selectAll().where('resource_key', '=', resourceKey).executeTakeFirst();
    return row && hostSecretRow.from(row);
  }

  async load(entity: Entity, key: string): Promise<EntityValue> {
    const db = this.db;
    switch (entity) {
      case 'meta':
        return { entity, key, value: await this.meta(key) };
      case 'principal':
        return { entity, key, value: await this.principal(key) };
      case 'secret': {
        const row = await db.selectFrom('client_secrets').selectAll().where('id', '=', key).executeTakeFirst();
        return { entity, key, value: row && secretRow.from(row) };
      }
      case 'group':
        return { entity, key, value: await this.group(key) };
      case 'resource':
        return { entity, key, value: await this.resource(key) };
      case 'accountKey': {
        const [accountKey = '', keyName = ''] = splitKey(key);
        const row = await db.selectFrom('account_keys').selectAll()
          .where('account_key', '=', accountKey).where('key_name', '=', keyName).executeTakeFirst();
        return { entity, key, value: row && accountKeyRow.from(row) };
      }
      case 'assignment':
        return { entity, key, value: await this.assignment(key) };
      case 'signingKey': {
        const row = await db.selectFrom('signing_keys').selectAll().where('kid', '=', key).executeTakeFirst();
        return { entity, key, value: row && signingKeyRow.from(row) };
      }
      case 'hostSecret':
        return { entity, key, value: await this.hostSecret(key) };
      case 'certificate': {
        const row = await db.selectFrom('client_certificates').selectAll().where('id', '=', key).executeTakeFirst();
        return { entity, key, value: row && certificateRow.from(row) };
      }
      case 'federatedCredential': {
        const row = await db.selectFrom('federated_credentials').selectAll().where('id', '=', key).executeTakeFirst();
        return { entity, key, value: row && federatedCredentialRow.from(row) };
      }
    }
  }
}

/** Rows per INSERT into the change log (3 parameters each). */
const CHANGE_CHUNK = 1000;

export const accountKeyId = (accountKey: string, keyName: string): string => `${accountKey}|${keyName}`;
const splitKey = (key: string): string[] => {
  const at = key.lastIndexOf('|');
  return [key.slice(0, at), key.slice(at + 1)];
};

/** The only way to change state: every mutation records its change. */
export class Writer extends Reader {
  private readonly pending: { entity: Entity; key: string }[] = [];

  constructor(private readonly trx: Kysely<Database>) {
    super(trx);
  }

  changes(): readonly { entity: Entity; key: string }[] {
    return this.pending;
  }

  private touch(entity: Entity, key: string): void {
    this.pending.push({ entity, key });
  }

  async putMeta(key: string, value: string): Promise<void> {
    await this.trx.insertInto('meta').values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
    this.touch('meta', key);
  }

  async putPrincipal(p: Principal): Promise<void> {
    const row = principalRow.to(p);
    await this.trx.insertInto('principals').values(row)
      .onConflict((oc) => oc.column('object_id').doUpdateSet(row)).execute();
    this.touch('principal', p.objectId);
  }

  async deletePrincipal(objectId: string): Promise<void> {
    // A principal's credentials go with it.
    for (const secret of await this.secretsOf(objectId)) await this.deleteSecret(secret.id);
    for (const certificate of await this.certificatesOf(objectId)) await this.deleteCertificate(certificate.id);
    for (const credential of await this.federatedCredentialsOf(objectId)) await this.deleteFederatedCredential(credential.id);
    await this.trx.deleteFrom('principals').where('object_id', '=', objectId).execute();
    this.touch('principal', objectId);
  }

  async putSecret(s: ClientSecret): Promise<void> {
    const row = secretRow.to(s);
    await this.trx.insertInto('client_secrets').values(row).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
    this.touch('secret', s.id);
  }

  async deleteSecret(id: string): Promise<void> {
    await this.trx.deleteFrom('client_secrets').where('id', '=', id).execute();
    this.touch('secret', id);
  }

  async putGroup(g: ResourceGroup): Promise<void> {
    const row = groupRow.to(g);
    await this.trx.insertInto('resource_groups').values(row).onConflict((oc) => oc.column('key').doUpdateSet(row)).execute();
    this.touch('group', g.key);
  }

  async deleteGroup(key: string): Promise<void> {
    await this.trx.deleteFrom('resource_groups').where('key', '=', key).execute();
    this.touch('group', key);
  }

  async putResource(r: Resource): Promise<void> {
    const row = resourceRow.to(r);
    await this.trx.insertInto('resources').values(row).onConflict((oc) => oc.column('key').doUpdateSet(row)).execute();
    this.touch('resource', r.key);
  }

  async deleteResource(key: string): Promise<void> {
    await this.trx.deleteFrom('resources').where('key', '=', key).execute();
    this.touch('resource', key);
  }

  async putAccountKey(k: AccountKey): Promise<void> {
    const row = accountKeyRow.to(k);
    await this.trx.insertInto('account_keys').values(row)
      .onConflict((oc) => oc.columns(['account_key', 'key_name']).doUpdateSet(row)).execute();
    this.touch('accountKey', accountKeyId(k.accountKey, k.keyName));
  }

  async deleteAccountKeys(accountKey: string): Promise<void> {
    for (const k of await this.accountKeys(accountKey)) this.touch('accountKey', accountKeyId(accountKey, k.keyName));
    await this.trx.deleteFrom('account_keys').where('account_key', '=', accountKey).execute();
  }

  async putAssignment(a: RoleAssignment): Promise<void> {
    const row = assignmentRow.to(a);
    await this.trx.insertInto('role_assignments').values(row).onConflict((oc) => oc.column('key').doUpdateSet(row)).execute();
    this.touch('assignment', row.key);
  }

  async deleteAssignment(key: string): Promise<void> {
    await this.trx.deleteFrom('role_assignments').where('key', '=', key).execute();
    this.touch('assignment', key);
  }

  async putCertificate(c: ClientCertificate): Promise<void> {
    const row = certificateRow.to(c);
    await this.trx.insertInto('client_certificates').values(row).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
    this.touch('certificate', c.id);
  }

  async deleteCertificate(id: string): Promise<void> {
    await this.trx.deleteFrom('client_certificates').where('id', '=', id).execute();
    this.touch('certificate', id);
  }

  async putFederatedCredential(f: FederatedCredential): Promise<void> {
    const row = federatedCredentialRow.to(f);
    await this.trx.insertInto('federated_credentials').values(row).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
    this.touch('federatedCredential', f.id);
  }

  async deleteFederatedCredential(id: string): Promise<void> {
    await this.trx.deleteFrom('federated_credentials').where('id', '=', id).execute();
    this.touch('federatedCredential', id);
  }

  async putHostSecret(h: HostSecret): Promise<void> {
    const row = hostSecretRow.to(h);
    await this.trx.insertInto('host_secrets').values(row).onConflict((oc) => oc.column('resource_key').doUpdateSet(row)).execute();
    this.touch('hostSecret', h.resourceKey);
  }

  async deleteHostSecret(resourceKey: string): Promise<void> {
    await this.trx.deleteFrom('host_secrets').where('resource_key', '=', resourceKey).execute();
    this.touch('hostSecret', resourceKey);
  }

  /** Deletes every role assignment at `scopeKey` (a lowercased resource or group id) or beneath it. */
  async deleteAssignmentsUnder(scopeKey: string): Promise<void> {
    const prefix = `${scopeKey}/`;
    // substr, not LIKE: names may contain LIKE's wildcards.
    const rows = await this.trx
      .selectFrom('role_assignments')
      .select('key')
      .where(sql<boolean>`substr(key, 1, ${prefix.length}) = ${prefix}`)
      .execute();
    for (const row of rows) await this.deleteAssignment(row.key);
  }

  async putSigningKey(k: SigningKeyRecord): Promise<void> {
    const row = signingKeyRow.to(k);
    await this.trx.insertInto('signing_keys').values(row).onConflict((oc) => oc.column('kid').doUpdateSet(row)).execute();
    this.touch('signingKey', k.kid);
  }
}
