import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { sql } from 'kysely';
import { UnavailableError } from '../../src/shared/errors.js';
import { describePostgres, openCore, POSTGRES_URL, type Core } from '../fixtures/core.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The database drops a connection the store holds between two statements (a
 * PostgreSQL restart or pg_terminate_backend mid-transaction): the write fails
 * as unavailable (503), the process lives on, and the next write works. Only
 * this test's own backend is terminated (found by its transaction's advisory
 * lock on its own random schema), so the shared server's other users are safe.
 */
describePostgres('a connection dropped mid-transaction [postgres]', () => {
  let core: Core;
  let admin: pg.Client;

  before(async () => {
    core = await openCore('postgres');
    admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
  });
  after(async () => {
    await admin?.end();
    await core?.close();
  });

  /** Terminates the backend holding this schema's writer lock (Store.write's pg_advisory_xact_lock(hashtext(schema))). */
  const terminateWriter = async (): Promise<number> => {
    const { rows } = await admin.query<{ pid: number }>(
      `select pid from pg_locks where locktype = 'advisory' and granted
         and classid::bigint = ((hashtext($1)::bigint >> 32) & 4294967295) and objid::bigint = (hashtext($1)::bigint & 4294967295)`,
      [core.target.schema],
    );
    assert.equal(rows.length, 1, 'one backend holds the writer lock');
    const pid = (rows[0] as { pid: number }).pid;
    await admin.query('select pg_terminate_backend($1)', [pid]);
    return pid;
  };

  test('the write fails with UnavailableError, the process survives, the next write succeeds', async () => {
    const before = await core.store.revision();
    await assert.rejects(
      core.store.write(async () => {
        await terminateWriter();
        // The termination arrives while no statement runs on the connection (pg emits 'error' on the client then).
        await sleep(300);
      }),
      (error: unknown) => error instanceof UnavailableError && error.code === 'DatabaseUnavailable',
    );
    // The pool has discarded the dead connection: reads and writes work again.
    assert.equal(await core.store.revision(), before);
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(core.store.sideTables);
    assert.equal(rows[0]?.one, 1);
    const { created } = await core.resources.putGroup('after-terminate', { location: 'eastus' });
    assert.equal(created, true);
    assert.ok((await core.store.revision()) > before);
  });
});
