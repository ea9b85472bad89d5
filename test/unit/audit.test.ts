import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuditLog, AuditRecorder, BoundedQueue, auditLimit, type AuditQuery, type AuditRecord, type AuditSink } from '../../src/audit/index.js';
import { parseSince, principalCell } from '../../src/cli/commands/audit.js';

const record = (n: number, over: Partial<AuditRecord> = {}): AuditRecord => ({
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  surface: 'openai',
  operation: 'POST /openai/deployments/{deployment-id}/chat/completions',
  account: null,
  principalId: null,
  principalType: null,
  keyName: null,
  decision: 'allowed',
  reason: `r${n}`,
  requestId: String(n),
  ...over,
});

const ids = (records: readonly AuditRecord[]): number[] => records.map((r) => Number(r.requestId));
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** An in-memory sink: fails the next `failures` appends, optionally waits on a gate, tracks concurrency. */
class FakeSink implements AuditSink {
  readonly batches: AuditRecord[][] = [];
  failures = 0;
  alwaysFail = false;
  delayMs = 0;
  active = 0;
  maxActive = 0;
  appends = 0;
  private gate: Promise<void> | undefined;
  private openGate: (() => void) | undefined;

  get stored(): AuditRecord[] {
    return this.batches.flat();
  }

  hold(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.openGate?.();
    this.gate = undefined;
  }

  async append(records: readonly AuditRecord[]): Promise<void> {
    this.appends++;
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      if (this.gate) await this.gate;
      if (this.delayMs > 0) await sleep(this.delayMs);
      if (this.alwaysFail || this.failures > 0) {
        this.failures--;
        throw new Error('sink down');
      }
      this.batches.push([...records]);
    } finally {
      this.active--;
    }
  }

  async query(q: AuditQuery): Promise<AuditRecord[]> {
    return this.stored
      .filter((r) => q.denied !== true || r.decision === 'denied')
      .filter((r) => q.injected !== true || r.decision === 'injected')
      .reverse()
      .slice(0, auditLimit(q.limit));
  }
}

/** Lets queued promise callbacks run. */
const settle = () => sleep(0);

