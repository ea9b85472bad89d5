import { describe, test, beforeEach, afterEach, mock } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import dns from 'node:dns/promises';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { generateKeyPairSync } from 'node:crypto';
import { ExternalIssuerKeys, isPublicAddress, pinnedLookup } from '../../src/directory/issuer-keys.js';
import http from 'node:http';

/*
 * The external issuer key source must refuse before connecting: an issuer not
 * allowed, plain http, or any non-public address. https.get and dns.lookup are
 * replaced by fakes for every test here, so nothing leaves the process; the
 * fakes record what would have been fetched.
 */

describe('isPublicAddress', () => {
  const nonPublic = [
    '127.0.0.1',
    '127.255.255.254',
    '10.0.0.1',
    '10.255.255.255',
    '172.16.0.1',
    '172.20.1.1',
    '172.31.255.255',
    '192.168.0.1',
    '192.168.255.255',
    '169.254.169.254',
    '169.254.0.1',
    '100.64.0.1',
    '100.100.100.200',
    '100.127.255.255',
    '0.0.0.0',
    '0.1.2.3',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    'fe80::1',
    'fe80::1234:5678:9abc:def0',
    'febf::1',
    'fc00::1',
    'fd00::1',
    'fd12:3456:789a::1',
    'FD00::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:10.1.2.3',
    '::ffff:169.254.169.254',
    '::FFFF:192.168.1.1',
    '64:ff9b::7f00:1',
    '64:ff9b:1::a00:1',
    '64:ff9b:1:808:8:800::',
    '2002:7f00:1::1',
    '2002:a9fe:a9fe::1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    '2001:db8::1',
    '100::1',
    '192.0.0.170',
    '198.18.0.1',
    '198.19.255.255',
    '192.0.2.1',
    '198.51.100.7',
    '203.0.113.200',
    'fec0::1',
    'feff::1',
    '::ffff:0:7f00:1',
    '::ffff:0:10.0.0.1',
    '2001:2::1',
  ];
  const publicAddresses = [
    '8.8.8.8',
    '1.1.1.1',
    '172.15.255.255',
    '172.32.0.1',
    '192.167.1.1',
    '169.253.1.1',
    '100.63.255.255',
    '100.128.0.1',
    '11.0.0.1',
    '2606:4700::1111',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
    '198.17.0.1',
    '198.20.0.1',
    '192.0.1.1',
    '198.51.101.1',
    '203.0.114.1',
    '::ffff:0:808:808',
    '2001:3::1',
  ];
  for (const address of nonPublic) {
    test(`${address} is not public`, () => assert.equal(isPublicAddress(address), false));
  }
  for (const address of publicAddresses) {
    test(`${address} is public`, () => assert.equal(isPublicAddress(address), true));
  }

  // The WHATWG URL parser (which the fetch uses for the host) writes an IPv4-mapped
  // IPv6 literal in hex: https://[::ffff:127.0.0.1]/ has the hostname [::ffff:7f00:1].
  test('IPv4-mapped IPv6 in hex form (as new URL() normalises it) is not public', () => {
    assert.equal(new URL('https://[::ffff:127.0.0.1]/').hostname, '[::ffff:7f00:1]');
    for (const address of ['::ffff:7f00:1', '::ffff:a9fe:a9fe', '::ffff:a00:1', '::ffff:c0a8:101']) {
      assert.equal(isPublicAddress(address), false, address);
    }
  });
});

interface FakeResponse {
  readonly status: number;
  readonly body: unknown;
  /** Sends the body one byte every 20 ms instead of at once. */
  readonly drip?: boolean;
  /** Sends half the body, then the connection closes. */
  readonly cut?: boolean;
}

interface Fetched {
  readonly url: string;
  /** What the pinned lookup answers for the connection (the address checked before). */
  readonly pinned: { address: string; family: number } | undefined;
}

