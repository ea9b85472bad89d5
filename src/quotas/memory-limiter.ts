import { REQUEST_WINDOW_MS, TOKEN_WINDOW_MS, type Admission, type QuotaLimiter, type QuotaLimits } from './model.js';

/** One deployment's two running counts, mutated in place (no allocation per request). */
interface Counts {
  /** Start of the current 10-second request window, and requests counted in it. */
  requestsFrom: number;
  requests: number;
  /** Start of the current minute, and tokens counted in it. */
  tokensFrom: number;
  tokens: number;
}

/**
 * The counts in this process's memory: a synchronous answer, for one instance
 * (or as the stand-in while Redis is unreachable).
 *
 * Each window starts with the first request after the previous one ended, and
 * its count resets when it ends (Azure: "until the next evaluation period",
 * "a running token count … that is reset each minute"). A request is refused
 * once a window's count has reached its limit; the request that reaches the
 * token limit is still admitted (Azure: "if at any time during that minute the
 * TPM rate limit value is reached, then further requests receive a 429").
 * Refused requests count as requests (Azure: "unsuccessful requests still count
 * toward your per-minute rate limit"), but their tokens do not.
 */
export class MemoryQuotaLimiter implements QuotaLimiter {
  readonly shared = false;
  private readonly counts = new Map<string, Counts>();

  admit(key: string, limits: QuotaLimits, estimatedTokens: number, nowMs: number): Admission {
    let c = this.counts.get(key);
    if (c === undefined) {
      c = { requestsFrom: nowMs, requests: 0, tokensFrom: nowMs, tokens: 0 };
      this.counts.set(key, c);
    }
    if (nowMs >= c.requestsFrom + REQUEST_WINDOW_MS) {
      c.requestsFrom = nowMs;
      c.requests = 0;
    }
    if (nowMs >= c.tokensFrom + TOKEN_WINDOW_MS) {
      c.tokensFrom = nowMs;
      c.tokens = 0;
    }
    const requestWait = c.requests >= limits.requestsPerWindow ? c.requestsFrom + REQUEST_WINDOW_MS - nowMs : 0;
    const tokenWait = c.tokens >= limits.tokensPerMinute ? c.tokensFrom + TOKEN_WINDOW_MS - nowMs : 0;
    c.requests++;
    if (requestWait === 0 && tokenWait === 0) {
      c.tokens += estimatedTokens;
      return { allowed: true, remainingRequests: remaining(limits.requestsPerWindow, c.requests), remainingTokens: remaining(limits.tokensPerMinute, c.tokens) };
    }
    return {
      allowed: false,
      exceeded: tokenWait > requestWait ? 'tokens' : 'requests',
      retryAfterMs: Math.max(1, requestWait, tokenWait),
      remainingRequests: remaining(limits.requestsPerWindow, c.requests),
      remainingTokens: remaining(limits.tokensPerMinute, c.tokens),
    };
  }

  settle(key: string, deltaTokens: number, admittedAtMs: number): void {
    const c = this.counts.get(key);
    // Only the minute the request was admitted in: a later minute starts from zero.
    if (c === undefined || admittedAtMs < c.tokensFrom || admittedAtMs >= c.tokensFrom + TOKEN_WINDOW_MS) return;
    c.tokens = Math.max(0, c.tokens + deltaTokens);
  }

  /** Forgets a deployment's counts (e.g. once it is deleted). */
  forget(key: string): void {
    this.counts.delete(key);
  }

  async close(): Promise<void> {
    this.counts.clear();
  }
}

const remaining = (limit: number, used: number): number => (used >= limit ? 0 : limit - used);
