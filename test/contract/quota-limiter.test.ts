import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { limitsForCapacity, MemoryQuotaLimiter, RedisQuotaLimiter, type QuotaLimiter } from '../../src/quotas/index.js';
import { deleteKeys, describeRedis, REDIS_URL, uniqueKeyPrefix } from '../fixtures/redis.js';

/*
 * The limiter's contract, written once and run on both implementations (as the
 * store's contract runs on both dialects): Azure's 10-second request windows,
 * its minute of tokens, the estimate corrected by settle, the retry-after
 * values and the remaining counts. Time is the `nowMs` argument: nothing sleeps.
 */

const T0 = 1_800_000_000_000;
const ONE = limitsForCapacity(1); // 1 request per 10 s, 1,000 tokens per minute
const TWO = limitsForCapacity(2); // 2 requests per 10 s, 2,000 tokens per minute

function contract(name: string, open: () => Promise<QuotaLimiter>): void {
  describe(name, () => {
    let limiter: QuotaLimiter;
    before(async () => {
      limiter = await open();
    });
    after(async () => {
      await limiter.close();
    });

    test('capacity 1 admits one request per 10 seconds, and says how long to wait', async () => {
      assert.deepEqual(await limiter.admit('rpm', ONE, 100, T0), { allowed: true, remainingRequests: 0, remainingTokens: 900 });
      assert.deepEqual(await limiter.admit('rpm', ONE, 100, T0 + 1), {
        allowed: false, exceeded: 'requests', retryAfterMs: 9_999, remainingRequests: 0, remainingTokens: 900,
      });
      assert.deepEqual(await limiter.admit('rpm', ONE, 100, T0 + 9_999), {
        allowed: false, exceeded: 'requests', retryAfterMs: 1, remainingRequests: 0, remainingTokens: 900,
      });
      // The next evaluation period starts with the next request.
      assert.deepEqual(await limiter.admit('rpm', ONE, 100, T0 + 10_000), { allowed: true, remainingRequests: 0, remainingTokens: 800 });
      assert.deepEqual(await limiter.admit('rpm', ONE, 100, T0 + 15_000), {
        allowed: false, exceeded: 'requests', retryAfterMs: 5_000, remainingRequests: 0, remainingTokens: 800,
      });
    });

    test('tokens: the request that reaches the minute\'s limit is admitted, the next ones wait for the minute to end', async () => {
      assert.deepEqual(await limiter.admit('tpm', TWO, 1_500, T0), { allowed: true, remainingRequests: 1, remainingTokens: 500 });
      assert.deepEqual(await limiter.admit('tpm', TWO, 600, T0 + 10_000), { allowed: true, remainingRequests: 1, remainingTokens: 0 });
      assert.deepEqual(await limiter.admit('tpm', TWO, 1, T0 + 20_000), {
        allowed: false, exceeded: 'tokens', retryAfterMs: 40_000, remainingRequests: 1, remainingTokens: 0,
      });
      assert.deepEqual(await limiter.admit('tpm', TWO, 1, T0 + 60_000), { allowed: true, remainingRequests: 1, remainingTokens: 1_999 });
    });

    test('when both limits are reached, the longer wait is the answer', async () => {
      assert.equal((await limiter.admit('both', ONE, 1_000, T0)).allowed, true);
      assert.deepEqual(await limiter.admit('both', ONE, 1, T0 + 2_000), {
        allowed: false, exceeded: 'tokens', retryAfterMs: 58_000, remainingRequests: 0, remainingTokens: 0,
      });
    });

    test('refused requests count as requests, never as tokens', async () => {
      assert.equal((await limiter.admit('refused', TWO, 2_000, T0)).allowed, true);
      // Refused on tokens, but it used the window's second request.
      assert.deepEqual(await limiter.admit('refused', TWO, 500, T0 + 1_000), {
        allowed: false, exceeded: 'tokens', retryAfterMs: 59_000, remainingRequests: 0, remainingTokens: 0,
      });
      assert.deepEqual(await limiter.admit('refused', TWO, 500, T0 + 2_000), {
        allowed: false, exceeded: 'tokens', retryAfterMs: 58_000, remainingRequests: 0, remainingTokens: 0,
      });
    });

    test('settle corrects the estimate with the real usage, within the minute it was admitted', async () => {
      assert.deepEqual(await limiter.admit('settle', TWO, 1_800, T0), { allowed: true, remainingRequests: 1, remainingTokens: 200 });
      limiter.settle('settle', -1_500, T0); // used 300, not 1,800
      await settled(limiter);
      assert.deepEqual(await limiter.admit('settle', TWO, 100, T0 + 1_000), { allowed: true, remainingRequests: 0, remainingTokens: 1_600 });
      // More than estimated: counted too.
      limiter.settle('settle', 1_000, T0 + 1_000);
      await settled(limiter);
      assert.deepEqual(await limiter.admit('settle', TWO, 0, T0 + 10_000), { allowed: true, remainingRequests: 1, remainingTokens: 600 });
      // Never below zero.
      limiter.settle('settle', -50_000, T0);
      await settled(limiter);
      assert.deepEqual(await limiter.admit('settle', TWO, 0, T0 + 11_000), { allowed: true, remainingRequests: 0, remainingTokens: 2_000 });
    });

    test('settle for a minute that has ended changes nothing', async () => {
      assert.equal((await limiter.admit('late', TWO, 1_000, T0)).allowed, true);
      assert.deepEqual(await limiter.admit('late', TWO, 500, T0 + 60_000), { allowed: true, remainingRequests: 1, remainingTokens: 1_500 });
      limiter.settle('late', -1_000, T0); // the answer of the first request, after its minute
      limiter.settle('unknown', -1_000, T0);
      await settled(limiter);
      assert.deepEqual(await limiter.admit('late', TWO, 0, T0 + 61_000), { allowed: true, remainingRequests: 0, remainingTokens: 1_500 });
    });

    test('each deployment key counts alone', async () => {
      assert.equal((await limiter.admit('a', ONE, 10, T0)).allowed, true);
      assert.equal((await limiter.admit('a', ONE, 10, T0 + 1)).allowed, false);
      assert.deepEqual(await limiter.admit('b', ONE, 10, T0 + 1), { allowed: true, remainingRequests: 0, remainingTokens: 990 });
    });

    test('a larger capacity: 600 units admit 600 requests per 10 s and 600,000 tokens per minute', async () => {
      const limits = limitsForCapacity(600);
      for (let i = 0; i < 600; i++) {
        const admission = await limiter.admit('big', limits, 10, T0 + i);
        assert.equal(admission.allowed, true, `request ${i}`);
        assert.equal(admission.remainingRequests, 599 - i);
      }
      assert.deepEqual(await limiter.admit('big', limits, 10, T0 + 600), {
        allowed: false, exceeded: 'requests', retryAfterMs: 9_400, remainingRequests: 0, remainingTokens: 594_000,
      });
    });
  });
}

