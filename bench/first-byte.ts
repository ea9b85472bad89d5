/*
 * Streaming time to first byte: `stream: true` requests sent one at a time
 * over a warm keep-alive connection, each timed from the moment it is sent to
 * the first byte of the response body (the first server-sent event, not the
 * headers), then read to its end before the next is sent. One at a time, so
 * that what is measured is each hop's own delay, never queueing.
 */
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { Target } from './load.js';

const REQUEST_TIMEOUT_MS = 5000;

export interface FirstBytes {
  /** Milliseconds to the first body byte, one per successful request. */
  readonly samples: number[];
  /** Requests that failed, answered other than 200 text/event-stream, or timed out. */
  bad: number;
}

/** Sends `count` streaming requests to `target` one after the other and adds their times to `into`. */
export async function firstBytes(target: Target, count: number, into: FirstBytes): Promise<void> {
  for (let i = 0; i < count; i++) {
    const ms = await once(target);
    if (ms === undefined) into.bad++;
    else into.samples.push(ms);
  }
}

function once(target: Target): Promise<number | undefined> {
  const url = new URL(target.url);
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let first: number | undefined;
    let settled = false;
    const settle = (value: number | undefined): void => {
      if (settled) return;
      settled = true;
      resolve(value);
    };
    const started = performance.now();
    const req = lib.request(url, { method: target.method, headers: { ...target.headers }, agent: target.agent, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      const ok = res.statusCode === 200 && String(res.headers['content-type']).startsWith('text/event-stream');
      res.on('data', () => {
        first ??= performance.now() - started;
      });
      res.on('end', () => settle(ok ? first : undefined));
      res.on('error', () => settle(undefined));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => settle(undefined));
    req.end(target.body);
  });
}
