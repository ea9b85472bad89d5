import { sql } from 'kysely';
import { defineEntity } from '../store/index.js';
import type { IdentityState, Resource, ResourceActor, ResourceGroup } from './model.js';
import type { HostSecret } from './host-secret.js';
import type { DeletedAccount } from './deleted-account.js';

/** The resources context's entities as the store keeps them: tables, row mapping, read-model indexes. */

type GroupRow = { key: string; id: string; name: string; location: string; tags: string; created_at: string };

export const groupEntity = defineEntity({
  name: 'group',
  table: 'resource_groups',
  key: ['key'],
  codec: {
    from: (r: GroupRow): ResourceGroup => ({
      id: r.id, key: r.key, name: r.name, location: r.location, tags: JSON.parse(r.tags) as Record<string, string>,
      createdAt: r.created_at,
    }),
    to: (g: ResourceGroup): GroupRow => ({
      key: g.key, id: g.id, name: g.name, location: g.location, tags: JSON.stringify(g.tags), created_at: g.createdAt,
    }),
  },
});

type ResourceRow = {
  key: string; id: string; group_key: string; parent_key: string | null; type: string; name: string; location: string;
  kind: string | null; sku: string | null; tags: string; properties: string; identity: string | null; created_at: string;
  // systemData's who and when (0012); null in rows written before.
  created_by: string | null; created_by_type: string | null;
  last_modified_by: string | null; last_modified_by_type: string | null; last_modified_at: string | null;
};

const actorOf = (id: string | null, type: string | null): ResourceActor | undefined =>
  id === null || type === null ? undefined : { id, type: type as ResourceActor['type'] };

/** The systemData fields a row holds, leaving out those it does not (rows written before 0012). */
function authorshipOf(r: ResourceRow): Pick<Resource, 'createdBy' | 'lastModifiedBy' | 'lastModifiedAt'> {
  const createdBy = actorOf(r.created_by, r.created_by_type);
  const lastModifiedBy = actorOf(r.last_modified_by, r.last_modified_by_type);
  return {
    ...(createdBy && { createdBy }),
    ...(lastModifiedBy && { lastModifiedBy }),
    ...(r.last_modified_at !== null && { lastModifiedAt: r.last_modified_at }),
  };
}

export const resourceEntity = defineEntity({
  name: 'resource',
  table: 'resources',
  key: ['key'],
  lookups: ['group_key', 'parent_key', 'type'],
  codec: {
    from: (r: ResourceRow): Resource => ({
      id: r.id, key: r.key, groupKey: r.group_key, parentKey: r.parent_key, type: r.type, name: r.name,
      location: r.location, kind: r.kind, sku: r.sku === null ? null : (JSON.parse(r.sku) as Record<string, unknown>),
      tags: JSON.parse(r.tags) as Record<string, string>, properties: JSON.parse(r.properties) as Record<string, unknown>,
      identity: r.identity === null ? null : (JSON.parse(r.identity) as IdentityState), createdAt: r.created_at,
      ...authorshipOf(r),
    }),
    to: (x: Resource): ResourceRow => ({
      key: x.key, id: x.id, group_key: x.groupKey, parent_key: x.parentKey, type: x.type, name: x.name,
      location: x.location, kind: x.kind, sku: x.sku === null ? null : JSON.stringify(x.sku), tags: JSON.stringify(x.tags),
      properties: JSON.stringify(x.properties), identity: x.identity === null ? null : JSON.stringify(x.identity),
      created_at: x.createdAt,
      created_by: x.createdBy?.id ?? null, created_by_type: x.createdBy?.type ?? null,
      last_modified_by: x.lastModifiedBy?.id ?? null, last_modified_by_type: x.lastModifiedBy?.type ?? null,
      last_modified_at: x.lastModifiedAt ?? null,
    }),
  },
  migrations: {
    // Who created and last changed each resource, for ARM's systemData. Nullable: existing rows keep no author.
    '0013_system_data': () => [
      sql`alter table resources add column created_by text`,
      sql`alter table resources add column created_by_type text`,
      sql`alter table resources add column last_modified_by text`,
      sql`alter table resources add column last_modified_by_type text`,
      sql`alter table resources add column last_modified_at text`,
    ],
  },
});

type HostSecretRow = { resource_key: string; sealed: string; digest: string; created_at: string };

export const hostSecretEntity = defineEntity({
  name: 'hostSecret',
  table: 'host_secrets',
  key: ['resource_key'],
  codec: {
    from: (r: HostSecretRow): HostSecret => ({ resourceKey: r.resource_key, sealed: r.sealed, digest: r.digest, createdAt: r.created_at }),
    to: (h: HostSecret): HostSecretRow => ({ resource_key: h.resourceKey, sealed: h.sealed, digest: h.digest, created_at: h.createdAt }),
  },
  indexes: { digest: (h: HostSecret) => h.digest },
});

type DeletedAccountRow = { key: string; id: string; location: string; account: string; deployments: string; deleted_at: string; purge_at: string };

/**
 * Soft-deleted accounts (0016): the account and its deployments as JSON, as
 * `resources` keeps them; `id` and `location` are the account's, in columns
 * for whoever reads the table by hand.
 */
export const deletedAccountEntity = defineEntity({
  name: 'deletedAccount',
  table: 'deleted_accounts',
  key: ['key'],
  codec: {
    from: (r: DeletedAccountRow): DeletedAccount => ({
      key: r.key,
      account: JSON.parse(r.account) as Resource,
      deployments: JSON.parse(r.deployments) as Resource[],
      deletedAt: r.deleted_at,
      purgeAt: r.purge_at,
    }),
    to: (d: DeletedAccount): DeletedAccountRow => ({
      key: d.key, id: d.account.id, location: d.account.location, account: JSON.stringify(d.account),
      deployments: JSON.stringify(d.deployments), deleted_at: d.deletedAt, purge_at: d.purgeAt,
    }),
  },
  migrations: {
    '0016_deleted_accounts': () => [
      sql`create table deleted_accounts (key text primary key, id text not null, location text not null, account text not null,
            deployments text not null, deleted_at text not null, purge_at text not null)`,
    ],
  },
});
