/**
 * Azure OpenAI's rate limits for a Standard deployment, as documented in
 * "Manage Azure OpenAI quota" (MicrosoftDocs/azure-ai-docs, how-to/quota.md):
 * one capacity unit is 1,000 tokens per minute and 6 requests per minute.
 * Requests are evaluated over 10-second periods (RPM / 6 per period, as
 * x-ratelimit-remaining-requests shows on the wire), tokens over a minute
 * whose running count is reset each minute. docs/compatibility.md has the sources.
 */

/** Requests are counted in evaluation periods of this length. */
export const REQUEST_WINDOW_MS = 10_000;
/** Tokens are counted in periods of a minute. */
export const TOKEN_WINDOW_MS = 60_000;
export const TOKENS_PER_MINUTE_PER_UNIT = 1_000;
export const REQUESTS_PER_MINUTE_PER_UNIT = 6;

/** What a deployment's capacity allows. */
export interface QuotaLimits {
  readonly capacity: number;
  /** Requests per 10-second window: RPM / 6, i.e. one per capacity unit. */
  readonly requestsPerWindow: number;
  readonly requestsPerMinute: number;
  readonly tokensPerMinute: number;
}

/** The answer to one request: admitted, or refused with how long to wait. Remaining counts are never negative. */
export type Admission =
  | { readonly allowed: true; readonly remainingRequests: number; readonly remainingTokens: number }
  | {
      readonly allowed: false;
      /** The limit that refused it (the one with the longer wait when both are reached). */
      readonly exceeded: 'requests' | 'tokens';
      /** Until the refusing window ends; at least 1. */
      readonly retryAfterMs: number;
      readonly remainingRequests: number;
      readonly remainingTokens: number;
    };

/** Synchronous where it can be (in memory), a promise where it must be (Redis). */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Counts requests and tokens per deployment key. `admit` counts the request (and,
 * when admitted, its estimated tokens); `settle` corrects the tokens of an admitted
 * request by `deltaTokens` (real usage minus the estimate) in the minute it was
 * admitted, and never fails: it is fire-and-forget on the data plane.
 */
export interface QuotaLimiter {
  /** True when counters are shared by every instance (Redis), false when each process counts alone. */
  readonly shared: boolean;
  admit(key: string, limits: QuotaLimits, estimatedTokens: number, nowMs: number): MaybePromise<Admission>;
  settle(key: string, deltaTokens: number, admittedAtMs: number): void;
  close(): Promise<void>;
}

const byCapacity = new Map<number, QuotaLimits>();

/** The limits of `capacity` units, one frozen object per capacity (deployments share them). */
export function limitsForCapacity(capacity: number): QuotaLimits {
  let limits = byCapacity.get(capacity);
  if (limits === undefined) {
    limits = Object.freeze({
      capacity,
      requestsPerWindow: (capacity * REQUESTS_PER_MINUTE_PER_UNIT * REQUEST_WINDOW_MS) / 60_000,
      requestsPerMinute: capacity * REQUESTS_PER_MINUTE_PER_UNIT,
      tokensPerMinute: capacity * TOKENS_PER_MINUTE_PER_UNIT,
    });
    byCapacity.set(capacity, limits);
  }
  return limits;
}
