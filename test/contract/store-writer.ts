/**
 * A second Keyless process for the store contract tests: opens the same
 * database, says "ready", waits for a line on stdin, then runs `count`
 * concurrent read-modify-write transactions and prints their outcome as JSON.
 * Run as: node store-writer.js '<json config>'. Not a test file itself.
 */
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/store/database.js';
import { Store } from '../../src/store/store.js';
import { metaEntity } from '../../src/store/index.js';
import { ENTITIES } from '../../src/entities.js';

export interface WriterConfig {
  readonly url: string;
  readonly schema?: string;
  readonly counterKey: string;
  readonly prefix: string;
  readonly count: number;
}

export interface WriterOutcome {
  readonly revisions: number[];
  readonly errors: string[];
}

/** The transaction both processes run: read a counter, hold the transaction open briefly, write it back plus one key of its own. */
export async function increment(store: Store, counterKey: string, ownKey: string): Promise<number> {
  const { revision } = await store.write(async (w) => {
    const current = Number((await w.get(metaEntity, counterKey))?.value ?? '0');
    await new Promise((resolve) => setTimeout(resolve, 1));
    await w.put(metaEntity, { key: counterKey, value: String(current + 1) });
    await w.put(metaEntity, { key: ownKey, value: 'written' });
  });
  return revision;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as WriterConfig;
  const handle = await openDatabase({ url: config.url, entities: ENTITIES, ...(config.schema !== undefined ? { schema: config.schema } : {}) });
  const store = new Store(handle, ENTITIES);
  try {
    process.stdout.write('ready\n');
    await once(process.stdin, 'data');
    const settled = await Promise.allSettled(
      Array.from({ length: config.count }, (_, i) => increment(store, config.counterKey, `${config.prefix}:${i}`)),
    );
    const outcome: WriterOutcome = {
      revisions: settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])),
      errors: settled.flatMap((s) => (s.status === 'rejected' ? [String((s.reason as Error).message)] : [])),
    };
    process.stdout.write(`${JSON.stringify(outcome)}\n`);
  } finally {
    await store.close();
    process.stdin.destroy();
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
