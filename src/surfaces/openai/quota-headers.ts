import type { Admission, QuotaLimits } from '../../quotas/index.js';

/** A response's header record, as the listener builds it for writeHead. */
export type HeaderRecord = Record<string, string | number>;

/** Whole seconds to wait, as `retry-after` and the 429 message give them: rounded up, at least 1. */
export const retryAfterSeconds = (retryAfterMs: number): number => Math.max(1, Math.ceil(retryAfterMs / 1000));

/**
 * Adds Azure's rate-limit headers to `headers` (in place: no record of its own on the hot path) and returns it.
 * Every answer of a counted operation carries the remaining requests (in the current 10-second window) and
 * tokens (in the current minute), with the limits they count down from; a refusal adds `retry-after`
 * (seconds) and `retry-after-ms`, which the openai package's retries wait for.
 */
export function addQuotaHeaders(headers: HeaderRecord, admission: Admission, limits: QuotaLimits): HeaderRecord {
  headers['x-ratelimit-limit-requests'] = limits.requestsPerWindow;
  headers['x-ratelimit-limit-tokens'] = limits.tokensPerMinute;
  headers['x-ratelimit-remaining-requests'] = admission.remainingRequests;
  headers['x-ratelimit-remaining-tokens'] = admission.remainingTokens;
  if (!admission.allowed) {
    headers['retry-after'] = retryAfterSeconds(admission.retryAfterMs);
    headers['retry-after-ms'] = admission.retryAfterMs;
  }
  return headers;
}
