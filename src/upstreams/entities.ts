import { sql } from 'kysely';
import { defineEntity } from '../store/index.js';
import type { Upstream } from './model.js';

type UpstreamRow = {
  deployment_key: string;
  url: string;
  model: string;
  sealed_key: string | null;
  timeout_ms: number;
  first_byte_timeout_ms: number;
  updated_at: string;
};

/** A deployment's upstream, with its sealed key; the table comes from its own migration. */
export const upstreamEntity = defineEntity({
  name: 'upstream',
  table: 'upstreams',
  key: ['deployment_key'],
  codec: {
    from: (r: UpstreamRow): Upstream => ({
      deploymentKey: r.deployment_key,
      url: r.url,
      model: r.model,
      sealedKey: r.sealed_key,
      timeoutMs: Number(r.timeout_ms),
      firstByteTimeoutMs: Number(r.first_byte_timeout_ms),
      updatedAt: r.updated_at,
    }),
    to: (u: Upstream): UpstreamRow => ({
      deployment_key: u.deploymentKey,
      url: u.url,
      model: u.model,
      sealed_key: u.sealedKey,
      timeout_ms: u.timeoutMs,
      first_byte_timeout_ms: u.firstByteTimeoutMs,
      updated_at: u.updatedAt,
    }),
  },
  migrations: {
    '0004_upstreams': () => [
      sql`create table upstreams (deployment_key text primary key, url text not null, model text not null, sealed_key text,
            timeout_ms integer not null, first_byte_timeout_ms integer not null, updated_at text not null)`,
    ],
  },
});
