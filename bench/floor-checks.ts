/*
 * The floor of the benchmarks: the least that any server keeping the issue's
 * contract must do per model call beyond the baseline it is added to ((e)'s
 * bare server with its durable record in bench/data-plane-pair.ts, (b)'s bare
 * proxy in bench/gateway.ts), written as cheaply as the contract allows, so
 * that a benchmark can tell what Keyless's design costs from what the
 * contract itself costs on this machine:
 *   - know the caller. An `api-key` is found by its digest (a secret is stored
 *     hashed and never compared with `===`): one SHA-256 and one map lookup,
 *     the cheapest form that keeps both rules (an unkeyed digest is enough
 *     for a key of 256 random bits; Keyless keys its digest with a pepper, an
 *     HMAC, which costs more and is measured as part of (a)). A bearer token
 *     is one already verified: found by its signature's characters and
 *     compared whole, what a cache of verified tokens does on a hit (the
 *     RS256 verification itself is paid once per token, not per call);
 *   - count the call against the deployment's quota (requests per 10 s and
 *     tokens per minute, its cost estimated from the body's length and
 *     `max_tokens`), one fixed-window counter pair;
 *   - answer with Azure's headers: a request id (`x-request-id`,
 *     `apim-request-id`) and the four `x-ratelimit-*`.
 * No account or deployment lookup, no network rules, no api-version check, no
 * role lookup, no faults, no logging: each of those is Keyless's and is
 * measured as part of (a).
 */
import { hash, randomUUID } from 'node:crypto';

const REQUEST_WINDOW_MS = 10_000;
const TOKEN_WINDOW_MS = 60_000;
/** Keyless's largest capacity (the benchmarks' deployments), so that the floor never refuses either. */
const REQUESTS_PER_WINDOW = 150_000;
const TOKENS_PER_MINUTE = 150_000_000;
/** How many of a token's last characters (its signature's) find it, as Keyless's cache of verified tokens does. */
const TOKEN_TAIL = 48;

export type FloorCheck =
  | { readonly allowed: true; readonly requestId: string; readonly headers: Record<string, string | number> }
  | { readonly allowed: false; readonly status: 401; readonly body: string };

export type Credential = (headers: Readonly<Record<string, string | string[] | undefined>>) => boolean;

const REFUSED: FloorCheck = {
  allowed: false,
  status: 401,
  body: '{"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint."}}',
};

/** The one `api-key` the floor knows, digested at start. */
export function keyCredential(apiKey: string): Credential {
  const keys = new Set([hash('sha256', apiKey, 'base64url')]);
  return (headers) => {
    const presented = headers['api-key'];
    return typeof presented === 'string' && keys.has(hash('sha256', presented, 'base64url'));
  };
}

/** The one bearer token the floor knows, as if verified once. */
export function tokenCredential(token: string): Credential {
  const verified = new Map([[token.slice(-TOKEN_TAIL), token]]);
  return (headers) => {
    const authorization = headers['authorization'];
    if (typeof authorization !== 'string' || !authorization.startsWith('Bearer ')) return false;
    const presented = authorization.slice(7);
    return verified.get(presented.slice(-TOKEN_TAIL)) === presented;
  };
}

/** The caller known, then the call counted: Azure's headers for the answer, or a refusal. */
export function floorChecks(credential: Credential): (headers: Readonly<Record<string, string | string[] | undefined>>, body: Record<string, unknown>, bodyLength: number) => FloorCheck {
  let requests = 0;
  let requestsFrom = 0;
  let tokens = 0;
  let tokensFrom = 0;
  return (headers, body, bodyLength) => {
    if (!credential(headers)) return REFUSED;
    const now = Date.now();
    if (now - requestsFrom >= REQUEST_WINDOW_MS) {
      requests = 0;
      requestsFrom = now;
    }
    if (now - tokensFrom >= TOKEN_WINDOW_MS) {
      tokens = 0;
      tokensFrom = now;
    }
    const maxTokens = typeof body['max_tokens'] === 'number' ? body['max_tokens'] : 0;
    requests += 1;
    tokens += Math.ceil(bodyLength / 4) + maxTokens;
    const requestId = randomUUID();
    return {
      allowed: true,
      requestId,
      headers: {
        'x-request-id': requestId,
        'apim-request-id': requestId,
        'x-ratelimit-limit-requests': REQUESTS_PER_WINDOW,
        'x-ratelimit-limit-tokens': TOKENS_PER_MINUTE,
        'x-ratelimit-remaining-requests': Math.max(0, REQUESTS_PER_WINDOW - requests),
        'x-ratelimit-remaining-tokens': Math.max(0, TOKENS_PER_MINUTE - tokens),
      },
    };
  };
}

/** A captured answer as a template whose `"id":"…"` is this call's completion id. */
export function withFreshId(captured: string): (requestId: string) => string {
  const idAt = captured.indexOf('"id":"') + 6;
  const idEnd = captured.indexOf('"', idAt);
  const before = captured.slice(0, idAt);
  const after = captured.slice(idEnd);
  return (requestId) => `${before}chatcmpl-${requestId.replace(/-/g, '')}${after}`;
}
