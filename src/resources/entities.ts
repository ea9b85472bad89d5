import { sql } from 'kysely';
import { defineEntity } from '../store/index.js';
import type { IdentityState, Resource, ResourceActor, ResourceGroup } from './model.js';
import type { HostSecret } from './host-secret.js';

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
