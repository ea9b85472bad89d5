import { defineEntity } from '../store/index.js';
import type { AccountKey, KeyName } from './model.js';

type AccountKeyRow = { account_key: string; key_name: string; sealed: string; digest: string; created_at: string };

/** An account's key1 or key2, keyed `${accountKey}|${keyName}` in the change log, found by keyed digest on the hot path. */
export const accountKeyEntity = defineEntity({
  name: 'accountKey',
  table: 'account_keys',
  key: ['account_key', 'key_name'],
  lookups: ['account_key'],
  codec: {
    from: (r: AccountKeyRow): AccountKey => ({
      accountKey: r.account_key, keyName: r.key_name as KeyName, sealed: r.sealed, digest: r.digest, createdAt: r.created_at,
    }),
    to: (k: AccountKey): AccountKeyRow => ({
      account_key: k.accountKey, key_name: k.keyName, sealed: k.sealed, digest: k.digest, created_at: k.createdAt,
    }),
  },
  indexes: { digest: (k: AccountKey) => k.digest },
});