/** Redis applies settle after a round trip; a PING behind it on the same connection proves it ran. */
async function settled(limiter: QuotaLimiter): Promise<void> {
  if (limiter instanceof RedisQuotaLimiter) await (limiter as unknown as { redis: { ping(): Promise<string> } }).redis.ping();
}

contract('memory limiter', async () => new MemoryQuotaLimiter());

describeRedis('redis limiter', () => {
  const prefix = uniqueKeyPrefix();
  after(async () => {
    await deleteKeys(prefix);
  });
  contract('contract', () => RedisQuotaLimiter.open({ url: REDIS_URL, keyPrefix: prefix, onWarning: (m) => assert.fail(m) }));

  test('two instances share one count', async () => {
    const a = await RedisQuotaLimiter.open({ url: REDIS_URL, keyPrefix: prefix, onWarning: (m) => assert.fail(m) });
    const b = await RedisQuotaLimiter.open({ url: REDIS_URL, keyPrefix: prefix, onWarning: (m) => assert.fail(m) });
    try {
      assert.deepEqual(await a.admit('shared', TWO, 700, T0), { allowed: true, remainingRequests: 1, remainingTokens: 1_300 });
      assert.deepEqual(await b.admit('shared', TWO, 700, T0 + 1), { allowed: true, remainingRequests: 0, remainingTokens: 600 });
      assert.deepEqual(await a.admit('shared', TWO, 700, T0 + 2), {
        allowed: false, exceeded: 'requests', retryAfterMs: 9_998, remainingRequests: 0, remainingTokens: 600,
      });
      b.settle('shared', -600, T0 + 1);
      await settled(b);
      assert.deepEqual(await a.admit('shared', TWO, 0, T0 + 10_000), { allowed: true, remainingRequests: 1, remainingTokens: 1_200 });
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('the counters expire by themselves once both windows have ended', async () => {
    const limiter = await RedisQuotaLimiter.open({ url: REDIS_URL, keyPrefix: prefix, onWarning: (m) => assert.fail(m) });
    try {
      const now = Date.now();
      await limiter.admit('expiry', ONE, 1, now);
      const ttl = await (limiter as unknown as { redis: { pttl(key: string): Promise<number> } }).redis.pttl(`${prefix}expiry`);
      assert.ok(ttl > 55_000 && ttl <= 60_000, `pttl ${ttl}`);
    } finally {
      await limiter.close();
    }
  });

  test('Redis gone at run time: this instance counts alone, says so once, and says when Redis is back', async () => {
    const proxy = await TcpProxy.start(new URL(REDIS_URL));
    const warnings: string[] = [];
    const limiter = await RedisQuotaLimiter.open({ url: `redis://127.0.0.1:${proxy.port}`, keyPrefix: prefix, onWarning: (m) => warnings.push(m) });
    try {
      const shared = limiter.admit('outage', TWO, 10, T0);
      assert.ok(shared instanceof Promise);
      assert.equal((await shared).allowed, true);

      await proxy.stop();
      await until(() => (limiter as unknown as { redis: { status: string } }).redis.status !== 'ready');
      // Answered at once from memory, which starts from zero: the shared count is out of reach.
      assert.deepEqual(limiter.admit('outage', TWO, 10, T0 + 1), { allowed: true, remainingRequests: 1, remainingTokens: 1_990 });
      limiter.admit('outage', TWO, 10, T0 + 2);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0] as string, new RegExp(`^Redis at redis://127\\.0\\.0\\.1:${proxy.port} is unreachable \\(.+\\); quotas are counted by this instance alone until it is back\\.$`));

      await proxy.restart();
      await until(() => warnings.length === 2);
      assert.equal(warnings[1], `Redis at redis://127.0.0.1:${proxy.port} is back; quotas are shared again.`);
      // Shared again: the count Redis kept (one request in this window).
      assert.deepEqual(await limiter.admit('outage', TWO, 10, T0 + 3), { allowed: true, remainingRequests: 0, remainingTokens: 1_980 });
    } finally {
      await limiter.close();
      await proxy.stop();
    }
  });
});

describe('redis limiter start-up', () => {
  test('an unreachable Redis is a clear start-up error, with no password shown', async () => {
    await assert.rejects(
      RedisQuotaLimiter.open({ url: 'redis://:hunter2@127.0.0.1:1', onWarning: (m) => assert.fail(m) }),
      (error: Error) => {
        assert.equal(error.name, 'StartupError');
        assert.equal(
          error.message,
          'Could not connect to Redis at redis://:***@127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1. Start Redis, fix --redis, or leave --redis out to count quotas in this instance alone.',
        );
        return true;
      },
    );
  });
});

/** Polls `condition` every 20 ms for up to 10 s (reconnecting takes up to 2 s). */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(condition(), 'condition not reached in 10 s');
}

/** A loopback TCP proxy in front of Redis that the test can cut and restore, to make Redis unreachable and back. */
class TcpProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();

  private constructor(private readonly target: URL, public port: number) {}

  static async start(target: URL): Promise<TcpProxy> {
    const proxy = new TcpProxy(target, 0);
    await proxy.restart();
    return proxy;
  }

  async restart(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(Number(this.target.port || 6379), this.target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
