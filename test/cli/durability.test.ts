import fs from 'node:fs';
import https from 'node:https';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { describePostgres, dropSchema, POSTGRES_URL } from '../fixtures/core.js';
import { adminToken, request } from '../fixtures/http.js';
import { readAdminCredential, startKeyless, tempDataDir, type KeylessProcess } from '../fixtures/server.js';
import { cpuSeconds } from '../fixtures/process-stats.js';
import { Ledger } from '../fixtures/durability/ledger.js';
import { Random } from '../fixtures/durability/random.js';
import type { Target } from '../fixtures/durability/target.js';
import { verifyRound } from '../fixtures/durability/verify.js';
import { WriteStream } from '../fixtures/durability/write-stream.js';

/** Rounds per store (the issue asks for 20). */
const ROUNDS = Number(process.env['KEYLESS_DURABILITY_ROUNDS'] ?? 20);
/** Writes in flight at once. */
const IN_FLIGHT = 4;
/** The kill comes after this many acknowledged writes in the round (chosen at random between the two), then 0–40 ms more. */
const KILL_AFTER_WRITES = [2, 30] as const;
const SEED = Number(process.env['KEYLESS_DURABILITY_SEED'] ?? randomBytes(4).readUInt32BE());

/** A store a `keyless up` is started on, again and again, with its data folder kept. */
interface Store {
  readonly letter: string;
  readonly dataDir: string;
  readonly args: string[];
  readonly env: NodeJS.ProcessEnv;
  dispose(): Promise<void>;
}

function sqliteStore(): Store {
  const dataDir = tempDataDir();
  return { letter: 's', dataDir, args: [], env: {}, dispose: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
}

/** A schema of its own on the shared test server, as the cluster tests use, and a KEK given as every instance is given it. */
async function postgresStore(): Promise<Store> {
  const schema = `kl_durability_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`create schema "${schema}"`);
  await client.end();
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const dataDir = tempDataDir();
  return {
    letter: 'p',
    dataDir,
    args: ['--database', url.toString()],
    env: { KEYLESS_KEK: randomBytes(32).toString('base64') },
    async dispose() {
      await dropSchema(POSTGRES_URL, schema);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** ARM and any other path of `k`, with the admin's token, on keep-alive connections. */
async function connect(k: KeylessProcess): Promise<{ target: Target; agent: https.Agent }> {
  const token = await adminToken(k.info.caPath, k.info.baseUrl, readAdminCredential(k.dataDir), 'https://management.azure.com');
  const agent = new https.Agent({ keepAlive: true, maxSockets: IN_FLIGHT, ca: fs.readFileSync(k.info.caPath) });
  const send = (method: string, path: string, headers: Record<string, string>, body?: object) =>
    request(k.info.caPath, method, `${k.info.baseUrl}${path}`, { headers, agent, timeoutMs: 30_000, ...(body === undefined ? {} : { body }) });
  const sub = `/subscriptions/${k.info.subscriptionId}`;
  const bearer = { authorization: `Bearer ${token}` };
  return {
    agent,
    target: {
      sub,
      arm: (method, path, body) => send(method, `${sub}${path}`, bearer, body),
      get: (path, headers) => send('GET', path, headers ?? bearer),
    },
  };
}

/** Resolves once `ledger` has `count` more acknowledged writes than now (or the stream stopped by itself). */
async function acknowledged(ledger: Ledger, count: number, stream: WriteStream): Promise<void> {
  const total = () => [...ledger.acknowledged.values()].reduce((a, b) => a + b, 0);
  const target = total() + count;
  while (total() < target && stream.problems.length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
}

/**
 * Rounds of: a stream of control-plane writes through ARM, several in
 * flight, into a real `keyless up`; SIGKILL at a random point of it; a new
 * `keyless up` on the same data folder and database; every write that got a
 * 2xx must be there exactly as acknowledged, and nothing half there.
 */
async function rounds(store: Store): Promise<void> {
  const random = new Random(SEED);
  const ledger = new Ledger();
  const problems: string[] = [];
  const started = performance.now();
  const cpuBefore = cpuSeconds('self', true);
  const spent = { start: 0, writes: 0, verify: 0 };
  const timed = async <T>(phase: keyof typeof spent, work: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await work();
    } finally {
      spent[phase] += performance.now() - t;
    }
  };
  const start = () => timed('start', () => startKeyless({ dataDir: store.dataDir, args: store.args, env: store.env }));
  let k = await start();
  try {
    for (let round = 1; round <= ROUNDS && problems.length === 0; round++) {
      ledger.round = round;
      const before = await connect(k);
      const stream = new WriteStream(ledger, before.target, random, `${store.letter}${round}x`);
      await timed('writes', async () => {
        stream.start(IN_FLIGHT);
        await acknowledged(ledger, random.between(...KILL_AFTER_WRITES), stream);
        await new Promise((resolve) => setTimeout(resolve, random.between(0, 40)));
        stream.halt();
        await k.stop('SIGKILL');
        await stream.settled();
      });
      before.agent.destroy();
      problems.push(...stream.problems.map((p) => `round ${round}: ${p}`));

      k = await start();
      const after = await connect(k);
      try {
        problems.push(...(await timed('verify', () => verifyRound(ledger, after.target, round))).map((p) => `round ${round}: ${p}`));
      } finally {
        after.agent.destroy();
      }
    }
  } finally {
    await k.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  // CPU of this process and of every keyless up it started (all exited by now): about the wall time on an idle machine.
  const cpu = cpuSeconds('self', true) - cpuBefore;
  process.stdout.write(`# ${store.letter === 's' ? 'SQLite' : 'PostgreSQL'}: ${ROUNDS} rounds in ${seconds.toFixed(1)} s, ${cpu.toFixed(1)} s of CPU (starts ${(spent.start / 1000).toFixed(1)} s, writes ${(spent.writes / 1000).toFixed(1)} s, checks ${(spent.verify / 1000).toFixed(1)} s; seed ${SEED}); ${ledger.summary()}\n`);
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems (seed ${SEED})`);
  assert.ok(ledger.cutOff > 0, 'no write was ever cut off by a kill: the kills came between writes, not during them');
}

describe(`SIGKILL during a stream of control-plane writes, ${ROUNDS} rounds: every acknowledged write is there after a restart [sqlite]`, () => {
  test('SQLite', async () => {
    const store = sqliteStore();
    try {
      await rounds(store);
    } finally {
      await store.dispose();
    }
  });
});

describePostgres(`SIGKILL during a stream of control-plane writes, ${ROUNDS} rounds: every acknowledged write is there after a restart [postgres]`, () => {
  test('PostgreSQL', async () => {
    const store = await postgresStore();
    try {
      await rounds(store);
    } finally {
      await store.dispose();
    }
  });
});
