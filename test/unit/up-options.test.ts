import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUpOptions } from '../../src/config/options.js';

/** `keyless up --redis`: a redis:// or rediss:// URL (or KEYLESS_REDIS), else a clear refusal; none means each instance counts alone. */

test('--redis takes a redis:// or rediss:// URL, or KEYLESS_REDIS; without either, quotas stay in the process', () => {
  assert.equal(parseUpOptions({}, {}).redis, undefined);
  assert.equal(parseUpOptions({ redis: 'redis://127.0.0.1:6379' }, {}).redis, 'redis://127.0.0.1:6379');
  assert.equal(parseUpOptions({ redis: 'rediss://user:pw@cache.example:6380/2' }, {}).redis, 'rediss://user:pw@cache.example:6380/2');
  assert.equal(parseUpOptions({}, { KEYLESS_REDIS: 'redis://10.0.0.5' }).redis, 'redis://10.0.0.5');
  assert.equal(parseUpOptions({ redis: 'redis://a' }, { KEYLESS_REDIS: 'redis://b' }).redis, 'redis://a');
});

test('anything else is refused with one clear message', () => {
  for (const bad of ['http://127.0.0.1:6379', '127.0.0.1:6379', 'redis://', 'redis:///0', '']) {
    assert.throws(
      () => parseUpOptions({ redis: bad }, {}),
      (error: Error) => {
        assert.equal(error.message, '--redis must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379 (without it, each instance counts quotas alone).');
        return true;
      },
      bad,
    );
  }
});
