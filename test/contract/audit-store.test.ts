import { after, before, beforeEach, describe, test } from 'node:test';
import { ENTITIES } from '../../src/entities.js';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { openDatabase, type DatabaseHandle } from '../../src/store/database.js';
import { AuditStore } from '../../src/store/audit-store.js';
import { AuditLog, type AuditRecord } from '../../src/audit/index.js';
import { describeEachDialect, openCore, type Core } from '../fixtures/core.js';
import { AuditThreadGone, AuditWriterThread } from '../../src/store/audit-thread.js';
import { flattenRecords } from '../../src/store/audit-columns.js';

const ACCOUNT = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/acct1';

const at = (second: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();

const record = (n: number, over: Partial<AuditRecord> = {}): AuditRecord => ({
  at: at(n % 3600),
  surface: 'openai',
  operation: 'POST /openai/deployments/{deployment-id}/chat/completions',
  account: ACCOUNT,
  principalId: null,
  principalType: null,
  keyName: null,
  decision: 'allowed',
  reason: `reason ${n}`,
  requestId: `req-${n}`,
  ...over,
});

const reqs = (records: readonly AuditRecord[]): string[] => records.map((r) => r.requestId ?? '');

describeEachDialect('audit store', (open) => {
  let core: Core;
  let handle: DatabaseHandle;
  let store: AuditStore;
  before(async () => {
    core = await open();
    // A second handle on the core's database, as the server would give the audit store its own.
    handle = await openDatabase({ url: core.target.url, entities: ENTITIES, ...(core.target.schema !== undefined ? { schema: core.target.schema } : {}) });
    store = new AuditStore(handle);
  });
  after(async () => {
    await store?.close();
    await handle?.db.destroy();
    await core?.close();
  });
  beforeEach(async () => {
    await handle.db.deleteFrom('audit_records').execute();
  });

  test('appends and reads back every field, newest first', async () => {
    const principalId = randomUUID();
    const full = record(1, {
      surface: 'identity',
      operation: 'GET /msi/token',
      principalId,
      principalType: 'ManagedIdentity',
      decision: 'denied',
      reason: 'no role assignment grants the data action',
    });
    const bare = record(2, { account: null, keyName: 'key2', requestId: null });
    await store.append([]);
    await store.append([full, bare]);
    assert.deepEqual(await store.query({}), [bare, full]);
  });

  test('filters: since, principal (any case), denied; combined', async () => {
    const alice = randomUUID();
    const bob = randomUUID();
    await store.append([
      record(10, { principalId: alice }),
      record(20, { principalId: bob, decision: 'denied' }),
      record(30, { principalId: alice.toUpperCase(), decision: 'denied' }),
      record(40, { keyName: 'key1' }),
    ]);
    assert.deepEqual(reqs(await store.query({ since: at(20) })), ['req-40', 'req-30', 'req-20']);
    assert.deepEqual(reqs(await store.query({ since: '2026-01-01T02:00:30+02:00' })), ['req-40', 'req-30']);
    assert.deepEqual(reqs(await store.query({ principalId: alice.toUpperCase() })), ['req-30', 'req-10']);
    assert.equal((await store.query({ principalId: alice }))[0]?.principalId, alice, 'stored lowercased');
    assert.deepEqual(reqs(await store.query({ denied: true })), ['req-30', 'req-20']);
    assert.deepEqual(reqs(await store.query({ denied: false })), ['req-40', 'req-30', 'req-20', 'req-10']);
    assert.deepEqual(reqs(await store.query({ denied: true, principalId: bob, since: at(15) })), ['req-20']);
    assert.deepEqual(await store.query({ principalId: randomUUID() }), []);
  });

  test('filters: surface, account (any case), decision; combined with principal', async () => {
    const other = ACCOUNT.replace('acct1', 'acct2');
    const alice = randomUUID();
    await store.append([
      record(10),
      record(20, { account: other, decision: 'denied' }),
      record(30, { surface: 'arm', account: ACCOUNT.replace('/accounts/acct1', '/ACCOUNTS/ACCT1'), decision: 'denied', principalId: alice }),
      record(40, { surface: 'entra', account: null, decision: 'injected' }),
    ]);
    assert.deepEqual(reqs(await store.query({ surface: 'openai' })), ['req-20', 'req-10']);
    assert.deepEqual(reqs(await store.query({ account: ACCOUNT.toUpperCase() })), ['req-30', 'req-10']);
    assert.deepEqual(reqs(await store.query({ decision: 'denied' })), ['req-30', 'req-20']);
    assert.deepEqual(reqs(await store.query({ decision: 'injected' })), ['req-40']);
    assert.deepEqual(reqs(await store.query({ surface: 'arm', account: ACCOUNT, principalId: alice })), ['req-30']);
    assert.deepEqual(await store.query({ surface: 'graph' }), []);
  });

  test('newest first by insertion order; limit defaults to 100 and stops at 1000', async () => {
    // 1205 records in one append: three chunks in one transaction.
    await store.append(Array.from({ length: 1205 }, (_, i) => record(i)));
    const newest = await store.query({});
    assert.equal(newest.length, 100);
    assert.equal(newest[0]?.requestId, 'req-1204');
    assert.equal(newest[99]?.requestId, 'req-1105');
    assert.equal((await store.query({ limit: 5000 })).length, 1000);
    assert.deepEqual(reqs(await store.query({ limit: 2 })), ['req-1204', 'req-1203']);
    assert.equal((await store.query({ limit: 0 })).length, 1);
  });

  test('an append is all or nothing, across chunks', async () => {
    const records = Array.from({ length: 700 }, (_, i) => record(i));
    records[650] = { ...record(650), reason: null as unknown as string }; // NOT NULL violation in the second chunk
    await assert.rejects(store.append(records));
    assert.deepEqual(await store.query({}), []);
  });

  test('through an AuditLog: a record is visible to the query right after it is made', async () => {
    const log = new AuditLog(store, { flushIntervalMs: 60_000 });
    try {
      const principalId = randomUUID();
      for (let i = 0; i < 3; i++) log.record(record(i, { principalId }));
      assert.deepEqual(reqs(await log.query({ principalId })), ['req-2', 'req-1', 'req-0']);
      log.record(record(3, { principalId, decision: 'denied' }));
    } finally {
      await log.close();
    }
    assert.deepEqual(reqs(await store.query({ denied: true })), ['req-3']);
  });
});

describe('audit writer thread (SQLite in a file)', () => {
  let core: Core;
  let handle: DatabaseHandle;
  before(async () => {
    core = await openCore('sqlite');
    handle = await openDatabase({ url: core.target.url, entities: ENTITIES });
  });
  after(async () => {
    await handle?.db.destroy();
    await core?.close();
  });

  test('batches are written by the thread, and by the request thread once the writer thread has stopped', async () => {
    const store = new AuditStore(handle);
    await store.append([record(1), record(2)]);
    await store.close();
    await store.append([record(3)]);
    assert.deepEqual(reqs(await store.query({})), ['req-3', 'req-2', 'req-1']);
    await handle.db.deleteFrom('audit_records').execute();
  });

  test('batches in flight when close is asked for are written before the thread stops', async () => {
    const store = new AuditStore(handle);
    const appends = Array.from({ length: 20 }, (_, i) => store.append(Array.from({ length: 50 }, (__, j) => record(i * 50 + j))));
    const closed = store.close();
    await Promise.all([...appends, closed]);
    assert.equal((await store.query({ limit: 1000 })).length, 1000);
    await handle.db.deleteFrom('audit_records').execute();
  });

  test('a thread that cannot start settles every batch with AuditThreadGone (never a hang)', async () => {
    const errors: Error[] = [];
    const thread = new AuditWriterThread(path.join(os.tmpdir(), `keyless-missing-${randomUUID()}`, 'none.db'), (error) => errors.push(error));
    const batch = thread.append(flattenRecords([record(1)]));
    await assert.rejects(batch, AuditThreadGone);
    assert.equal(thread.alive, false);
    assert.equal(errors.length, 1, 'why the thread failed is told once');
    await assert.rejects(thread.append(flattenRecords([record(2)])), AuditThreadGone);
    await thread.close();
  });

  test('a SQL error in the thread rejects the batch with that error and keeps the thread', async () => {
    const thread = new AuditWriterThread(handle.sqlite?.name ?? '');
    const bad = flattenRecords([{ ...record(1), reason: null as unknown as string }]);
    await assert.rejects(thread.append(bad), /NOT NULL/);
    assert.equal(thread.alive, true);
    await thread.append(flattenRecords([record(2)]));
    await thread.close();
    assert.deepEqual(reqs(await new AuditStore(handle, { writerThread: false }).query({})), ['req-2']);
    await handle.db.deleteFrom('audit_records').execute();
  });
});
