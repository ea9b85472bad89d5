/*
 * The benchmarks' child processes: a real `keyless up` in a data folder, the
 * `keyless` CLI, the bench's own baseline servers, and `keyless model serve`.
 * Every child is tracked so that none outlives the benchmark, even if it crashes.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The repository root (this file compiles to dist/bench/processes.js). */
const ROOT = path.resolve(HERE, '../..');
export const KEYLESS_BIN = path.join(ROOT, 'bin', 'keyless');

const children = new Set<ChildProcess>();
// Last resort if the benchmark crashes: no server outlives it.
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** `underTest`: a server whose cost is measured (pinned with BENCH_SERVER_CPUS); the gateway's upstream is not. */
export function track(child: ChildProcess, underTest = true): ChildProcess {
  if (underTest) pinToServerCpus(child.pid);
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export interface RuntimeInfo {
  pid: number;
  baseUrl: string;
  port: number;
  identityUrl: string;
  caPath: string;
}

export interface Keyless {
  child: ChildProcess;
  info: RuntimeInfo;
  output: () => string;
}

/** `more`: further `keyless up` arguments (e.g. --database) and environment (e.g. KEYLESS_KEK, set after the caller's KEYLESS_* are dropped). */
export async function startKeyless(dataDir: string, profileDir: string | undefined, more: { args?: readonly string[]; env?: NodeJS.ProcessEnv } = {}): Promise<Keyless> {
  // With --profile, V8 writes the Keyless process's CPU profile there when it exits (after the SIGTERM at the end).
  const nodeArgs = profileDir === undefined ? benchNodeArgs() : ['--cpu-prof', '--cpu-prof-dir', profileDir];
  // Self-contained: no KEYLESS_* setting of the caller's (a KEYLESS_DATABASE would put the benchmark in that database).
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('KEYLESS_'))), ...more.env };
  const child = track(
    spawn(
      process.execPath,
      [...nodeArgs, KEYLESS_BIN, 'up', '--data', dataDir, '--port', '0', '--identity-port', '0', '--log-level', 'silent', ...(more.args ?? [])],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    ),
  );
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`keyless up was not ready in 30 s:\n${out}`)), 30_000);
    const onExit = (code: number | null): void => {
      clearTimeout(timer);
      reject(new Error(`keyless up exited with ${code}:\n${out}`));
    };
    child.once('exit', onExit);
    child.stdout?.on('data', () => {
      // The export line is the last line of the ready banner.
      if (/^export NODE_EXTRA_CA_CERTS=.*\n/m.test(out)) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve();
      }
    });
  });
  const info = JSON.parse(fs.readFileSync(path.join(dataDir, 'runtime.json'), 'utf8')) as RuntimeInfo;
  return { child, info, output: () => out };
}

/** Runs `keyless …args --data DIR`; resolves with stdout, rejects with stderr on a non-zero exit. */
export function keylessCli(dataDir: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = track(spawn(process.execPath, [KEYLESS_BIN, ...args, '--data', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] }));
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`keyless ${args.join(' ')} exited with ${code}: ${stderr.trim()}`));
    });
  });
}

export async function keylessJson(dataDir: string, args: readonly string[]): Promise<Record<string, any>> {
  return JSON.parse(await keylessCli(dataDir, [...args, '-o', 'json'])) as Record<string, any>;
}

export interface Baseline {
  child: ChildProcess;
  port: number;
}

/** `nodeArgs` go to node before the script (e.g. --cpu-prof). */
export async function startBaseline(script: string, args: readonly string[], nodeArgs: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<Baseline> {
  // stdin stays open (a pipe): the baseline exits by itself if this process dies.
  const child = track(spawn(process.execPath, [...nodeArgs, ...benchNodeArgs(), script, ...args, '--exit-with-stdin'], { env, stdio: ['pipe', 'pipe', 'pipe'] }));
  let out = '';
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`baseline server not ready in 10 s: ${out}`)), 10_000);
    child.once('exit', (code) => reject(new Error(`baseline server exited with ${code}: ${out}`)));
    let line = '';
    child.stdout?.on('data', (c: Buffer) => {
      line += c.toString();
      const match = /\{"port":(\d+)\}/.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  });
  return { child, port };
}

/** Points a Keyless URL at 127.0.0.1 (its canonical origin names localhost, which may resolve to ::1). */
export function onLoopbackV4(url: string): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  return u.toString();
}

export interface ModelServe {
  child: ChildProcess;
  /** The pid it prints (the process serving). */
  pid: number;
  /** e.g. http://127.0.0.1:41234/v1 */
  baseUrl: string;
}

/** A real `keyless model serve --port 0`: the simulator alone, as an OpenAI-compatible upstream. */
export async function startModelServe(): Promise<ModelServe> {
  const child = track(spawn(process.execPath, [KEYLESS_BIN, 'model', 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] }), false);
  let out = '';
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const [pid, baseUrl] = await new Promise<[number, string]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`keyless model serve was not ready in 20 s: ${out}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`keyless model serve exited with ${code}: ${out}`)));
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const match = /ready \(pid (\d+)\): (http:\/\/127\.0\.0\.1:\d+\/v1)\n/.exec(out);
      if (match?.[1] && match[2]) {
        clearTimeout(timer);
        resolve([Number(match[1]), match[2]]);
      }
    });
  });
  return { child, pid, baseUrl };
}

/**
 * node options for every server the benchmarks start, from BENCH_NODE_ARGS
 * (space-separated), e.g. `--perf-basic-prof` so that `perf record` names
 * their JavaScript frames (docs/performance.md).
 */
function benchNodeArgs(): string[] {
  return (process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
}

/**
 * With BENCH_SERVER_CPUS (a CPU list, e.g. `1`), every server under test a
 * benchmark starts (Keyless and the baselines; not the gateway's upstream,
 * which stays with the benchmark) runs on those CPUs only, all its threads (`taskset -a`; threads
 * started later inherit it), so that with the benchmark itself on the others
 * (`taskset -c 0 node dist/bench/…`) the load generator and the server under
 * test no longer take turns on the same CPUs (docs/performance.md).
 */
function pinToServerCpus(pid: number | undefined): void {
  const cpus = process.env['BENCH_SERVER_CPUS'];
  if (cpus === undefined || cpus === '' || pid === undefined) return;
  execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
}
