export type KeyName = 'key1' | 'key2';
export const KEY_NAMES: readonly KeyName[] = ['key1', 'key2'];

/** An account key at rest: sealed under the KEK, found by keyed digest. */
export interface AccountKey {
  readonly accountKey: string;
  readonly keyName: KeyName;
  readonly sealed: string;
  readonly digest: string;
  readonly createdAt: string;
}
