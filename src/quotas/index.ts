/** Azure OpenAI's per-deployment rate limits (requests and tokens per minute), counted in memory or in Redis (no HTTP). */
export {
  REQUEST_WINDOW_MS,
  TOKEN_WINDOW_MS,
  limitsForCapacity,
  type Admission,
  type MaybePromise,
  type QuotaLimiter,
  type QuotaLimits,
} from './model.js';
export { MemoryQuotaLimiter } from './memory-limiter.js';
export { RedisQuotaLimiter, DEFAULT_KEY_PREFIX, type RedisQuotaOptions } from './redis-limiter.js';
export { openQuotaLimiter } from './open.js';
export { estimateTokens, promptTokens, DEFAULT_COMPLETION_RESERVE, type QuotaOperation } from './estimate.js';
export { quotaErrors, redactRedisUrl } from './errors.js';
