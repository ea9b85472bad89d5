import { EventEmitter } from 'node:events';
import { Agent, errors } from 'undici';
import type { Dispatcher } from 'undici';
import type { Upstream } from './model.js';

/** What the upstream answered, judged: a JSON document, a stream of bytes, or a failure Keyless answers for it. */
export type RelayOutcome =
  | { readonly kind: 'json'; readonly status: number; readonly text: string; readonly headers: RelayedHeaders }
  | { readonly kind: 'stream'; readonly status: number; readonly contentType: string; readonly body: AsyncIterable<Buffer>; readonly headers: RelayedHeaders }
  | { readonly kind: 'failed'; readonly failure: RelayFailure };

/** The upstream's headers that reach the caller: only the retry hints of a 429. */
export type RelayedHeaders = Readonly<Record<string, string>>;

/**
 * Why an upstream gave no usable answer. Only these words reach the audit;
 * the caller sees Azure's 502/504, which never names the upstream's address.
 */
export type RelayFailure =
  | 'unreachable'
  | 'reset'
  | 'firstByteTimeout'
  | 'timeout'
  | 'notJson'
  | 'redirect'
  | 'serverError'
  | 'refusedCredentials'
  /** A JSON answer larger than Keyless buffers (MAX_JSON_BYTES). */
  | 'tooLarge'
  /** Not the upstream's failure: the caller went away, and the upstream request was aborted for it. */
  | 'callerGone';

/** The largest JSON answer relayed (it is buffered whole); streams are not bounded, they are relayed as they come. */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;

/** How the caller's going away is learnt: the callback runs once, at once if it has already gone. */
export type OnCallerGone = (abort: () => void) => void;

/** One forwarded call: started, with a way to stop it (the caller went away) and to learn when it is over. */
export interface RelayCall {
  readonly outcome: Promise<RelayOutcome>;
  /** Aborts the upstream request (its connection is closed if an answer was under way). */
  abort(): void;
}

const EMPTY: RelayedHeaders = Object.freeze({});

/** Where an upstream's base URL sends requests, parsed once per URL. */
interface Target {
  readonly origin: string;
  readonly basePath: string;
}

/**
 * Forwards data-plane calls to upstreams over pooled keep-alive connections
 * (one undici Agent: a pool per origin). Never follows redirects, never sends
 * the caller's credentials (only the upstream's own key), and bounds each
 * call by the upstream's two timeouts: to the response headers, and for the
 * whole answer.
 */
export class UpstreamRelay {
  private readonly agent = new Agent({ keepAliveTimeout: 30_000, connections: 512, connect: { timeout: 10_000 } });
  private readonly targets = new Map<string, Target>();

  /** POSTs `body` to `{url}{path}` (e.g. '/chat/completions'). `key` is the upstream's own, when it has one. */
  post(upstream: Upstream, path: string, body: string, key: string | undefined, stream: boolean, onCallerGone: OnCallerGone): RelayCall {
    // undici also takes an EventEmitter as the signal: on Node 20 an AbortController and its
    // listener cost ~7 µs per call, an EventEmitter 0.1 µs (docs/performance.md, the gateway).
    const signal = new EventEmitter();
    const abort = (): void => void signal.emit('abort');
    // Why the request was stopped early, by whichever came first: the caller left, or one of the two timers ran out.
    let ended: RelayFailure | undefined;
    const endWith = (failure: RelayFailure): void => {
      ended ??= failure;
      abort();
    };
    onCallerGone(() => endWith('callerGone'));
    const target = this.target(upstream.url);
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json' };
    if (key !== undefined) headers['authorization'] = `Bearer ${key}`;
    const timer = setTimeout(endWith, upstream.timeoutMs, 'timeout');
    const done = () => clearTimeout(timer);
    // A stream owes its headers within the first-byte timeout. Timed here, to the millisecond: undici's own
    // headersTimeout (kept as a backstop) runs on its coarse timers, which may let a 1 s limit run to 2 s.
    const firstByte = stream ? setTimeout(endWith, upstream.firstByteTimeoutMs, 'firstByteTimeout') : undefined;
    const cause = (error: unknown): RelayFailure => ended ?? failureOf(error);
    const outcome = this.agent
      .request({
        origin: target.origin,
        path: `${target.basePath}${path}`,
        method: 'POST',
        headers,
        body,
        signal,
        // Servers send a plain answer's headers only when it is complete: only a stream owes its first byte early.
        headersTimeout: stream ? upstream.firstByteTimeoutMs : upstream.timeoutMs,
        bodyTimeout: upstream.timeoutMs,
      })
      .then(
        (answer) => {
          clearTimeout(firstByte);
          return judge(answer, stream, done, cause);
        },
        (error: unknown): RelayOutcome => {
          clearTimeout(firstByte);
          done();
          return { kind: 'failed', failure: cause(error) };
        },
      );
    return { outcome, abort };
  }

