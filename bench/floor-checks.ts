/*
 * The floor of the data-plane benchmark, (f): the least that any server
 * keeping the issue's contract must do per chat call beyond (e)'s bare server
 * with its durable record, written as cheaply as the contract allows, so that
 * the benchmark can tell what Keyless's design costs from what the contract
 * itself costs on this machine:
 *   - find the presented `api-key` by its keyed digest (a secret is stored
 *     hashed and never compared with `===`), one HMAC and one map lookup;
 *   - count the call against the deployment's quota (requests per 10 s and
 *     tokens per minute, its cost estimated from the body's length and
 *     `max_tokens`), one fixed-window counter pair;
 *   - answer with a fresh completion id and Azure's headers: a request id
 *     (`x-request-id`, `apim-request-id`) and the four `x-ratelimit-*`.
 * No account or deployment lookup, no network rules, no api-version check, no
 * faults, no usage read from the answer, no logging: each of those is
 * Keyless's and is measured as part of (a).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { keyedDigest } from '../src/shared/crypto.js';

const PURPOSE = 'account-key';
const REQUEST_WINDOW_MS = 10_000;
const TOKEN_WINDOW_MS = 60_000;
/** Keyless's largest capacity (the benchmark's deployments), so that the floor never refuses either. */
const REQUESTS_PER_WINDOW = 150_000;
const TOKENS_PER_MINUTE = 150_000_000;

export interface FloorAnswer {
  readonly status: number;
  readonly headers: Record<string, string | number>;
  /** The answer's bytes with this call's completion id in place of the captured one. */
  readonly body: string;
}

/**
 * Checks for the one key `apiKey` (digested at start with a pepper of its
 * own) and an answer template `captured` whose `"id":"…"` is replaced per call.
 */
export function floorChecks(apiKey: string, captured: string): (headers: Record<string, string | string[] | undefined>, body: Record<string, unknown>, bodyLength: number) => FloorAnswer {
  const pepper = randomBytes(32);
  const keys = new Map([[keyedDigest(pepper, PURPOSE, apiKey), 'key1']]);
  const idAt = captured.indexOf('"id":"') + 6;
  const idEnd = captured.indexOf('"', idAt);
  const before = captured.slice(0, idAt);
  const after = captured.slice(idEnd);
  let requests = 0;
  let requestsFrom = 0;
  let tokens = 0;
  let tokensFrom = 0;
  return (headers, body, bodyLength) => {
    const presented = headers['api-key'];
    if (typeof presented !== 'string' || keys.get(keyedDigest(pepper, PURPOSE, presented)) === undefined) {
      return { status: 401, headers: {}, body: '{"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint."}}' };
    }
    const now = Date.now();
    if (now - requestsFrom >= REQUEST_WINDOW_MS) [requests, requestsFrom] = [0, now];
    if (now - tokensFrom >= TOKEN_WINDOW_MS) [tokens, tokensFrom] = [0, now];
    const maxTokens = typeof body['max_tokens'] === 'number' ? body['max_tokens'] : 0;
    requests += 1;
    tokens += Math.ceil(bodyLength / 4) + maxTokens;
    const requestId = randomUUID();
    return {
      status: 200,
      headers: {
        'x-request-id': requestId,
        'apim-request-id': requestId,
        'x-ratelimit-limit-requests': REQUESTS_PER_WINDOW,
        'x-ratelimit-limit-tokens': TOKENS_PER_MINUTE,
        'x-ratelimit-remaining-requests': Math.max(0, REQUESTS_PER_WINDOW - requests),
        'x-ratelimit-remaining-tokens': Math.max(0, TOKENS_PER_MINUTE - tokens),
      },
      body: `${before}chatcmpl-${requestId.replace(/-/g, '')}${after}`,
    };
  };
}
