export type KeyName = 'key1' | 'key2';
export const KEY_NAMES: readonly KeyName[] = ['key1', 'key2'];

/** An account key at rest: sealed under the KEK, found by keyed digest. */
export interface AccountKey {
  readonly accountKey: string;
  readonly keyName: KeyName;
  readonly sealed: string;
  readonly digest: string;
  /** When this value was generated: the account's creation, or the key's latest regeneration. */
  readonly createdAt: string;
  /** 1 for the value generated with the account, +1 at each regeneration (posture's "never rotated"). */
  readonly generation: number;
}