describe('AuditLog', () => {
  const logs: AuditLog[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  const open = (sink: AuditSink, options: ConstructorParameters<typeof AuditLog>[1] = {}): AuditLog => {
    const log = new AuditLog(sink, { flushIntervalMs: 60_000, ...options });
    logs.push(log);
    return log;
  };

  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    for (const log of logs.splice(0)) await log.close().catch(() => undefined);
    process.off('unhandledRejection', onUnhandled);
    assert.deepEqual(unhandled, [], 'no unhandled rejections');
  });

  test('a full batch starts a flush; batches never exceed maxBatch; order is kept', async () => {
    const sink = new FakeSink();
    const log = open(sink, { maxBatch: 3 });
    for (let i = 0; i < 2; i++) log.record(record(i));
    await settle();
    assert.equal(sink.appends, 0, 'below maxBatch nothing is written before the timer');
    for (let i = 2; i < 7; i++) log.record(record(i));
    await settle();
    assert.ok(sink.appends > 0, 'reaching maxBatch flushes without waiting for the timer');
    await log.flush();
    assert.deepEqual(ids(sink.stored), range(0, 7));
    assert.ok(sink.batches.every((b) => b.length <= 3));
    assert.equal(log.queued, 0);
  });

  test('the timer flushes on its own', async () => {
    const sink = new FakeSink();
    const log = open(sink, { flushIntervalMs: 10 });
    log.record(record(1));
    log.record(record(2));
    for (let i = 0; i < 100 && sink.stored.length < 2; i++) await sleep(10);
    assert.deepEqual(ids(sink.stored), [1, 2]);
  });

  test('close writes everything queued, in order, and stops auto-flushing', async () => {
    const sink = new FakeSink();
    const log = open(sink, { maxBatch: 100 });
    for (let i = 0; i < 1234; i++) log.record(record(i));
    await log.close();
    assert.deepEqual(ids(sink.stored), range(0, 1234));
    assert.equal(log.queued, 0);
    assert.equal(log.dropped, 0);
    // After close: kept, but only an explicit flush writes it.
    for (let i = 0; i < 150; i++) log.record(record(2000 + i));
    await sleep(20);
    assert.equal(sink.stored.length, 1234);
    await log.flush();
    assert.equal(sink.stored.length, 1384);
  });

  test('close waits for a flush already under way', async () => {
    const sink = new FakeSink();
    sink.delayMs = 20;
    const log = open(sink, { maxBatch: 2 });
    for (let i = 0; i < 5; i++) log.record(record(i));
    await log.close();
    assert.deepEqual(ids(sink.stored), range(0, 5));
  });

  test('a failing sink: records are kept and retried, none duplicated', async () => {
    const sink = new FakeSink();
    sink.failures = 3;
    const log = open(sink, { maxBatch: 2 });
    for (let i = 0; i < 5; i++) log.record(record(i));
    // The background flush started by the first full batch fails, then this one.
    await assert.rejects(log.flush(), /sink down/);
    assert.equal(sink.appends, 2);
    await assert.rejects(log.flush(), /sink down/);
    assert.equal(log.queued, 5);
    log.record(record(5));
    await log.flush();
    assert.deepEqual(ids(sink.stored), range(0, 6));
    assert.equal(log.dropped, 0);
  });

  test('a failing sink is retried by the timer and reported through onError', async () => {
    const sink = new FakeSink();
    sink.failures = 3;
    const errors: unknown[] = [];
    const log = open(sink, { flushIntervalMs: 5, onError: (e) => errors.push(e) });
    log.record(record(1));
    for (let i = 0; i < 200 && sink.stored.length === 0; i++) await sleep(5);
    assert.deepEqual(ids(sink.stored), [1]);
    assert.equal(errors.length, 3);
  });

  test('while the sink fails, full batches do not retry on every record', async () => {
    const sink = new FakeSink();
    sink.alwaysFail = true;
    const log = open(sink, { maxBatch: 2 });
    log.record(record(0));
    log.record(record(1));
    await settle();
    await settle();
    const appends = sink.appends;
    assert.equal(appends, 1);
    for (let i = 2; i < 50; i++) log.record(record(i));
    await settle();
    assert.equal(sink.appends, appends);
    sink.alwaysFail = false;
    await log.flush();
    assert.deepEqual(ids(sink.stored), range(0, 50));
  });

  test('the queue is capped: the oldest are dropped and counted, the newest written', async () => {
    const sink = new FakeSink();
    sink.alwaysFail = true;
    const log = open(sink, { maxBatch: 5, maxQueue: 10 });
    for (let i = 0; i < 25; i++) log.record(record(i));
    await log.flush().catch(() => undefined);
    assert.equal(log.queued, 10);
    assert.equal(log.dropped, 15);
    // Records arriving while a failing batch is in flight push that batch out when it comes back.
    sink.hold();
    const inFlight = log.flush();
    await settle();
    for (let i = 25; i < 33; i++) log.record(record(i));
    sink.release();
    await assert.rejects(inFlight);
    assert.equal(log.queued, 10);
    assert.equal(log.dropped, 23);
    sink.alwaysFail = false;
    await log.close();
    assert.deepEqual(ids(sink.stored), range(23, 33));
  });

  test('flushes never overlap, whoever starts them', async () => {
    const sink = new FakeSink();
    sink.delayMs = 2;
    const log = open(sink, { maxBatch: 7, flushIntervalMs: 1 });
    const flushes: Promise<void>[] = [];
    for (let i = 0; i < 300; i++) {
      log.record(record(i));
      if (i % 13 === 0) flushes.push(log.flush());
      if (i % 50 === 0) await sleep(3);
    }
    await Promise.all(flushes);
    await log.close();
    assert.equal(sink.maxActive, 1);
    assert.deepEqual(ids(sink.stored), range(0, 300));
  });

  test('record() returns at once and never throws, even with a stuck or throwing sink', async () => {
    const stuck: AuditSink = { append: () => new Promise<void>(() => undefined), query: async () => [] };
    const log = open(stuck, { maxBatch: 10, maxQueue: 1000 });
    const started = process.hrtime.bigint();
    for (let i = 0; i < 20_000; i++) assert.equal(log.record(record(i)), undefined);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.ok(ms < 1000, `20 000 records took ${ms} ms`);
    // The flush it started has not even begun: it runs after the caller's synchronous work.
    assert.equal(log.queued, 1000);
    assert.equal(log.dropped, 20_000 - 1000);
    await settle();
    assert.equal(log.queued, 1000 - 10, 'one batch is in the stuck append');
    logs.splice(logs.indexOf(log), 1);
    void log.close(); // stops the timer; never settles

    const throwing: AuditSink = {
      append: () => {
        throw new Error('synchronous failure');
      },
      query: async () => [],
    };
    const log2 = open(throwing, {
      maxBatch: 1,
      flushIntervalMs: 1,
      onError: () => {
        throw new Error('handler failure');
      },
    });
    for (let i = 0; i < 100; i++) log2.record(record(i));
    await sleep(20);
    assert.equal(log2.queued, 100);
    await assert.rejects(log2.flush(), /synchronous failure/);
  });

  test('query writes what is queued first', async () => {
    const sink = new FakeSink();
    const log = open(sink);
    log.record(record(1));
    log.record(record(2, { decision: 'denied' }));
    assert.deepEqual(ids(await log.query({})), [2, 1]);
    assert.deepEqual(ids(await log.query({ denied: true })), [2]);
  });
});

