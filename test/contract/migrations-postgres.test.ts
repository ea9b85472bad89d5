import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { openDatabase } from '../../src/store/database.js';
import { ENTITIES } from '../../src/entities.js';
import { POSTGRES_URL, describePostgres, dropSchema } from '../fixtures/core.js';

describePostgres('migrations on a PostgreSQL shared with other schemas [postgres]', () => {
  // Test runs put each core in its own schema and drop it at the end, side by side with other processes'
  // migrations. Kysely's stock introspector read every schema's tables and failed ("schema … does not exist")
  // when one vanished under it; the migrator now looks at its own schema only (store/scoped-introspector.ts).
  test('opening a database succeeds while other schemas are created and dropped', async () => {
    const churner = new pg.Client({ connectionString: POSTGRES_URL });
    await churner.connect();
    let stop = false;
    const churn = (async () => {
      for (let i = 0; !stop; i++) {
        const schema = `kl_churn_${randomBytes(4).toString('hex')}_${i}`;
        await churner.query(`create schema ${schema}; create table ${schema}.t (id serial primary key); create table ${schema}.u (id bigserial)`);
        await churner.query(`drop schema ${schema} cascade`);
      }
    })();
    const failures: string[] = [];
    try {
      for (let i = 0; i < 20; i++) {
        const schema = `kl_test_${randomBytes(6).toString('hex')}`;
        try {
          const handle = await openDatabase({ url: POSTGRES_URL, schema, entities: ENTITIES });
          await handle.db.destroy();
        } catch (error) {
          failures.push((error as Error).message);
        } finally {
          await dropSchema(POSTGRES_URL, schema);
        }
      }
    } finally {
      stop = true;
      await churn;
      await churner.end();
    }
    assert.deepEqual(failures, []);
  });
});
