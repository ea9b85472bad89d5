/*
 * Benchmark (not a test): what Keyless costs in front of a real model server,
 * against the least any Node reverse proxy can do in its place.
 *
 *   npm run bench:gateway        (npm run build first; about 3 minutes)
 *   node dist/bench/gateway.js [--profile DIR]   (Keyless, and the bare proxy in DIR/proxy, under node --cpu-prof; see bench/profile-summary.ts)
 *
 * 1. Starts a separate `keyless model serve --port 0` (the upstream: the
 *    simulator alone, plain HTTP), and a real `keyless up` set up through the
 *    CLI with a chat deployment whose upstream it is (`--upstream-url`,
 *    `--capacity 150000` so that quotas never refuse during the run) and a web
 *    app whose managed identity has "Cognitive Services OpenAI User".
 * 2. Starts the bare proxy (bench/proxy-server.ts) in its own process, with
 *    Keyless's certificate so that its TLS work is Keyless's.
 *    And the floor, (f): the same proxy plus the least the data plane's
 *    contract requires per call (the token known, the quota counted, Azure's
 *    headers, a durable audit record with the tokens spent;
 *    bench/floor-checks.ts), so that what the contract costs on this machine
 *    can be told from what Keyless's design costs.
 * 3. Sends the same chat body, interleaved (A B C F, then F C B A), to
 *      (a) Keyless with the managed identity's bearer token (TLS),
 *      (b) the bare proxy, same path and body (TLS) — the target's baseline,
 *      (c) the upstream directly (plain HTTP; the body names the model),
 *      (f) the floor, with the same token (TLS),
 *    in three phases: saturation (autocannon, same connections and duration
 *    for each), latency at a fixed rate below saturation (the paced open-loop
 *    client of bench/load.ts; p99 paired per round), and streaming time to
 *    first byte (bench/first-byte.ts: `stream: true`, one request at a time).
 * 4. Prints the tables and PASS/FAIL for the issue's targets: a/b ≥ 0.85 at
 *    saturation, p99 added by Keyless over (b) < 1 ms at the fixed rate, and
 *    time to first byte added < 1 ms (Keyless against the upstream direct,
 *    "within a millisecond of the upstream's"; against (b) too). It exits 0
 *    either way: it is a measurement, not a test.
 *
 * All traffic stays on 127.0.0.1; every phase is bounded in time; every
 * process is stopped and the data folder removed at the end (also on Ctrl-C).
 * TLS as in bench/data-plane.ts: autocannon does not verify, the benchmark's
 * own clients verify with Keyless's CA on their agents.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { setUpAccount } from './account.js';
import { firstBytes, type FirstBytes } from './first-byte.js';
import { addCounted, cannon, emptyCounted, paced, perRequest, rate, send, usage, type Counted, type PacedResult, type Target } from './load.js';
import { onLoopbackV4, startBaseline, startKeyless, startModelServe, stopChild, type Baseline, type Keyless, type ModelServe } from './processes.js';
import { fmt, median, pad, percentile, verdict } from './stats.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PROXY_SERVER = path.join(HERE, 'proxy-server.js');

const API_VERSION = '2024-10-21';
const MODEL = 'gpt-4o-mini';
const CHAT = {
  messages: [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: 'Say hello in one short sentence.' },
  ],
  max_tokens: 40,
};
/** 150,000 units: 15,000 requests per 10 s and 150 M tokens per minute, far above what this machine serves through a proxy. */
const CAPACITY = 150_000;

// Time budget (seconds): saturation 4 × 4 s warm-up + 4 × 6 rounds × 3 s; fixed rate 4 × 1 s + 4 × 10 rounds × 1 s;
// first byte 4 × 50 warm-up + 4 × 10 rounds × 100 requests of a few ms. About 145 s of load, plus 10 s of set-up.
// The warm-up is longer than data-plane.ts's: Keyless's first seconds of relayed load ran at a third of its later
// rate in trials (code still being optimised, presumably), which 2 s did not cover.
const SATURATION = { connections: 50, warmup: 4, round: 3, rounds: 6 } as const;
const FIXED = { warmup: 1, round: 1, rounds: 10, maxRate: 1000, fractionOfLowest: 0.4, maxSockets: 50 } as const;
const FIRST_BYTE = { warmup: 50, perRound: 100, rounds: 10 } as const;
const TARGET_RATIO = 0.85;
const TARGET_ADDED_MS = 1;

