import { MemoryQuotaLimiter } from './memory-limiter.js';
import type { QuotaLimiter } from './model.js';
import { RedisQuotaLimiter } from './redis-limiter.js';

/** Redis when a URL is given (counts shared by every instance), else this process's memory. */
export async function openQuotaLimiter(options: { readonly redisUrl: string | undefined; readonly onWarning: (message: string) => void }): Promise<QuotaLimiter> {
  if (options.redisUrl === undefined) return new MemoryQuotaLimiter();
  return RedisQuotaLimiter.open({ url: options.redisUrl, onWarning: options.onWarning });
}