describe('ExternalIssuerKeys', () => {
  const ISSUER = 'https://issuer.example/tenant';
  const JWKS = 'https://keys.issuer.example/jwks';
  let fetched: Fetched[];
  let lookups: string[];
  /** Host name → addresses that the fake DNS answers. */
  let zone: Map<string, string[]>;
  /** URL → response of the fake HTTPS server. */
  let server: Map<string, FakeResponse>;

  const first = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const second = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = (key: typeof first.publicKey, kid: string | undefined): Record<string, unknown> => ({ ...key.export({ format: 'jwk' }), ...(kid === undefined ? {} : { kid }) });

  beforeEach(() => {
    fetched = [];
    lookups = [];
    zone = new Map([
      ['issuer.example', ['93.184.215.14']],
      ['keys.issuer.example', ['93.184.215.15', '2606:2800:21f:cb07:6820:80da:af6b:8b2c']],
    ]);
    server = new Map<string, FakeResponse>([
      [`${ISSUER}/.well-known/openid-configuration`, { status: 200, body: { issuer: ISSUER, jwks_uri: JWKS } }],
      [JWKS, { status: 200, body: { keys: [jwk(first.publicKey, 'k1'), jwk(second.publicKey, 'k2')] } }],
    ]);

    mock.method(dns, 'lookup', async (host: string) => {
      lookups.push(host);
      if (host === 'never.example') return new Promise(() => undefined);
      const addresses = zone.get(host);
      if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    });

    const fakeGet = (target: URL, options: https.RequestOptions, callback: (response: unknown) => void) => {
      const answer = server.get(target.href) ?? { status: 404, body: 'not found' };
      const response = Object.assign(new PassThrough(), { statusCode: answer.status });
      // Like a real client request: destroying it ends the response without 'end' and fails the request.
      const request = Object.assign(new EventEmitter(), {
        destroy(error?: Error) {
          response.destroy();
          if (error) process.nextTick(() => request.emit('error', error));
          return request;
        },
      });
      let pinned: Fetched['pinned'];
      const lookup = options.lookup as unknown as ((host: string, opts: object, cb: (e: unknown, a: string, f: number) => void) => void) | undefined;
      lookup?.(target.hostname, {}, (_e, address, family) => (pinned = { address, family }));
      fetched.push({ url: target.href, pinned });
      process.nextTick(() => {
        callback(response);
        const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
        if (answer.cut) {
          response.write(text.slice(0, text.length / 2));
          return void setTimeout(() => response.destroy(), 10);
        }
        if (!answer.drip) return void response.end(text);
        let at = 0;
        const drip = setInterval(() => {
          if (response.destroyed || at >= text.length) return void clearInterval(drip);
          response.write(text[at++]);
        }, 20);
      });
      return request;
    };
    mock.method(https, 'get', fakeGet as unknown as typeof https.get);
  });

  afterEach(() => mock.restoreAll());

  const keysFor = (allowed: string[], now: () => number = Date.now) => new ExternalIssuerKeys(new Set(allowed), now);

  describe('refused before any lookup or connection', () => {
    test('an issuer not on the allow-list', async () => {
      const keys = keysFor(['https://allowed.example']);
      await assert.rejects(keys.key(ISSUER, 'k1'), /not on the allow-list/);
      await assert.rejects(keysFor([]).key(ISSUER, undefined), /not on the allow-list/);
      assert.deepEqual({ fetched, lookups }, { fetched: [], lookups: [] });
    });

    test('the allow-list is exact: a trailing slash, another case or a longer path is another issuer', async () => {
      const keys = keysFor([ISSUER]);
      for (const issuer of [`${ISSUER}/`, ISSUER.toUpperCase(), `${ISSUER}/x`, 'https://issuer.example']) {
        await assert.rejects(keys.key(issuer, 'k1'), /not on the allow-list/, issuer);
      }
      assert.deepEqual({ fetched, lookups }, { fetched: [], lookups: [] });
    });

    test('an allowed http:// issuer', async () => {
      const issuer = 'http://issuer.example/tenant';
      await assert.rejects(keysFor([issuer]).key(issuer, 'k1'), /is not https/);
      assert.deepEqual({ fetched, lookups }, { fetched: [], lookups: [] });
    });

    test('an allowed issuer at 127.0.0.1 (https://127.0.0.1:1/x)', async () => {
      const issuer = 'https://127.0.0.1:1/x';
      await assert.rejects(keysFor([issuer]).key(issuer, 'k1'), /127\.0\.0\.1 resolves to a non-public address/);
      assert.deepEqual({ fetched, lookups }, { fetched: [], lookups: [] });
    });

    const literals = [
      'https://[::1]:1/x',
      'https://10.0.0.1/x',
      'https://169.254.169.254/metadata',
      'https://192.168.1.1/x',
      'https://[fe80::1]/x',
      'https://[fd00::1]/x',
      'https://0.0.0.0/x',
      'https://2130706433:1/x',
      'https://0x7f.1:1/x',
      'https://[::ffff:127.0.0.1]:1/x',
      'https://[::ffff:169.254.169.254]/metadata',
    ];
    for (const issuer of literals) {
      test(`an allowed issuer at ${issuer}`, async () => {
        await assert.rejects(keysFor([issuer]).key(issuer, 'k1'), /non-public address/);
        assert.deepEqual(fetched, [], 'nothing may be fetched');
        assert.deepEqual(lookups, [], 'an IP literal needs no lookup');
      });
    }

    test('an allowed issuer whose name resolves to a private address', async () => {
      const issuer = 'https://internal.example/x';
      zone.set('internal.example', ['10.1.2.3']);
      await assert.rejects(keysFor([issuer]).key(issuer, 'k1'), /internal\.example resolves to a non-public address/);
      assert.deepEqual(lookups, ['internal.example']);
      assert.deepEqual(fetched, []);
    });

    test('an allowed issuer whose name resolves to a public and a loopback address (any one refuses)', async () => {
      const issuer = 'https://rebind.example/x';
      zone.set('rebind.example', ['93.184.215.14', '::1']);
      await assert.rejects(keysFor([issuer]).key(issuer, 'k1'), /non-public address/);
      assert.deepEqual(fetched, []);
    });

    test('an allowed issuer whose name does not resolve', async () => {
      const issuer = 'https://nowhere.example/x';
      await assert.rejects(keysFor([issuer]).key(issuer, 'k1'), /ENOTFOUND/);
      assert.deepEqual(fetched, []);
    });
  });

  describe('discovery and keys (fake HTTPS)', () => {
    test('fetches discovery then the JWKS, pinned to the checked address, and returns the key by kid', async () => {
      const keys = keysFor([ISSUER]);
      const key = await keys.key(ISSUER, 'k1');
      assert.ok(key);
      assert.deepEqual(key.export({ format: 'jwk' }), first.publicKey.export({ format: 'jwk' }));
      assert.deepEqual(fetched, [
        { url: `${ISSUER}/.well-known/openid-configuration`, pinned: { address: '93.184.215.14', family: 4 } },
        { url: JWKS, pinned: { address: '93.184.215.15', family: 4 } },
      ]);
      const ecKey = await keys.key(ISSUER, 'k2');
      assert.equal(ecKey?.asymmetricKeyType, 'ec');
      assert.equal(fetched.length, 2, 'known kids come from the cache');
    });

    test('a server that drips its answer is cut off at the deadline, however lively the connection', async () => {
      server.set(JWKS, { status: 200, body: { keys: [jwk(first.publicKey, 'k1')] }, drip: true });
      const started = Date.now();
      await assert.rejects(new ExternalIssuerKeys(new Set([ISSUER]), Date.now, 200).key(ISSUER, 'k1'), new RegExp(`${JWKS} did not answer within 200 ms`));
      assert.ok(Date.now() - started < 2000);
    });

    test('a name that never resolves counts against the same deadline', async () => {
      const issuer = 'https://never.example/tenant';
      await assert.rejects(new ExternalIssuerKeys(new Set([issuer]), Date.now, 100).key(issuer, 'k1'), /never\.example did not resolve within 100 ms/);
    });

    test('a connection that closes in the middle of the answer fails the fetch (never a fetch that waits forever)', async () => {
      server.set(JWKS, { status: 200, body: { keys: [jwk(first.publicKey, 'k1')] }, cut: true });
      await assert.rejects(keysFor([ISSUER]).key(ISSUER, 'k1'), new RegExp(`${JWKS} closed the connection before the end of its answer`));
    });

    test('a trailing slash on the issuer does not double the discovery path', async () => {
      const issuer = `${ISSUER}/`;
      server.set(`${ISSUER}/.well-known/openid-configuration`, { status: 200, body: { issuer, jwks_uri: JWKS } });
      assert.ok(await keysFor([issuer]).key(issuer, 'k1'));
      assert.equal(fetched[0]?.url, `${ISSUER}/.well-known/openid-configuration`);
    });

    test('no kid: the only key, or nothing when there are several', async () => {
      assert.equal(await keysFor([ISSUER]).key(ISSUER, undefined), undefined);
      server.set(JWKS, { status: 200, body: { keys: [jwk(first.publicKey, 'only')] } });
      assert.equal((await keysFor([ISSUER]).key(ISSUER, undefined))?.asymmetricKeyType, 'rsa');
    });

    test('keys without a kid or that cannot be used are skipped', async () => {
      server.set(JWKS, { status: 200, body: { keys: [jwk(first.publicKey, undefined), { kty: 'EC', kid: 'broken', crv: 'P-999', x: 'AA', y: 'AA' }, 'x', jwk(second.publicKey, 'good')] } });
      const keys = keysFor([ISSUER]);
      assert.equal(await keys.key(ISSUER, 'broken'), undefined);
      assert.equal((await keys.key(ISSUER, 'good'))?.asymmetricKeyType, 'ec');
    });

    test('a discovery document naming another issuer is refused', async () => {
      server.set(`${ISSUER}/.well-known/openid-configuration`, { status: 200, body: { issuer: 'https://evil.example', jwks_uri: JWKS } });
      await assert.rejects(keysFor([ISSUER]).key(ISSUER, 'k1'), /names another issuer/);
      assert.equal(fetched.length, 1);
    });

    test('a discovery document without jwks_uri is refused', async () => {
      server.set(`${ISSUER}/.well-known/openid-configuration`, { status: 200, body: { issuer: ISSUER } });
      await assert.rejects(keysFor([ISSUER]).key(ISSUER, 'k1'), /no jwks_uri/);
    });

    test('a redirect is not followed', async () => {
      server.set(`${ISSUER}/.well-known/openid-configuration`, { status: 302, body: '' });
      await assert.rejects(keysFor([ISSUER]).key(ISSUER, 'k1'), /answered 302 \(redirects are not followed\)/);
      assert.equal(fetched.length, 1);
    });

    test('a body that is not JSON is refused', async () => {
      server.set(JWKS, { status: 200, body: '<html>' });
      await assert.rejects(keysFor([ISSUER]).key(ISSUER, 'k1'), /did not answer JSON/);
    });

    test('a body over 256 KiB is refused', async () => {
      server.set(JWKS, { status: 200, body: 'x'.repeat(300 * 1024) });
      await assert.rejects(keysFor([ISSUER]).key(ISSUER, 'k1'), /more than/);
    });

    test('a jwks_uri over http or at a non-public address is refused before it is fetched', async () => {
      for (const jwksUri of ['http://keys.issuer.example/jwks', 'https://127.0.0.1/jwks', 'https://[::1]/jwks', 'https://169.254.169.254/jwks', 'https://[::ffff:169.254.169.254]/jwks']) {
        fetched = [];
        server.set(`${ISSUER}/.well-known/openid-configuration`, { status: 200, body: { issuer: ISSUER, jwks_uri: jwksUri } });
        await assert.rejects(keysFor([ISSUER]).key(ISSUER, 'k1'), /is not https|non-public address/, jwksUri);
        assert.deepEqual(fetched.map((f) => f.url), [`${ISSUER}/.well-known/openid-configuration`], jwksUri);
      }
    });

    test('an unknown kid refetches at most once per 5 minutes; keys are refreshed after 24 hours', async () => {
      let now = 1_000_000_000_000;
      const keys = keysFor([ISSUER], () => now);
      assert.ok(await keys.key(ISSUER, 'k1'));
      assert.equal(fetched.length, 2);
      assert.equal(await keys.key(ISSUER, 'rotated'), undefined);
      assert.equal(fetched.length, 2, 'an unknown kid right after a fetch does not refetch');
      now += 5 * 60_000 + 1;
      server.set(JWKS, { status: 200, body: { keys: [jwk(first.publicKey, 'k1'), jwk(second.publicKey, 'rotated')] } });
      assert.equal((await keys.key(ISSUER, 'rotated'))?.asymmetricKeyType, 'ec');
      assert.equal(fetched.length, 4);
      assert.equal(await keys.key(ISSUER, 'unknown'), undefined);
      assert.equal(fetched.length, 4);
      now += 24 * 3600_000 + 1;
      assert.ok(await keys.key(ISSUER, 'k1'));
      assert.equal(fetched.length, 6, 'the cache expires after 24 hours');
    });
  });
});

describe('pinnedLookup', () => {
  test('answers both shapes Node asks for', () => {
    const lookup = pinnedLookup('93.184.215.14', 4) as unknown as (h: string, o: object, cb: (...a: unknown[]) => void) => void;
    lookup('issuer.example', { all: true }, (...args) => assert.deepEqual(args, [null, [{ address: '93.184.215.14', family: 4 }]]));
    lookup('issuer.example', {}, (...args) => assert.deepEqual(args, [null, '93.184.215.14', 4]));
  });

  test("node's own client connects through it to the pinned address, whatever the host name says", async () => {
    const local = http.createServer((_req, res) => res.end('pinned'));
    await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
    try {
      const port = (local.address() as { port: number }).port;
      const text = await new Promise<string>((resolve, reject) => {
        http
          .get(`http://issuer.invalid:${port}/`, { lookup: pinnedLookup('127.0.0.1', 4), agent: false }, (res) => {
            let body = '';
            res.on('data', (c) => (body += c));
            res.on('end', () => resolve(body));
          })
          .on('error', reject);
      });
      assert.equal(text, 'pinned');
    } finally {
      local.close();
    }
  });
});
