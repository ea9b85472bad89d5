/*
 * The benchmarks' load: closed-loop saturation with autocannon, an open-loop
 * paced client for latency below saturation, and the server's CPU and write
 * system calls per request from Linux's /proc.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { fmt } from './stats.js';

/** The paced client gives up on a request after this; a paced run stops at its duration plus this plus 1 s. */
const REQUEST_TIMEOUT_MS = 5000;

// ───────────────────────── CPU accounting ─────────────────────────

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export interface Usage {
  /** CPU seconds in user space and in the kernel. */
  user: number;
  sys: number;
  /** write(2)-family system calls. */
  writes: number;
}

/** What a process has used so far, from Linux's /proc (NaN elsewhere). */
export function usage(pid: number | undefined): Usage {
  const none = { user: Number.NaN, sys: Number.NaN, writes: Number.NaN };
  if (pid === undefined) return none;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')': utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const io = fs.readFileSync(`/proc/${pid}/io`, 'utf8');
    const writes = Number(/^syscw:\s*(\d+)/m.exec(io)?.[1] ?? Number.NaN);
    return { user: Number(fields[11]) / CLOCK_TICKS, sys: Number(fields[12]) / CLOCK_TICKS, writes };
  } catch {
    return none;
  }
}

// ───────────────────────── HTTP helpers ─────────────────────────

export interface Target {
  readonly label: string;
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The server process, for its CPU use. */
  readonly pid: number | undefined;
  /** The paced client's connection pool (keep-alive; verifies TLS with Keyless's CA). */
  readonly agent: http.Agent;
  /**
   * Paths (with query) that autocannon's connections cycle through instead of the URL's own, e.g. one per
   * deployment so that a deployment's quota (at most 15,000 requests per 10 s) never refuses at saturation.
   */
  readonly paths?: readonly string[];
}

export interface Response {
  status: number;
  body: Buffer;
}

export function send(url: string, options: { method: string; headers?: Record<string, string>; body?: string; agent: http.Agent }): Promise<Response> {
  const target = new URL(url);
  const lib = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      target,
      { method: options.method, headers: { ...options.headers }, agent: options.agent, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${options.method} ${url}: timed out`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

// ───────────────────────── load ─────────────────────────

export interface Counted {
  ok: number;
  bad: number;
  seconds: number;
  /** The server process's CPU seconds (user, kernel) and write system calls meanwhile. */
  user: number;
  sys: number;
  writes: number;
}

export function emptyCounted(): Counted {
  return { ok: 0, bad: 0, seconds: 0, user: 0, sys: 0, writes: 0 };
}

export function addCounted(into: Counted | undefined, more: Counted): void {
  if (!into) return;
  into.ok += more.ok;
  into.bad += more.bad;
  into.seconds += more.seconds;
  into.user += more.user;
  into.sys += more.sys;
  into.writes += more.writes;
}

/** The server's cost per successful request: CPU µs as "user+kernel", and write system calls. */
export function perRequest(counted: Counted): { cpu: string; writes: string } {
  const us = (seconds: number): string => fmt((seconds / counted.ok) * 1e6, 0);
  return { cpu: `${us(counted.user)}+${us(counted.sys)}`, writes: fmt(counted.writes / counted.ok, 1) };
}

/** Successful requests per second. */
export function rate(counted: Counted | undefined): number {
  return counted ? counted.ok / counted.seconds : Number.NaN;
}

/** One closed-loop autocannon run; adds what it saw to `into` unless it is a warm-up. */
export async function cannon(target: Target, connections: number, seconds: number, into: Counted | undefined): Promise<void> {
  const options: autocannon.Options = {
    url: target.url,
    method: target.method,
    headers: { ...target.headers },
    connections,
    duration: seconds,
    pipelining: 1,
    timeout: 10,
  };
  if (target.body !== undefined) options.body = target.body;
  // Each request inherits method, headers and body from the options above.
  if (target.paths !== undefined) options.requests = target.paths.map((p) => ({ path: p }));
  const before = usage(target.pid);
  const result = await autocannon(options);
  const after = usage(target.pid);
  if (into === undefined) return;
  into.ok += result['2xx'];
  into.bad += result.non2xx + result.errors;
  into.seconds += result.duration;
  into.user += after.user - before.user;
  into.sys += after.sys - before.sys;
  into.writes += after.writes - before.writes;
}

export interface PacedResult {
  latencies: number[];
  sent: number;
  bad: number;
  seconds: number;
  /** The server process's CPU seconds (user, kernel) meanwhile. */
  user: number;
  sys: number;
}

/**
 * An open-loop client at a fixed rate: request i is due at start + i / rate
 * whatever happened to earlier ones, and its latency is counted from when it
 * was due (so a stalled server, or a stalled client, shows up in the tail
 * instead of slowing the schedule down). Timer granularity adds the same
 * ~0-1 ms to every target.
 *
 * Not autocannon's `overallRate`: autocannon lets each connection send its
 * whole per-second quota back to back at the start of every second and then
 * wait, so its "fixed rate" is a saturated burst followed by idle time, and its
 * coordinated-omission correction assumes a 1 ms interval. That measures
 * queueing within the burst, not the latency a request sees below saturation.
 */
export function paced(target: Target, perSecond: number, seconds: number): Promise<PacedResult> {
  const url = new URL(target.url);
  const lib = url.protocol === 'https:' ? https : http;
  const total = Math.max(1, Math.round(perSecond * seconds));
  const intervalMs = 1000 / perSecond;
  const latencies: number[] = [];
  let sent = 0;
  let settled = 0;
  let bad = 0;
  const before = usage(target.pid);
  return new Promise((resolve) => {
    const start = performance.now();
    let next: NodeJS.Timeout | undefined;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(hardStop);
      clearTimeout(next);
      const after = usage(target.pid);
      resolve({ latencies, sent, bad: bad + (sent - settled), seconds: (performance.now() - start) / 1000, user: after.user - before.user, sys: after.sys - before.sys });
    };
    // Bounded in time whatever the server does: requests still open by then count as failures.
    const hardStop = setTimeout(finish, seconds * 1000 + REQUEST_TIMEOUT_MS + 1000);
    const settle = (due: number, ok: boolean): void => {
      settled++;
      if (ok) latencies.push(performance.now() - due);
      else bad++;
      if (settled === total) finish();
    };
    const fire = (due: number): void => {
      let done = false;
      const once = (ok: boolean): void => {
        if (done) return;
        done = true;
        settle(due, ok);
      };
      const req = lib.request(
        url,
        { method: target.method, headers: { ...target.headers }, agent: target.agent, timeout: REQUEST_TIMEOUT_MS },
        (res) => {
          res.resume();
          res.on('end', () => once(res.statusCode === 200));
          res.on('error', () => once(false));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => once(false));
      req.end(target.body);
    };
    const tick = (): void => {
      const now = performance.now();
      while (sent < total && start + sent * intervalMs <= now) {
        fire(start + sent * intervalMs);
        sent++;
      }
      if (sent < total) next = setTimeout(tick, Math.max(0, start + sent * intervalMs - performance.now()));
    };
    tick();
  });
}
