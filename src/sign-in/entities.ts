import { sql } from 'kysely';
import { defineEntity } from '../store/index.js';
import type { SignInGrant, SignInGrantKind } from './model.js';

type SignInRow = {
  id: string;
  kind: string;
  digest: string;
  principal_id: string;
  session: string;
  expires_at: string;
  used_at: string | null;
  created_at: string;
};

/** One-time sign-in codes and portal refresh tokens (digests only), shared by every instance on the database. */
export const signInGrantEntity = defineEntity({
  name: 'signInGrant',
  table: 'portal_sign_ins',
  key: ['id'],
  codec: {
    from: (r: SignInRow): SignInGrant => ({
      id: r.id,
      kind: r.kind as SignInGrantKind,
      digest: r.digest,
      principalId: r.principal_id,
      session: r.session,
      expiresAt: r.expires_at,
      usedAt: r.used_at,
      createdAt: r.created_at,
    }),
    to: (g: SignInGrant): SignInRow => ({
      id: g.id,
      kind: g.kind,
      digest: g.digest,
      principal_id: g.principalId,
      session: g.session,
      expires_at: g.expiresAt,
      used_at: g.usedAt,
      created_at: g.createdAt,
    }),
  },
  migrations: {
    '0015_portal_sign_in': () => [
      sql`create table portal_sign_ins (id text primary key, kind text not null, digest text not null, principal_id text not null,
            session text not null, expires_at text not null, used_at text, created_at text not null)`,
    ],
  },
});
