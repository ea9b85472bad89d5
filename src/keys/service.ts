import type { Clock } from '../shared/clock.js';
import { keyedDigest, open, randomHex, seal } from '../shared/crypto.js';
import { keyOf, type ReadModel, type Writer } from '../store/index.js';
import { KEY_NAMES, type AccountKey, type KeyName } from './model.js';
import { accountKeyEntity } from './entities.js';

const PURPOSE = 'account-key';
const context = (accountKey: string, keyName: KeyName): string => `accountKey:${accountKey}|${keyName}`;

/** The account that a presented key belongs to, and which of its keys matched. */
export interface KeyMatch {
  readonly accountKey: string;
  readonly keyName: KeyName;
}

/**
 * Account keys key1/key2: 64 hex characters of CSPRNG output, sealed
 * at rest, found by keyed digest so that verification is one map lookup
 * whose key is a MAC (the digest itself reveals nothing about the key).
 */
export class KeyService {
  // The hot path's index, kept: one Map lookup per request.
  private readonly byDigest: ReadonlyMap<string, AccountKey>;

  constructor(
    model: ReadModel,
    private readonly clock: Clock,
    private readonly kek: Buffer,
    private readonly pepper: () => Buffer,
  ) {
    this.byDigest = model.table(accountKeyEntity).index('digest');
  }

  async createKeys(writer: Writer, accountKey: string): Promise<void> {
    for (const keyName of KEY_NAMES) await this.putNewKey(writer, accountKey, keyName, 1);
  }

  async regenerate(writer: Writer, accountKey: string, keyName: KeyName): Promise<void> {
    const current = await writer.get(accountKeyEntity, `${accountKey}|${keyName}`);
    await this.putNewKey(writer, accountKey, keyName, (current?.generation ?? 0) + 1);
  }

  /** Inside a write: deletes an account's keys (with the account). */
  async deleteKeys(writer: Writer, accountKey: string): Promise<void> {
    for (const k of await writer.find(accountKeyEntity, 'account_key', accountKey)) {
      await writer.delete(accountKeyEntity, keyOf(accountKeyEntity, k));
    }
  }

  /** Both keys in clear text, for listKeys. Reads the transaction's view. */
  async list(writer: Writer, accountKey: string): Promise<Record<KeyName, string>> {
    const keys = await writer.find(accountKeyEntity, 'account_key', accountKey);
    const result: Record<string, string> = {};
    for (const k of keys) result[k.keyName] = open(this.kek, k.sealed, context(accountKey, k.keyName)).toString('utf8');
    return result as Record<KeyName, string>;
  }

  /** Which account key the presented value is, if any. The hot path: no SQL, no decryption. */
  match(presented: string): KeyMatch | undefined {
    const found = this.byDigest.get(keyedDigest(this.pepper(), PURPOSE, presented));
    return found && { accountKey: found.accountKey, keyName: found.keyName };
  }

  private async putNewKey(writer: Writer, accountKey: string, keyName: KeyName, generation: number): Promise<void> {
    const value = newAccountKey();
    const record: AccountKey = {
      accountKey,
      keyName,
      sealed: seal(this.kek, value, context(accountKey, keyName)),
      digest: keyedDigest(this.pepper(), PURPOSE, value),
      createdAt: new Date(this.clock.now()).toISOString(),
      generation,
    };
    await writer.put(accountKeyEntity, record);
  }
}

/** 256 bits of CSPRNG output as 64 hex characters (Azure's classic keys are 32 hex characters: same alphabet, twice the entropy). */
function newAccountKey(): string {
  return randomHex(32);
}
