import { Redis } from 'ioredis';
import { MemoryQuotaLimiter } from './memory-limiter.js';
import { REQUEST_WINDOW_MS, TOKEN_WINDOW_MS, type Admission, type QuotaLimiter, type QuotaLimits } from './model.js';
import { ADMIT_SCRIPT, SETTLE_SCRIPT } from './redis-scripts.js';
import { quotaErrors, redactRedisUrl } from './errors.js';

export interface RedisQuotaOptions {
  /** redis:// or rediss:// */
  readonly url: string;
  /** Prefixed to every deployment key (tests use one per run). */
  readonly keyPrefix?: string;
  /** Told once when Redis goes away (counts fall back to this instance) and once when it is back. */
  readonly onWarning: (message: string) => void;
  /** How long one script call may take before this request is counted in memory instead. */
  readonly commandTimeoutMs?: number;
}

/** The two scripts, as ioredis's defineCommand adds them (EVALSHA, with EVAL once if Redis lost the script). */
interface QuotaCommands {
  keylessAdmit(key: string, ...args: (string | number)[]): Promise<[number, number, number, number, number]>;
  keylessSettle(key: string, ...args: (string | number)[]): Promise<number>;
}

export const DEFAULT_KEY_PREFIX = 'keyless:quota:';
const RECONNECT_MAX_DELAY_MS = 2_000;
const CONNECT_TIMEOUT_MS = 3_000;

/**
 * Counts shared by every instance that uses the same Redis: one atomic script
 * call (one round trip) per request. When Redis is unreachable at run time,
 * requests are counted in this process's memory (a warning says so) rather than
 * refused: a quota protects a deployment from too much traffic, and failing
 * closed would turn a Redis outage into an outage of every deployment.
 */
export class RedisQuotaLimiter implements QuotaLimiter {
  readonly shared = true;
  private readonly fallback = new MemoryQuotaLimiter();
  private readonly commands: QuotaCommands;
  private degraded = false;

  private constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly where: string,
    private readonly onWarning: (message: string) => void,
  ) {
    this.commands = redis as unknown as QuotaCommands;
  }

  /** Connects, or fails with a clear StartupError: a Redis that is not there at start is a configuration error. */
  static async open(options: RedisQuotaOptions): Promise<RedisQuotaLimiter> {
    const where = redactRedisUrl(options.url);
    let starting = true;
    let lastError = '';
    const redis = new Redis(options.url, {
      lazyConnect: true,
      // Fail at once while disconnected instead of queueing: the fallback answers.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: CONNECT_TIMEOUT_MS,
      commandTimeout: options.commandTimeoutMs ?? 1_000,
      retryStrategy: (times) => (starting ? null : Math.min(times * 100, RECONNECT_MAX_DELAY_MS)),
    });
    redis.defineCommand('keylessAdmit', { numberOfKeys: 1, lua: ADMIT_SCRIPT });
    redis.defineCommand('keylessSettle', { numberOfKeys: 1, lua: SETTLE_SCRIPT });
    const onStartError = (error: Error) => (lastError = error.message);
    redis.on('error', onStartError);
    // A server that accepts but never answers (the ready check waits): give up like a refused connection.
    const timeout = setTimeout(() => {
      lastError = `no answer within ${CONNECT_TIMEOUT_MS / 1000} s`;
      redis.disconnect();
    }, CONNECT_TIMEOUT_MS);
    try {
      await redis.connect();
    } catch (error) {
      // Not disconnect() once ended: its close timer would hold the process for its length.
      if (redis.status !== 'end') redis.disconnect();
      throw quotaErrors.redisUnreachable(where, lastError || (error as Error).message);
    } finally {
      clearTimeout(timeout);
    }
    starting = false;
    redis.off('error', onStartError);
    const limiter = new RedisQuotaLimiter(redis, options.keyPrefix ?? DEFAULT_KEY_PREFIX, where, options.onWarning);
    redis.on('error', (error: Error) => limiter.degrade(error.message));
    redis.on('ready', () => limiter.recover());
    return limiter;
  }

  admit(key: string, limits: QuotaLimits, estimatedTokens: number, nowMs: number): Admission | Promise<Admission> {
    if (this.redis.status !== 'ready') {
      this.degrade(`connection ${this.redis.status}`);
      return this.fallback.admit(key, limits, estimatedTokens, nowMs);
    }
    return this.commands
      .keylessAdmit(this.prefix + key, nowMs, limits.requestsPerWindow, limits.tokensPerMinute, estimatedTokens, REQUEST_WINDOW_MS, TOKEN_WINDOW_MS)
      .then((reply: [number, number, number, number, number]) => {
        // A command that succeeds again ends a degradation the connection never noticed (a timeout on a live link).
        if (this.degraded) this.recover();
        return toAdmission(reply);
      }, (error: Error) => {
        this.degrade(error.message);
        return this.fallback.admit(key, limits, estimatedTokens, nowMs);
      });
  }

  settle(key: string, deltaTokens: number, admittedAtMs: number): void {
    if (deltaTokens === 0) return;
    if (this.redis.status !== 'ready') {
      this.fallback.settle(key, deltaTokens, admittedAtMs);
      return;
    }
    this.commands.keylessSettle(this.prefix + key, admittedAtMs, deltaTokens, TOKEN_WINDOW_MS).catch((error: Error) => this.degrade(error.message));
  }

  async close(): Promise<void> {
    this.redis.removeAllListeners('ready');
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private degrade(reason: string): void {
    if (this.degraded) return;
    this.degraded = true;
    this.onWarning(`Redis at ${this.where} is unreachable (${reason}); quotas are counted by this instance alone until it is back.`);
  }

  private recover(): void {
    if (!this.degraded) return;
    this.degraded = false;
    this.onWarning(`Redis at ${this.where} is back; quotas are shared again.`);
  }
}

function toAdmission([allowed, remainingRequests, remainingTokens, waitMs, exceeded]: [number, number, number, number, number]): Admission {
  if (allowed === 1) return { allowed: true, remainingRequests, remainingTokens };
  return { allowed: false, exceeded: exceeded === 2 ? 'tokens' : 'requests', retryAfterMs: Math.max(1, waitMs), remainingRequests, remainingTokens };
}
