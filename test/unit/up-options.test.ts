import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
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

/** `keyless up --public-url`: the origin clients use; https, a host and a port, nothing else. */

test('--public-url or KEYLESS_PUBLIC_URL gives the normalised origin; without either, none', () => {
  assert.equal(parseUpOptions({}, {}).publicUrl, undefined);
  assert.equal(parseUpOptions({}, { KEYLESS_PUBLIC_URL: '' }).publicUrl, undefined);
  assert.equal(parseUpOptions({ publicUrl: 'https://keyless.example.com' }, {}).publicUrl, 'https://keyless.example.com');
  assert.equal(parseUpOptions({ publicUrl: 'https://Keyless.Example.com:8443/' }, {}).publicUrl, 'https://keyless.example.com:8443');
  assert.equal(parseUpOptions({ publicUrl: 'https://keyless.example.com:443' }, {}).publicUrl, 'https://keyless.example.com');
  assert.equal(parseUpOptions({ publicUrl: 'https://10.0.0.5:9443' }, {}).publicUrl, 'https://10.0.0.5:9443');
  assert.equal(parseUpOptions({ publicUrl: 'https://[fd00::5]:9443' }, {}).publicUrl, 'https://[fd00::5]:9443');
  assert.equal(parseUpOptions({}, { KEYLESS_PUBLIC_URL: 'https://lb.internal:8443' }).publicUrl, 'https://lb.internal:8443');
  assert.equal(parseUpOptions({ publicUrl: 'https://a.test' }, { KEYLESS_PUBLIC_URL: 'https://b.test' }).publicUrl, 'https://a.test');
});

test('a --public-url that is not an https origin is refused, saying why', () => {
  const cases: [string, string][] = [
    ['http://keyless.example.com', 'must be https'],
    ['keyless.example.com', 'is not a URL'],
    ['', 'is not a URL'],
    ['https://keyless.example.com/openai', 'must not have a path, query or fragment'],
    ['https://keyless.example.com/?', 'must not have a path, query or fragment'],
    ['https://keyless.example.com?x=1', 'must not have a path, query or fragment'],
    ['https://keyless.example.com#top', 'must not have a path, query or fragment'],
    ['https://keyless.example.com:0', 'has an invalid port (1 to 65535)'],
    ['https://keyless.example.com:65536', 'has an invalid port (1 to 65535)'],
    ['https://keyless.example.com:84a3', 'has an invalid port (1 to 65535)'],
    ['https://[fd00::5]:-1', 'has an invalid port (1 to 65535)'],
    ['https://', 'is not a URL'],
    ['https://user:pw@keyless.example.com', 'must not carry a user name or password'],
  ];
  for (const [bad, why] of cases) {
    assert.throws(
      () => parseUpOptions({ publicUrl: bad }, {}),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'InvalidOption');
        assert.equal(error.message, `--public-url ${bad} ${why}; give the origin clients use, e.g. https://keyless.example.com or https://keyless.example.com:8443.`);
        return true;
      },
      bad,
    );
  }
});

/** `keyless up --tls-cert FILE --tls-key FILE`: both or neither (the files are checked at start). */

test('--tls-cert and --tls-key (or KEYLESS_TLS_CERT, KEYLESS_TLS_KEY) come as a pair of absolute paths', () => {
  assert.equal(parseUpOptions({}, {}).tls, undefined);
  assert.deepEqual(parseUpOptions({ tlsCert: '/etc/keyless/chain.pem', tlsKey: '/etc/keyless/key.pem' }, {}).tls, {
    certFile: '/etc/keyless/chain.pem',
    keyFile: '/etc/keyless/key.pem',
  });
  assert.deepEqual(parseUpOptions({}, { KEYLESS_TLS_CERT: 'chain.pem', KEYLESS_TLS_KEY: 'key.pem' }).tls, {
    certFile: path.resolve('chain.pem'),
    keyFile: path.resolve('key.pem'),
  });
  assert.equal(parseUpOptions({ tlsCert: '/a.pem', tlsKey: '/b.pem' }, { KEYLESS_TLS_CERT: '/c.pem', KEYLESS_TLS_KEY: '/d.pem' }).tls?.certFile, '/a.pem');
});

test('one of --tls-cert and --tls-key without the other is refused, naming the missing one', () => {
  const refused = (raw: Parameters<typeof parseUpOptions>[0], env: NodeJS.ProcessEnv, message: string) =>
    assert.throws(
      () => parseUpOptions(raw, env),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'InvalidOption');
        assert.equal(error.message, message);
        return true;
      },
    );
  const needKey = '--tls-cert and --tls-key go together: give --tls-key FILE (the PEM private key) as well, or neither to use the generated localhost certificate.';
  const needCert = '--tls-cert and --tls-key go together: give --tls-cert FILE (the PEM certificate chain) as well, or neither to use the generated localhost certificate.';
  refused({ tlsCert: '/chain.pem' }, {}, needKey);
  refused({}, { KEYLESS_TLS_KEY: '/key.pem' }, needCert);
  refused({ tlsCert: '/chain.pem' }, { KEYLESS_TLS_KEY: '' }, needKey);
  refused({ tlsCert: '', tlsKey: '/key.pem' }, {}, '--tls-cert and --tls-key need a file name.');
});

/** `keyless up --async-operations` and `--async-delay` (or KEYLESS_ASYNC_OPERATIONS, KEYLESS_ASYNC_DELAY). */

test('asynchronous operations are off by default, 2 s when on; the flags win over the environment', () => {
  assert.deepEqual(pick(parseUpOptions({}, {})), { asyncOperations: false, asyncDelayMs: 2000 });
  assert.deepEqual(pick(parseUpOptions({ asyncOperations: true, asyncDelay: '0.5' }, {})), { asyncOperations: true, asyncDelayMs: 500 });
  assert.deepEqual(pick(parseUpOptions({}, { KEYLESS_ASYNC_OPERATIONS: 'true', KEYLESS_ASYNC_DELAY: '10' })), { asyncOperations: true, asyncDelayMs: 10_000 });
  assert.deepEqual(pick(parseUpOptions({ asyncDelay: '0' }, { KEYLESS_ASYNC_OPERATIONS: '0', KEYLESS_ASYNC_DELAY: '10' })), { asyncOperations: false, asyncDelayMs: 0 });
});

test('a bad --async-delay or KEYLESS_ASYNC_OPERATIONS is refused with one clear message', () => {
  for (const bad of ['-1', '601', 'soon', ' ']) {
    assert.throws(() => parseUpOptions({ asyncDelay: bad }, {}), { message: '--async-delay must be a number of seconds from 0 to 600.' }, bad);
  }
  assert.throws(() => parseUpOptions({}, { KEYLESS_ASYNC_OPERATIONS: 'maybe' }), { message: 'KEYLESS_ASYNC_OPERATIONS must be true or false.' });
});

const pick = (o: { asyncOperations: boolean; asyncDelayMs: number }) => ({ asyncOperations: o.asyncOperations, asyncDelayMs: o.asyncDelayMs });
