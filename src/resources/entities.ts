import { defineEntity } from '../store/index.js';
import type { IdentityState, Resource, ResourceGroup } from './model.js';
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
};

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
    }),
    to: (x: Resource): ResourceRow => ({
      key: x.key, id: x.id, group_key: x.groupKey, parent_key: x.parentKey, type: x.type, name: x.name,
      location: x.location, kind: x.kind, sku: x.sku === null ? null : JSON.stringify(x.sku), tags: JSON.stringify(x.tags),
      properties: JSON.stringify(x.properties), identity: x.identity === null ? null : JSON.stringify(x.identity),
      created_at: x.createdAt,
    }),
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