describe('BoundedQueue', () => {
  test('grows, wraps around and keeps FIFO order', () => {
    const q = new BoundedQueue<number>(100, 2);
    for (let i = 0; i < 5; i++) q.push(i);
    assert.deepEqual(q.take(3), [0, 1, 2]);
    for (let i = 5; i < 40; i++) q.push(i);
    assert.equal(q.size, 37);
    assert.deepEqual(q.take(100), range(3, 40));
    assert.equal(q.size, 0);
    assert.equal(q.dropped, 0);
  });

  test('when full, overwrites the oldest; restore puts items back in front, dropping what does not fit', () => {
    const q = new BoundedQueue<number>(4, 1);
    for (let i = 0; i < 6; i++) q.push(i);
    assert.equal(q.dropped, 2);
    const batch = q.take(3);
    assert.deepEqual(batch, [2, 3, 4]);
    q.push(6);
    q.restore(batch);
    assert.equal(q.dropped, 3);
    assert.deepEqual(q.take(10), [3, 4, 5, 6]);
    q.restore([7, 8]);
    q.push(9);
    assert.deepEqual(q.take(10), [7, 8, 9]);
  });
});

describe('audit helpers', () => {
  test('auditLimit: default 100, between 1 and 1000', () => {
    assert.equal(auditLimit(undefined), 100);
    assert.equal(auditLimit(5000), 1000);
    assert.equal(auditLimit(0), 1);
    assert.equal(auditLimit(7.9), 7);
    assert.equal(auditLimit(Number.NaN), 100);
  });

  test('--since: durations and ISO times', () => {
    const now = Date.UTC(2026, 0, 2, 12, 0, 0);
    assert.equal(parseSince('15m', now), '2026-01-02T11:45:00.000Z');
    assert.equal(parseSince('2h', now), '2026-01-02T10:00:00.000Z');
    assert.equal(parseSince('1d', now), '2026-01-01T12:00:00.000Z');
    assert.equal(parseSince('30s', now), '2026-01-02T11:59:30.000Z');
    assert.equal(parseSince('2026-01-02T10:00:00+02:00', now), '2026-01-02T08:00:00.000Z');
    assert.equal(parseSince('2026-01-02', now), '2026-01-02T00:00:00.000Z');
    for (const bad of ['yesterday', '15', '5w', '', '2026-13-45']) assert.throws(() => parseSince(bad, now), /ISO time or a duration/);
  });

  test('Principal column: the principal id, or key@account', () => {
    const account = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/acct1';
    assert.equal(principalCell({ principalId: 'abc', keyName: null, account }), 'abc');
    assert.equal(principalCell({ principalId: null, keyName: 'key1', account }), 'key1@acct1');
    assert.equal(principalCell({ principalId: null, keyName: 'key2', account: null }), 'key2');
    assert.equal(principalCell({ principalId: null, keyName: null, account: null }), '');
  });
});

describe('AuditRecorder', () => {
  test('stamps each record with the injected clock and keeps the fields as given', () => {
    const records: AuditRecord[] = [];
    let now = Date.parse('2030-01-02T03:04:05.678Z');
    const recorder = new AuditRecorder({ record: (r) => records.push(r) }, { now: () => now });
    recorder.record('openai', 'POST /x', 'acct', 'oid', 'ServicePrincipal', null, 'allowed', 'why', 'req-1');
    now += 1;
    recorder.record('entra', 'POST /y', null, null, null, 'key1', 'denied', 'no', null);
    assert.deepEqual(records, [
      { at: '2030-01-02T03:04:05.678Z', surface: 'openai', operation: 'POST /x', account: 'acct', principalId: 'oid', principalType: 'ServicePrincipal', keyName: null, decision: 'allowed', reason: 'why', requestId: 'req-1' },
      { at: '2030-01-02T03:04:05.679Z', surface: 'entra', operation: 'POST /y', account: null, principalId: null, principalType: null, keyName: 'key1', decision: 'denied', reason: 'no', requestId: null },
    ]);
  });
});
