import { sql } from 'kysely';
import { defineEntity } from '../store/index.js';
import type { Fault, FaultEffect, FaultSurface } from './model.js';

type FaultRow = {
  id: string;
  surface: string;
  host: string | null;
  client_id: string | null;
  deployment: string | null;
  effect: string;
  times: number | null;
  expires_at: string | null;
  created_at: string;
};

/** An injected fault; in the change log like any entity, so that every instance on the database injects it. */
export const faultEntity = defineEntity({
  name: 'fault',
  table: 'faults',
  key: ['id'],
  codec: {
    from: (r: FaultRow): Fault => ({
      id: r.id,
      surface: r.surface as FaultSurface,
      host: r.host,
      clientId: r.client_id,
      deployment: r.deployment,
      effect: JSON.parse(r.effect) as FaultEffect,
      times: r.times === null ? null : Number(r.times),
      expiresAt: r.expires_at,
      createdAt: r.created_at,
    }),
    to: (f: Fault): FaultRow => ({
      id: f.id,
      surface: f.surface,
      host: f.host,
      client_id: f.clientId,
      deployment: f.deployment,
      effect: JSON.stringify(f.effect),
      times: f.times,
      expires_at: f.expiresAt,
      created_at: f.createdAt,
    }),
  },
  migrations: {
    '0010_faults': () => [
      sql`create table faults (id text primary key, surface text not null, host text, client_id text, deployment text,
            effect text not null, times integer, expires_at text, created_at text not null)`,
    ],
  },
});