/** Round r runs the targets forwards when r is even, backwards when odd. */
const inOrder = <T>(items: readonly T[], round: number): readonly T[] => (round % 2 === 0 ? items : [...items].reverse());

/** The median over rounds of (x − y) in the same round: a round hit by a stall of the shared machine drops out. */
const paired = (x: readonly number[], y: readonly number[]): number => median(x.map((v, i) => v - (y[i] ?? Number.NaN)));

async function main(): Promise<void> {
  const began = Date.now();
  const profileAt = process.argv.indexOf('--profile');
  const profileDir = profileAt === -1 ? undefined : path.resolve(process.argv[profileAt + 1] ?? 'keyless-profile');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-bench-'));
  fs.chmodSync(dataDir, 0o700);
  let keyless: Keyless | undefined;
  let upstream: ModelServe | undefined;
  let proxy: Baseline | undefined;
  let floor: Baseline | undefined;
  const agents: http.Agent[] = [];
  let cleaned = false;
  async function cleanup(): Promise<void> {
    if (cleaned) return;
    cleaned = true;
    for (const agent of agents) agent.destroy();
    await Promise.all([keyless, upstream, proxy, floor].flatMap((p) => (p ? [stopChild(p.child)] : [])));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const interrupted = (): void => {
    process.stderr.write('\ninterrupted; cleaning up\n');
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    // ── 1. The upstream, Keyless in front of it, and the bare proxy ──
    upstream = await startModelServe();
    keyless = await startKeyless(dataDir, profileDir);
    const ca = fs.readFileSync(keyless.info.caPath);
    const agent = (tls: boolean): http.Agent => {
      const made = tls ? new https.Agent({ keepAlive: true, maxSockets: FIXED.maxSockets, ca }) : new http.Agent({ keepAlive: true, maxSockets: FIXED.maxSockets });
      agents.push(made);
      return made;
    };
    const deployment = ['--deployment-name', 'chat', '--model-name', MODEL, '--upstream-url', upstream.baseUrl, '--capacity', String(CAPACITY)];
    const { account, token } = await setUpAccount(dataDir, [deployment], agent(false));
    const tls = ['--cert', path.join(dataDir, 'server.pem'), '--key', path.join(dataDir, 'server-key.pem')];
    const proxyProfile = profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', path.join(profileDir, 'proxy')];
    proxy = await startBaseline(PROXY_SERVER, ['--upstream', upstream.baseUrl, '--model', MODEL, ...tls], proxyProfile);
    const floorDir = fs.mkdtempSync(path.join(dataDir, 'floor-'));
    floor = await startBaseline(PROXY_SERVER, ['--upstream', upstream.baseUrl, '--model', MODEL, ...tls, '--audit', floorDir, '--checks'], [], { ...process.env, BENCH_TOKEN: token });

    const chatPath = `openai/deployments/chat/chat/completions?api-version=${API_VERSION}`;
    const json = { 'content-type': 'application/json' };
    const body = (extra: object): string => JSON.stringify({ ...CHAT, ...extra });
    const targets = (stream: boolean) => {
      const s = stream ? { stream: true } : {};
      const a: Target = {
        label: '(a) Keyless, bearer token', url: new URL(chatPath, onLoopbackV4(String(account['properties']?.endpoint))).toString(),
        method: 'POST', headers: { ...json, authorization: `Bearer ${token}` }, body: body(s), pid: keyless?.info.pid, agent: agent(true),
      };
      const b: Target = {
        label: '(b) bare proxy', url: new URL(`/${chatPath}`, `https://127.0.0.1:${proxy?.port}`).toString(),
        method: 'POST', headers: json, body: body(s), pid: proxy?.child.pid, agent: agent(true),
      };
      const c: Target = {
        label: '(c) upstream direct', url: `${upstream?.baseUrl}/chat/completions`,
        method: 'POST', headers: json, body: body({ ...s, model: MODEL }), pid: upstream?.pid, agent: agent(false),
      };
      const f: Target = {
        label: '(f) floor', url: new URL(`/${chatPath}`, `https://127.0.0.1:${floor?.port}`).toString(),
        method: 'POST', headers: { ...json, authorization: `Bearer ${token}` }, body: body(s), pid: floor?.child.pid, agent: agent(true),
      };
      return [a, b, c, f] as const;
    };
    const plain = targets(false);
    const streaming = targets(true);
    const [a, b, c, f] = plain;

    // Every target answers alike before anything is measured.
    const answers = await Promise.all(plain.map((t) => send(t.url, { method: 'POST', headers: { ...t.headers }, body: t.body ?? '', agent: t.agent })));
    answers.forEach((answer, i) => {
      if (answer.status !== 200) throw new Error(`${plain[i]?.label} answered ${answer.status}: ${answer.body.toString()}`);
    });
    const streamed = await Promise.all(streaming.map((t) => send(t.url, { method: 'POST', headers: { ...t.headers }, body: t.body ?? '', agent: t.agent })));
    streamed.forEach((answer, i) => {
      if (answer.status !== 200 || !answer.body.toString().includes('data: [DONE]')) throw new Error(`${streaming[i]?.label} streamed ${answer.status}: ${answer.body.toString()}`);
    });

    const cpus = os.cpus();
    console.log(`Keyless gateway benchmark — ${new Date().toISOString()}`);
    console.log(`node ${process.version}, ${cpus.length} CPU(s) (${cpus[0]?.model.trim() ?? 'unknown'}), ${os.platform()} ${os.release()}`);
    console.log(`NOTE: the load generator (this process), Keyless, the proxy and the upstream share these ${cpus.length} CPU(s).`);
    console.log(`chat request: ${Buffer.byteLength(a.body ?? '')} bytes (to (c) with "model" added); response: ${answers.map((r) => r.body.length).join(' / ')} bytes (a / b / c);`);
    console.log(`stream: ${streamed.map((r) => r.body.length).join(' / ')} bytes. Upstream: keyless model serve (pid ${upstream.pid}), ${upstream.baseUrl}`);
    console.log('(b) is the target\'s baseline: node:https with Keyless\'s certificate, body parsed and "model" set, forwarded with undici');
    console.log('    over pooled keep-alive connections, the answer piped back. No authentication, quota, audit or error shaping.');
    console.log(`set-up took ${((Date.now() - began) / 1000).toFixed(1)} s\n`);

    // ── 2. Saturation ──
    process.stderr.write('saturation phase…\n');
    for (const t of plain) await cannon(t, SATURATION.connections, SATURATION.warmup, undefined);
    const saturated = new Map<Target, Counted>(plain.map((t) => [t, emptyCounted()]));
    const upstreamCpu = new Map<Target, number>(plain.map((t) => [t, 0]));
    const perRound = new Map<Target, number[]>(plain.map((t) => [t, []]));
    for (let round = 0; round < SATURATION.rounds; round++) {
      for (const t of inOrder(plain, round)) {
        const counted = emptyCounted();
        const before = usage(upstream.pid);
        await cannon(t, SATURATION.connections, SATURATION.round, counted);
        const after = usage(upstream.pid);
        upstreamCpu.set(t, (upstreamCpu.get(t) ?? 0) + after.user - before.user + after.sys - before.sys);
        perRound.get(t)?.push(rate(counted));
        addCounted(saturated.get(t), counted);
      }
    }
    const rps = (t: Target): number => rate(saturated.get(t));
    const roundRatio = (x: Target, y: Target): number[] => (perRound.get(x) ?? []).map((v, i) => v / (perRound.get(y)?.[i] ?? Number.NaN));
    const ratioAB = median(roundRatio(a, b));
    console.log(`Saturation: autocannon, ${SATURATION.connections} connections, ${SATURATION.rounds} rounds × ${SATURATION.round} s per target after ${SATURATION.warmup} s warm-up, interleaved`);
    console.log(`${'target'.padEnd(27)} ${pad('req/s', 6)} ${pad('÷ b', 6)} ${pad('÷ b median', 10)} ${pad('÷ b per round', 13)} ${pad('÷ c', 6)} ${pad('own µs/req', 10)} ${pad('upstream µs/req', 15)} ${pad('failed', 6)}`);
    for (const t of plain) {
      const s = saturated.get(t) ?? emptyCounted();
      const ratios = roundRatio(t, b);
      console.log(
        `${t.label.padEnd(27)} ${pad(fmt(rps(t), 0), 6)} ${pad(fmt(rps(t) / rps(b), 3), 6)} ${pad(t === b ? '' : fmt(median(ratios), 3), 10)} ${pad(t === b ? '' : `${fmt(Math.min(...ratios), 2)}–${fmt(Math.max(...ratios), 2)}`, 13)} ${pad(fmt(rps(t) / rps(c), 3), 6)} ${pad(perRequest(s).cpu, 10)} ${pad(fmt(((upstreamCpu.get(t) ?? 0) / s.ok) * 1e6, 0), 15)} ${pad(String(s.bad), 6)}`,
      );
    }
    console.log('÷ b median: the median over rounds of the ratio in the same round; own µs/req: CPU per request (user+kernel) of the');
    console.log('process the target names (Keyless, the proxy, or the upstream for c); upstream µs/req: the upstream\'s meanwhile.');

    // ── 3. Fixed rate, below saturation ──
    const fixedRate = Math.max(10, Math.floor(Math.min(FIXED.maxRate, FIXED.fractionOfLowest * Math.min(...plain.map(rps)))));
    process.stderr.write(`fixed-rate phase at ${fixedRate} req/s…\n`);
    for (const t of plain) await paced(t, fixedRate, FIXED.warmup);
    const pooled = new Map<Target, PacedResult>(plain.map((t) => [t, { latencies: [], sent: 0, bad: 0, seconds: 0, user: 0, sys: 0 }]));
    const p99s = new Map<Target, number[]>(plain.map((t) => [t, []]));
    const p50s = new Map<Target, number[]>(plain.map((t) => [t, []]));
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    loopDelay.enable();
    for (let round = 0; round < FIXED.rounds; round++) {
      for (const t of inOrder(plain, round)) {
        const r = await paced(t, fixedRate, FIXED.round);
        const sorted = [...r.latencies].sort((x, y) => x - y);
        p50s.get(t)?.push(percentile(sorted, 0.5));
        p99s.get(t)?.push(percentile(sorted, 0.99));
        const into = pooled.get(t);
        if (!into) continue;
        into.latencies.push(...r.latencies);
        into.sent += r.sent;
        into.bad += r.bad;
        into.seconds += r.seconds;
      }
    }
    loopDelay.disable();
    const added = (per: Map<Target, number[]>, x: Target, y: Target): number => paired(per.get(x) ?? [], per.get(y) ?? []);
    const addedP99 = added(p99s, a, b);
    console.log(`\nFixed rate: open-loop paced client at ${fixedRate} req/s (${FIXED.fractionOfLowest * 100}% of the lowest saturated rate, at most ${FIXED.maxRate}),`);
    console.log(`${FIXED.rounds} rounds × ${FIXED.round} s per target after ${FIXED.warmup} s warm-up, interleaved; latency in ms from when each request was due`);
    console.log(`${'target'.padEnd(27)} ${pad('p50', 5)} ${pad('p99', 6)} ${pad('round p99', 9)} ${pad('added p50 vs b', 14)} ${pad('added p99 vs b', 14)} ${pad('added p99 vs c', 14)} ${pad('failed', 6)}`);
    for (const t of plain) {
      const r = pooled.get(t);
      if (!r) continue;
      const sorted = [...r.latencies].sort((x, y) => x - y);
      console.log(
        `${t.label.padEnd(27)} ${pad(fmt(percentile(sorted, 0.5)), 5)} ${pad(fmt(percentile(sorted, 0.99)), 6)} ${pad(fmt(median(p99s.get(t) ?? [])), 9)} ${pad(t === b || t === c ? '' : fmt(added(p50s, t, b)), 14)} ${pad(t === b || t === c ? '' : fmt(added(p99s, t, b)), 14)} ${pad(t === c ? '' : fmt(added(p99s, t, c)), 14)} ${pad(String(r.bad), 6)}`,
      );
    }
    console.log('p50 and p99 pool all rounds; "added" is the median over rounds of (target − baseline) in the same round.');
    console.log(`this process's event-loop delay meanwhile: p99 ${fmt(loopDelay.percentile(99) / 1e6)} ms, max ${fmt(loopDelay.max / 1e6)} ms (stalls of the shared machine show here too)`);

    // ── 4. Streaming time to first byte ──
    process.stderr.write('time-to-first-byte phase…\n');
    for (const t of streaming) await firstBytes(t, FIRST_BYTE.warmup, { samples: [], bad: 0 });
    const ttfb = new Map<Target, FirstBytes>(streaming.map((t) => [t, { samples: [], bad: 0 }]));
    const ttfbP50 = new Map<Target, number[]>(streaming.map((t) => [t, []]));
    const ttfbP99 = new Map<Target, number[]>(streaming.map((t) => [t, []]));
    for (let round = 0; round < FIRST_BYTE.rounds; round++) {
      for (const t of inOrder(streaming, round)) {
        const r: FirstBytes = { samples: [], bad: 0 };
        await firstBytes(t, FIRST_BYTE.perRound, r);
        const sorted = [...r.samples].sort((x, y) => x - y);
        ttfbP50.get(t)?.push(percentile(sorted, 0.5));
        ttfbP99.get(t)?.push(percentile(sorted, 0.99));
        const into = ttfb.get(t);
        into?.samples.push(...r.samples);
        if (into) into.bad += r.bad;
      }
    }
    const [sa, sb, sc, sf] = streaming;
    const ttfbVsB = added(ttfbP50, sa, sb);
    const ttfbVsC = added(ttfbP50, sa, sc);
    console.log(`\nStreaming time to first body byte: \`stream: true\`, one request at a time, ${FIRST_BYTE.rounds} rounds × ${FIRST_BYTE.perRound} per target after ${FIRST_BYTE.warmup} warm-up, interleaved (ms)`);
    console.log(`${'target'.padEnd(27)} ${pad('median', 6)} ${pad('p99', 6)} ${pad('added median vs c', 17)} ${pad('added p99 vs c', 14)} ${pad('added median vs b', 17)} ${pad('failed', 6)}`);
    for (const t of streaming) {
      const r = ttfb.get(t) ?? { samples: [], bad: 0 };
      const sorted = [...r.samples].sort((x, y) => x - y);
      console.log(
        `${t.label.padEnd(27)} ${pad(fmt(percentile(sorted, 0.5)), 6)} ${pad(fmt(percentile(sorted, 0.99)), 6)} ${pad(t === sc ? '' : fmt(added(ttfbP50, t, sc)), 17)} ${pad(t === sc ? '' : fmt(added(ttfbP99, t, sc)), 14)} ${pad(t === sa ? fmt(ttfbVsB) : '', 17)} ${pad(String(r.bad), 6)}`,
      );
    }
    console.log('median and p99 pool all rounds; "added" is the median over rounds of (target − baseline) of the round medians (or p99s).');

    console.log('\nTargets');
    console.log(`  throughput a/b ≥ ${TARGET_RATIO} (median of rounds):     ${fmt(ratioAB, 3).padStart(7)}     ${verdict(ratioAB >= TARGET_RATIO)}`);
    console.log(`  p99 added a − b < ${TARGET_ADDED_MS} ms at ${fixedRate} req/s:     ${fmt(addedP99).padStart(7)} ms  ${verdict(addedP99 < TARGET_ADDED_MS)}`);
    console.log(`  first byte added a − c < ${TARGET_ADDED_MS} ms (median):   ${fmt(ttfbVsC).padStart(7)} ms  ${verdict(ttfbVsC < TARGET_ADDED_MS)}`);
    console.log(`  (no target: first byte added a − b ${fmt(ttfbVsB)} ms, b − c ${fmt(added(ttfbP50, sb, sc))} ms; throughput b/c ${fmt(rps(b) / rps(c), 3)}, a/c ${fmt(rps(a) / rps(c), 3)})`);
    console.log(`  (the floor: throughput f/b ${fmt(median(roundRatio(f, b)), 3)}, a/f ${fmt(median(roundRatio(a, f)), 3)}; p99 added f − b ${fmt(added(p99s, f, b))} ms, a − f ${fmt(added(p99s, a, f))} ms; first byte added f − c ${fmt(added(ttfbP50, sf, sc))} ms)`);
    console.log(`\ntotal run time ${((Date.now() - began) / 1000).toFixed(1)} s`);
  } catch (error) {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    if (keyless) process.stderr.write(`keyless output:\n${keyless.output()}\n`);
    process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

await main();