  async close(): Promise<void> {
    // In-flight relays end with the servers that carry them: nothing is left to wait for.
    await this.agent.destroy();
  }

  private target(url: string): Target {
    let target = this.targets.get(url);
    if (target === undefined) {
      const parsed = new URL(url);
      target = { origin: parsed.origin, basePath: parsed.pathname.replace(/\/+$/, '') };
      this.targets.set(url, target);
    }
    return target;
  }
}

/** Sorts the upstream's answer: JSON or a stream to relay, or a failure (its body is then drained and dropped). */
async function judge(answer: Dispatcher.ResponseData, stream: boolean, done: () => void, cause: (error: unknown) => RelayFailure): Promise<RelayOutcome> {
  const status = answer.statusCode;
  const contentType = header(answer.headers['content-type']) ?? '';
  const fail = async (failure: RelayFailure): Promise<RelayOutcome> => {
    done();
    answer.body.resume();
    return { kind: 'failed', failure };
  };
  if (status >= 300 && status < 400) return fail('redirect');
  // The upstream refusing Keyless's own key is Keyless's problem, not the caller's credential.
  if (status === 401 || status === 403) return fail('refusedCredentials');
  if (status >= 500) return fail('serverError');
  const headers = status === 429 ? retryHeaders(answer.headers) : EMPTY;
  if (stream && status === 200 && contentType.startsWith('text/event-stream')) {
    return { kind: 'stream', status, contentType, body: relayed(answer.body, done, cause), headers };
  }
  if (!contentType.includes('json')) return fail('notJson');
  try {
    const text = await readBounded(answer.body);
    done();
    return text === undefined ? { kind: 'failed', failure: 'tooLarge' } : { kind: 'json', status, text, headers };
  } catch (error) {
    done();
    return { kind: 'failed', failure: cause(error) };
  }
}

/**
 * The whole body, or undefined (and the body dropped) once it passes MAX_JSON_BYTES. Read with
 * 'data' events rather than an async iterator: a promise per chunk cost measurably on the gateway's hot path.
 */
function readBounded(body: Dispatcher.ResponseData['body']): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_JSON_BYTES) {
        body.destroy();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    body.once('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks, size).toString('utf8')));
    body.once('error', reject);
  });
}

/** The body's chunks as they arrive; the overall timer stops when the body ends, however it ends. */
async function* relayed(body: AsyncIterable<Buffer>, done: () => void, cause: (error: unknown) => RelayFailure): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of body) yield chunk;
  } catch (error) {
    throw new RelayStreamError(cause(error));
  } finally {
    done();
  }
}

/** A stream cut after its first bytes: the caller's response can only be cut too. */
export class RelayStreamError extends Error {
  constructor(readonly failure: RelayFailure) {
    super(`upstream stream failed: ${failure}`);
  }
}

function retryHeaders(headers: Dispatcher.ResponseData['headers']): RelayedHeaders {
  const out: Record<string, string> = {};
  const after = header(headers['retry-after']);
  const afterMs = header(headers['retry-after-ms']);
  if (after !== undefined) out['retry-after'] = after;
  if (afterMs !== undefined) out['retry-after-ms'] = afterMs;
  return out;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function failureOf(error: unknown): RelayFailure {
  if (error instanceof errors.HeadersTimeoutError || error instanceof errors.ConnectTimeoutError) return 'firstByteTimeout';
  if (error instanceof errors.BodyTimeoutError) return 'timeout';
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'unreachable';
  return 'reset';
}
