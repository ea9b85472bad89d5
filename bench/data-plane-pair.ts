/*
 * Benchmark (not a test): the quick form of bench/data-plane.ts, for trying a
 * change: only (a) Keyless with an api-key and (e) the bare server with the
 * same durable audit record, in pairs of rounds (a e, then e a), reporting
 * throughput, CPU per request of each server and the median a/e of the rounds.
 *
 *   npm run build && node dist/bench/data-plane-pair.js [ROUNDS]   (default 4 rounds of 3 s; about 35 s)
 *
 * TOKEN=1 in the environment uses a bearer token instead of the key.
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
    const spread = (url: string): string[] => {
      const { pathname, search } = new URL(url);
      return DEPLOYMENTS.map((n) => `${pathname.replace('/deployments/chat/', `/deployments/${n}/`)}${search}`);
    };
    const eUrl = new URL(`/accounts/bench/${chatPath}`, `https://127.0.0.1:${baseline.port}`).toString();
    const a: Target = { label: 'a', url: chatUrl, method: 'POST', headers, body: CHAT_BODY, pid: keyless.info.pid, agent, paths: spread(chatUrl) };
    const e: Target = { label: 'e', url: eUrl, method: 'POST', headers: json, body: CHAT_BODY, pid: baseline.child.pid, agent, paths: spread(eUrl) };
    await cannon(a, 50, 2, undefined);
    await cannon(e, 50, 2, undefined);
    const totalA = emptyCounted();
    const totalE = emptyCounted();
    const ratios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const x = emptyCounted();
      const y = emptyCounted();
      for (const [target, into] of r % 2 === 0 ? ([[a, x], [e, y]] as const) : ([[e, y], [a, x]] as const)) await cannon(target, 50, 3, into);
      ratios.push(rate(x) / rate(y));
      addCounted(totalA, x);
      addCounted(totalE, y);
    }
    console.log(`(a) Keyless ${fmt(rate(totalA), 0)} req/s, ${perRequest(totalA).cpu} µs/req | (e) bare + audit ${fmt(rate(totalE), 0)} req/s, ${perRequest(totalE).cpu} µs/req`);
    console.log(`a/e median of rounds ${fmt(median(ratios), 3)} [${ratios.map((v) => fmt(v, 2)).join(' ')}]`);
  } finally {
    agent.destroy();
    plainAgent.destroy();
    if (baseline) await stopChild(baseline.child);
    await stopChild(keyless.child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
