/*
 * Benchmark (not a test): how long a revocation takes to hold on every
 * instance, and what holding it costs the write.
 *
 *   npm run build && node dist/bench/revocation.js     (about a minute; needs PostgreSQL, KEYLESS_BENCH_POSTGRES_URL
 *                                                       or postgres://postgres@127.0.0.1:5432/test)
 *
 * 1. Starts one `keyless up` on a fresh PostgreSQL schema (one KEK), with an
 *    OpenAI account, and times TRIALS key regenerations through it (the
 *    write's latency with one instance). Then adds a second instance and a
 *    third, timing the same writes through the first each time.
 * 2. With three instances: after each regeneration through the first returns,
 *    sends the old key to the second and the third at once, and again until
 *    each refuses it; the time from the write's return to the first refusal
 *    on every other instance is 0 when the very first request is refused.
 * Prints p50/p99 and PASS/FAIL for the targets: refused on the first
 * request in every trial (time 0), and p99 of the revoking write < 50 ms
 * with 1, 2 and 3 instances. Exits 0 either way.
 *
 * All traffic stays on 127.0.0.1; the instances are stopped and the schema
 * and data folders removed at the end (also on Ctrl-C).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { send } from './load.js';
import { keylessJson, onLoopbackV4, startKeyless, stopChild, type Keyless } from './processes.js';
import { fmt, percentile, verdict } from './stats.js';

const TRIALS = 200;
const TARGET_WRITE_P99_MS = 50;
const POSTGRES_URL = process.env['KEYLESS_BENCH_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const ARM_API = '2024-10-01';

interface Instance {
  readonly keyless: Keyless;
  readonly dataDir: string;
  readonly agent: https.Agent;
  readonly base: string;
}

async function main(): Promise<void> {
  const began = Date.now();
  const schema = `kl_bench_${randomBytes(6).toString('hex')}`;
  const kek = randomBytes(32).toString('base64');
  const instances: Instance[] = [];
  const cleanup = async (): Promise<void> => {
    for (const i of instances) i.agent.destroy();
    await Promise.all(instances.map((i) => stopChild(i.keyless.child)));
    for (const i of instances) fs.rmSync(i.dataDir, { recursive: true, force: true });
    await admin(`drop schema if exists "${schema}" cascade`).catch(() => undefined);
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  try {
    await admin(`create schema "${schema}"`);
    const url = new URL(POSTGRES_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const start = async (): Promise<Instance> => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-bench-'));
      fs.chmodSync(dataDir, 0o700);
      const keyless = await startKeyless(dataDir, undefined, { args: ['--database', url.toString()], env: { KEYLESS_KEK: kek } });
      const agent = new https.Agent({ keepAlive: true, ca: fs.readFileSync(keyless.info.caPath) });
      const instance = { keyless, dataDir, agent, base: onLoopbackV4(keyless.info.baseUrl) };
      instances.push(instance);
      return instance;
    };
    const first = await start();
    const cli = (...args: string[]) => keylessJson(first.dataDir, args);
    await cli('group', 'create', '-n', 'bench');
    const account = await cli('openai', 'create', '-g', 'bench', '-n', 'bench-openai');
    const armHeaders = { authorization: `Bearer ${await adminToken(first)}`, 'content-type': 'application/json' };
    const regenerate = async (): Promise<{ ms: number; key1: string }> => {
      const started = performance.now();
      const res = await send(`${first.base}${String(account['id']).slice(1)}/regenerateKey?api-version=${ARM_API}`, {
        method: 'POST', headers: armHeaders, body: JSON.stringify({ keyName: 'Key1' }), agent: first.agent,
      });
      const ms = performance.now() - started;
      if (res.status !== 200) throw new Error(`regenerateKey answered ${res.status}: ${res.body.toString()}`);
      return { ms, key1: String((JSON.parse(res.body.toString()) as Record<string, unknown>)['key1']) };
    };
    const deploymentsUrl = (i: Instance): string => `${i.base}accounts/bench-openai/openai/deployments?api-version=2022-12-01`;
    const withKey = (i: Instance, key: string) => send(deploymentsUrl(i), { method: 'GET', headers: { 'api-key': key }, agent: i.agent });

    console.log(`Keyless revocation benchmark — ${new Date().toISOString()}`);
    console.log(`node ${process.version}, ${os.cpus().length} CPU(s); PostgreSQL ${new URL(POSTGRES_URL).host}; ${TRIALS} trials per measurement`);
    const writeLatency: { instances: number; p50: number; p99: number }[] = [];
    for (let size = 1; size <= 3; size++) {
      if (size > 1) await start();
      for (let i = 0; i < 10; i++) await regenerate();
      const times: number[] = [];
      for (let i = 0; i < TRIALS; i++) times.push((await regenerate()).ms);
      times.sort((x, y) => x - y);
      writeLatency.push({ instances: size, p50: percentile(times, 0.5), p99: percentile(times, 0.99) });
    }

    // Time from a regeneration's return to the first refusal of the old key on every other instance.
    const others = instances.slice(1);
    let old = (await regenerate()).key1;
    const untilRefused: number[] = [];
    let refusedFirst = 0;
    for (let t = 0; t < TRIALS; t++) {
      const { key1 } = await regenerate();
      const returned = performance.now();
      let worst = 0;
      let allFirst = true;
      await Promise.all(
        others.map(async (i) => {
          for (let attempt = 0; ; attempt++) {
            const sent = performance.now();
            const res = await withKey(i, old);
            if (res.status === 401) {
              if (attempt > 0) allFirst = false;
              worst = Math.max(worst, attempt === 0 ? 0 : sent - returned);
              return;
            }
            if (attempt > 1000) throw new Error(`instance ${i.base} still accepts a regenerated key`);
          }
        }),
      );
      if (allFirst) refusedFirst++;
      untilRefused.push(worst);
      old = key1;
    }

    untilRefused.sort((x, y) => x - y);
    console.log('\nRevoking write (key regenerate through the first instance), latency in ms');
    console.log('instances   p50     p99');
    for (const w of writeLatency) console.log(`${String(w.instances).padEnd(9)} ${fmt(w.p50, 2).padStart(6)} ${fmt(w.p99, 2).padStart(7)}`);
    console.log(`\nOld key sent to the 2 other instances right after each regeneration returned (${TRIALS} trials):`);
    console.log(`refused on the first request: ${refusedFirst} of ${TRIALS}; time to refusal p50 ${fmt(percentile(untilRefused, 0.5), 2)} ms, p99 ${fmt(percentile(untilRefused, 0.99), 2)} ms`);
    console.log('\nTargets');
    console.log(`  refused on the first request in every trial (time 0):   ${refusedFirst}/${TRIALS}  ${verdict(refusedFirst === TRIALS)}`);
    for (const w of writeLatency) {
      console.log(`  revoking write p99 < ${TARGET_WRITE_P99_MS} ms with ${w.instances} instance(s):        ${fmt(w.p99, 2)} ms  ${verdict(w.p99 < TARGET_WRITE_P99_MS)}`);
    }
    console.log(`\ntotal run time ${fmt((Date.now() - began) / 1000, 1)} s`);
  } finally {
    await cleanup();
  }
}

/** A management token of the admin principal, from the instance's own token endpoint (its data folder's credential). */
async function adminToken(instance: Instance): Promise<string> {
  const credential = JSON.parse(fs.readFileSync(path.join(instance.dataDir, 'admin-credential.json'), 'utf8')) as Record<string, string>;
  const form = new URLSearchParams({
    grant_type: 'client_credentials', client_id: String(credential['clientId']), client_secret: String(credential['clientSecret']), scope: 'https://management.azure.com/.default',
  });
  const res = await send(`${instance.base}${String(credential['tenantId'])}/oauth2/v2.0/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(), agent: instance.agent,
  });
  if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}`);
  return String((JSON.parse(res.body.toString()) as Record<string, unknown>)['access_token']);
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
