import { sql } from 'kysely';
import { defineEntity } from '../store/index.js';
import type { AccountKey, KeyName } from './model.js';

type AccountKeyRow = { account_key: string; key_name: string; sealed: string; digest: string; created_at: string; generation: number };

/** An account's key1 or key2, keyed `${accountKey}|${keyName}` in the change log, found by keyed digest on the hot path. */
export const accountKeyEntity = defineEntity({
  name: 'accountKey',
  table: 'account_keys',
  key: ['account_key', 'key_name'],
  lookups: ['account_key'],
  codec: {
    from: (r: AccountKeyRow): AccountKey => ({
      accountKey: r.account_key, keyName: r.key_name as KeyName, sealed: r.sealed, digest: r.digest, createdAt: r.created_at, generation: Number(r.generation),
    }),
    to: (k: AccountKey): AccountKeyRow => ({
      account_key: k.accountKey, key_name: k.keyName, sealed: k.sealed, digest: k.digest, created_at: k.createdAt, generation: k.generation,
    }),
  },
  indexes: { digest: (k: AccountKey) => k.digest },
  migrations: {
    // Keys written before this migration count as never regenerated (their created_at still says when they last changed).
    '0007_account_key_generation': () => [sql`alter table account_keys add column generation integer not null default 1`],
  },
});
