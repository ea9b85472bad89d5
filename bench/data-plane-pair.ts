/*
 * Benchmark (not a test): the quick form of bench/data-plane.ts, for trying a
 * change: only (a) Keyless with an api-key, (e) the bare server with the
 * same durable audit record and (f) the floor, (e) plus the least the data
 * plane's contract requires per call (a keyed digest of the key, a quota
 * count, Azure's headers: bench/floor-checks.ts), in rounds (a e f, then
 * f e a), reporting throughput, CPU per request of each server and the
 * medians of the rounds' a/e, f/e and a/f.
 *
 *   npm run build && node dist/bench/data-plane-pair.js [ROUNDS]   (default 4 rounds of 3 s; about 50 s)
 *
 * TOKEN=1 in the environment uses a bearer token instead of the key (for (a); the floor always takes the key).
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setUpAccount } from './account.js';
import { addCounted, cannon, emptyCounted, perRequest, rate, send, type Target } from './load.js';
import { onLoopbackV4, startBaseline, startKeyless, stopChild } from './processes.js';
import { fmt, median } from './stats.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHAT_BODY = JSON.stringify({
  messages: [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: 'Say hello in one short sentence.' },
  ],
  max_tokens: 40,
});
const DEPLOYMENTS = ['chat', 'chat-2', 'chat-3', 'chat-4'];

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 4);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-bench-'));
  fs.chmodSync(dataDir, 0o700);
  const keyless = await startKeyless(dataDir, undefined);
  const agent = new https.Agent({ keepAlive: true, ca: fs.readFileSync(keyless.info.caPath) });
  const plainAgent = new http.Agent({ keepAlive: true });
  let baseline: Awaited<ReturnType<typeof startBaseline>> | undefined;
  let floor: Awaited<ReturnType<typeof startBaseline>> | undefined;
  try {
    const { account, key1, token } = await setUpAccount(dataDir, DEPLOYMENTS.map((n) => ['--deployment-name', n, '--model-name', 'gpt-4o-mini', '--capacity', '150000']), plainAgent);
    const chatPath = 'openai/deployments/chat/chat/completions?api-version=2024-10-21';
    const chatUrl = new URL(chatPath, onLoopbackV4(String(account['properties']?.endpoint))).toString();
    const json = { 'content-type': 'application/json' };
    const headers = process.env['TOKEN'] ? { ...json, authorization: `Bearer ${token}` } : { ...json, 'api-key': key1 };
    const captured = await send(chatUrl, { method: 'POST', headers, body: CHAT_BODY, agent });
    if (captured.status !== 200) throw new Error(`chat answered ${captured.status}: ${captured.body.toString()}`);
    const chatFile = path.join(dataDir, 'bench-chat-response.json');
    fs.writeFileSync(chatFile, captured.body);
    const tls = ['--cert', path.join(dataDir, 'server.pem'), '--key', path.join(dataDir, 'server-key.pem')];
    baseline = await startBaseline(path.join(HERE, 'baseline-server.js'), ['--body', chatFile, ...tls, '--audit', dataDir]);
    const floorDir = fs.mkdtempSync(path.join(dataDir, 'floor-'));
    floor = await startBaseline(path.join(HERE, 'baseline-server.js'), ['--body', chatFile, ...tls, '--audit', floorDir, '--checks'], [], { ...process.env, BENCH_API_KEY: key1 });
    const spread = (url: string): string[] => {
      const { pathname, search } = new URL(url);
      return DEPLOYMENTS.map((n) => `${pathname.replace('/deployments/chat/', `/deployments/${n}/`)}${search}`);
    };
    const eUrl = new URL(`/accounts/bench/${chatPath}`, `https://127.0.0.1:${baseline.port}`).toString();
    const a: Target = { label: 'a', url: chatUrl, method: 'POST', headers, body: CHAT_BODY, pid: keyless.info.pid, agent, paths: spread(chatUrl) };
    const e: Target = { label: 'e', url: eUrl, method: 'POST', headers: json, body: CHAT_BODY, pid: baseline.child.pid, agent, paths: spread(eUrl) };
    const fUrl = new URL(`/accounts/bench/${chatPath}`, `https://127.0.0.1:${floor.port}`).toString();
    const f: Target = { label: 'f', url: fUrl, method: 'POST', headers: { ...json, 'api-key': key1 }, body: CHAT_BODY, pid: floor.child.pid, agent, paths: spread(fUrl) };
    const checked = await send(fUrl, { method: 'POST', headers: f.headers, body: CHAT_BODY, agent });
    if (checked.status !== 200) throw new Error(`the floor answered ${checked.status}: ${checked.body.toString()}`);
    for (const target of [a, e, f]) await cannon(target, 50, 2, undefined);
    const totals = [emptyCounted(), emptyCounted(), emptyCounted()] as const;
    const ratios = { ae: [] as number[], fe: [] as number[], af: [] as number[] };
    for (let r = 0; r < rounds; r++) {
      const counted = [emptyCounted(), emptyCounted(), emptyCounted()] as const;
      const order = r % 2 === 0 ? [0, 1, 2] : [2, 1, 0];
      for (const i of order) await cannon([a, e, f][i] as Target, 50, 3, counted[i]);
      const [x, y, z] = counted.map(rate) as [number, number, number];
      ratios.ae.push(x / y);
      ratios.fe.push(z / y);
      ratios.af.push(x / z);
      counted.forEach((c, i) => addCounted(totals[i], c));
    }
    const [totalA, totalE, totalF] = totals;
    console.log(`(a) Keyless ${fmt(rate(totalA), 0)} req/s, ${perRequest(totalA).cpu} µs/req | (e) bare + audit ${fmt(rate(totalE), 0)} req/s, ${perRequest(totalE).cpu} µs/req | (f) floor ${fmt(rate(totalF), 0)} req/s, ${perRequest(totalF).cpu} µs/req`);
    for (const [name, values] of Object.entries(ratios)) console.log(`${name[0]}/${name[1]} median of rounds ${fmt(median(values), 3)} [${values.map((v) => fmt(v, 2)).join(' ')}]`);
  } finally {
    agent.destroy();
    plainAgent.destroy();
    if (baseline) await stopChild(baseline.child);
    if (floor) await stopChild(floor.child);
    await stopChild(keyless.child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
