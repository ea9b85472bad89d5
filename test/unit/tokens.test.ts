import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Keyring, newSigningKey, unsealSigningKey } from '../../src/tokens/signing-keys.js';
import { TokenService } from '../../src/tokens/service.js';
import { TokenRejectedError } from '../../src/tokens/errors.js';
import { decodeJwt, signRs256 } from '../../src/shared/jwt.js';
import { KeylessNames, DEFAULT_HOST_NAMES } from '../../src/config/names.js';
import type { Principal } from '../../src/directory/model.js';

const tenant = '11111111-1111-4111-8111-111111111111';
const kek = randomBytes(32);
const current = newSigningKey(kek, 'current', new Date());
const next = newSigningKey(kek, 'next', new Date());
const keyring = new Keyring(kek);
keyring.rebuild([current, next]);
const names = new KeylessNames(DEFAULT_HOST_NAMES, () => tenant);
names.bind(8443);
let now = 1_800_000_000_000;
const clock = { now: () => now };
const tokens = new TokenService(keyring, clock, () => tenant, (iss) => names.isOwnIssuer(iss));
const principal: Principal = {
  objectId: '22222222-2222-4222-8222-222222222222',
  appId: '33333333-3333-4333-8333-333333333333',
  kind: 'UserAssignedIdentity',
  displayName: 'id',
  resourceId: '/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id',
  applicationObjectId: null,
  createdAt: new Date(now).toISOString(),
};
const audiences = new Set(['https://cognitiveservices.azure.com', 'https://cognitiveservices.azure.com/']);
const issue = (origin = 'https://localhost:8443', audience = 'https://cognitiveservices.azure.com') =>
  tokens.issue({ principal, audience, origin, lifetimeSeconds: 3600, appidacr: '2' }).accessToken;
const rejection = (token: string): string => {
  try {
    tokens.verify(token, { audiences });
  } catch (error) {
    assert.ok(error instanceof TokenRejectedError);
    return error.failure;
  }
  return 'accepted';
};
const resign = (token: string, change: (payload: Record<string, unknown>) => void, header: Record<string, unknown> = {}) => {
  const jwt = decodeJwt(token);
  assert.ok(jwt);
  const payload = { ...jwt.payload };
  change(payload);
  return signRs256({ kid: current.kid, ...header }, payload, unsealSigningKey(kek, current));
};

describe('issued tokens', () => {
  test('carry Entra v1 claims, strings where Entra has strings, signed RS256 with the current kid', () => {
    const jwt = decodeJwt(issue());
    assert.ok(jwt);
    assert.deepEqual({ alg: jwt.header['alg'], kid: jwt.header['kid'], typ: jwt.header['typ'] }, { alg: 'RS256', kid: current.kid, typ: 'JWT' });
    const p = jwt.payload;
    assert.equal(p['iss'], `https://localhost:8443/${tenant}/`);
    assert.equal(p['idp'], p['iss']);
    assert.equal(p['aud'], 'https://cognitiveservices.azure.com');
    assert.equal(p['oid'], principal.objectId);
    assert.equal(p['sub'], principal.objectId);
    assert.equal(p['appid'], principal.appId);
    assert.equal(p['appidacr'], '2');
    assert.equal(p['ver'], '1.0');
    assert.equal(p['idtyp'], 'app');
    assert.equal(p['tid'], tenant);
    assert.equal(p['xms_mirid'], principal.resourceId);
    assert.equal(p['exp'], (p['iat'] as number) + 3600);
    assert.equal(typeof p['uti'], 'string');
  });

  test('the JWKS publishes the current and the next key', () => {
    assert.deepEqual(keyring.jwks().map((k) => k['kid']).sort(), [current.kid, next.kid].sort());
  });
});

describe('verification is strict', () => {
  test('accepts its own token from any Keyless host name on its own port; another port only once it is a peer', () => {
    assert.equal(rejection(issue()), 'accepted');
    assert.equal(rejection(issue('https://127.0.0.1:8443')), 'accepted');
    assert.equal(rejection(issue('https://[::1]:8443')), 'accepted');
    assert.equal(rejection(resign(issue(), (p) => (p['iss'] = `https://localhost:8443/${tenant}/v2.0`))), 'accepted');
    for (const origin of ['https://127.0.0.1:9443', 'https://localhost:8444', 'https://localhost', 'https://localhost:443']) {
      assert.equal(rejection(issue(origin)), 'TokenIssuerInvalid', origin);
    }
    names.setPeerOrigins(['https://127.0.0.1:9443']);
    try {
      assert.equal(rejection(issue('https://127.0.0.1:9443')), 'accepted');
      assert.equal(rejection(resign(issue(), (p) => (p['iss'] = `https://127.0.0.1:9443/${tenant}/v2.0`))), 'accepted');
      assert.equal(rejection(issue('https://localhost:9443')), 'TokenIssuerInvalid', 'a peer is its origin, not its port on every host name');
    } finally {
      names.setPeerOrigins([]);
    }
    assert.equal(rejection(issue('https://127.0.0.1:9443')), 'TokenIssuerInvalid', 'a peer that left is no longer accepted');
  });

  test('refuses a foreign issuer host, a wrong tenant, a v2 issuer of another tenant', () => {
    assert.equal(rejection(issue('https://evil.example:8443')), 'TokenIssuerInvalid');
    assert.equal(rejection(resign(issue(), (p) => (p['tid'] = '44444444-4444-4444-8444-444444444444'))), 'TokenIssuerInvalid');
    assert.equal(rejection(resign(issue(), (p) => (p['iss'] = `https://localhost:8443/00000000-0000-0000-0000-000000000000/v2.0`))), 'TokenIssuerInvalid');
  });

  test('refuses another audience; accepts the audience with or without the trailing slash', () => {
    assert.equal(rejection(issue(undefined, 'https://management.azure.com')), 'TokenAudienceInvalid');
    assert.equal(rejection(issue(undefined, 'https://cognitiveservices.azure.com/')), 'accepted');
  });

  test('refuses alg none, HS256, an unknown kid and a tampered payload', () => {
    const [h, p, s] = issue().split('.') as [string, string, string];
    const header = (obj: object) => Buffer.from(JSON.stringify(obj)).toString('base64url');
    assert.equal(rejection(`${header({ alg: 'none', kid: current.kid })}.${p}.`), 'TokenMalformed');
    assert.equal(rejection(`${header({ alg: 'none', kid: current.kid })}.${p}.${s}`), 'TokenAlgorithmNotAllowed');
    assert.equal(rejection(`${header({ alg: 'HS256', kid: current.kid })}.${p}.${s}`), 'TokenAlgorithmNotAllowed');
    assert.equal(rejection(`${header({ alg: 'RS256', kid: 'unknown' })}.${p}.${s}`), 'TokenUnknownKey');
    const tampered = Buffer.from(JSON.stringify({ ...decodeJwt(issue())?.payload, oid: 'someone-else' })).toString('base64url');
    assert.equal(rejection(`${h}.${tampered}.${s}`), 'TokenSignatureInvalid');
    assert.equal(rejection('not-a-jwt'), 'TokenMalformed');
  });

  test('refuses any crit header (RFC 7515 §4.1.11): Keyless understands no extension', () => {
    for (const crit of [['exp'], ['b64'], [], 'exp', null]) {
      assert.equal(rejection(resign(issue(), () => undefined, { crit, b64: true, exp: 1 })), 'TokenCriticalHeader', JSON.stringify(crit));
    }
  });

  test('refuses an iat later than now plus the skew (the same five minutes as nbf and exp), and a token without iat', () => {
    assert.equal(rejection(resign(issue(), (p) => (p['iat'] = Math.floor(now / 1000) + 300))), 'accepted');
    assert.equal(rejection(resign(issue(), (p) => (p['iat'] = Math.floor(now / 1000) + 301))), 'TokenIssuedInFuture');
    assert.equal(rejection(resign(issue(), (p) => (p['iat'] = Math.floor(now / 1000) + 10 * 365 * 86_400))), 'TokenIssuedInFuture');
    assert.equal(rejection(resign(issue(), (p) => delete p['iat'])), 'TokenMalformed');
    assert.equal(rejection(resign(issue(), (p) => (p['iat'] = String(Math.floor(now / 1000))))), 'TokenMalformed');
  });

  test('an embedded jwk or jku header is never used', () => {
    const token = resign(issue(), () => undefined, { kid: 'attacker', jku: 'https://evil.example/keys', jwk: { kty: 'RSA' } });
    assert.equal(rejection(token), 'TokenUnknownKey');
  });

  test('expiry and not-before with five minutes of skew', () => {
    const token = issue();
    now += 3600_000 + 299_000;
    assert.equal(rejection(token), 'accepted');
    now += 2_000;
    assert.equal(rejection(token), 'TokenExpired');
    now -= 3600_000 + 301_000;
    assert.equal(rejection(resign(token, (p) => (p['nbf'] = (p['nbf'] as number) + 301))), 'TokenNotYetValid');
  });

  test('a revoked key no longer verifies; a retired one still does', () => {
    const token = issue();
    const ring = new Keyring(kek);
    const service = new TokenService(ring, clock, () => tenant, (iss) => names.isOwnIssuer(iss));
    ring.rebuild([{ ...current, status: 'retired' }, next]);
    assert.doesNotThrow(() => service.verify(token, { audiences }));
    ring.rebuild([{ ...current, status: 'revoked' }, next]);
    assert.throws(() => service.verify(token, { audiences }), (e: unknown) => e instanceof TokenRejectedError && e.failure === 'TokenUnknownKey');
  });
});

describe('known resources and the managed identity token cache', () => {
  test('a resource is known in any case and with or without one trailing slash, nothing looser', async () => {
    const { KnownResources, COGNITIVE_SERVICES } = await import('../../src/tokens/resources.js');
    const known = new KnownResources([COGNITIVE_SERVICES]);
    for (const r of ['https://cognitiveservices.azure.com', 'https://cognitiveservices.azure.com/', 'HTTPS://CognitiveServices.Azure.com/']) assert.equal(known.has(r), true, r);
    for (const r of ['https://cognitiveservices.azure.com//', ' https://cognitiveservices.azure.com', 'https://cognitiveservices.azure.com/ ', 'https://cognitiveservices.azure.com/x']) {
      assert.equal(known.has(r), false, JSON.stringify(r));
    }
  });

  test('the cache stays bounded however many spellings of a resource are asked for', async () => {
    const { ManagedIdentityTokens } = await import('../../src/tokens/managed-identity.js');
    let issued = 0;
    const tokens = { issue: () => ({ accessToken: `t${issued++}`, expiresOn: 4_000_000_000, notBefore: 0 }) } as unknown as ConstructorParameters<typeof ManagedIdentityTokens>[0];
    const cache = new ManagedIdentityTokens(tokens, { now: () => Date.now() }, 86_400);
    const principal = { objectId: 'o' } as Parameters<InstanceType<typeof ManagedIdentityTokens>['get']>[0];
    const spell = (i: number) => [...'https://cognitiveservices.azure.com'].map((c, j) => ((i >> (j % 20)) & 1 ? c.toUpperCase() : c)).join('') + i;
    for (let i = 0; i < 25_000; i++) cache.get(principal, spell(i), 'https://localhost');
    const size = (cache as unknown as { cache: Map<string, unknown> }).cache.size;
    assert.ok(size <= 10_000, `cache size ${size}`);
    // A repeated request is still served from the cache.
    const before = issued;
    cache.get(principal, spell(24_999), 'https://localhost');
    assert.equal(issued, before);
  });
});

describe('strict encodings', () => {
  test('a JWT with characters outside base64url in any part does not decode', async () => {
    const { decodeJwt, signRs256 } = await import('../../src/shared/jwt.js');
    const { generateKeyPairSync } = await import('node:crypto');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = signRs256({ kid: 'k' }, { sub: 's' }, privateKey);
    assert.ok(decodeJwt(token));
    for (const bad of [`${token}!!`, `${token}==`, `${token.replace('.', '.=')}`, ` ${token}`, `${token}\n`]) assert.equal(decodeJwt(bad), undefined, JSON.stringify(bad.slice(-4)));
  });

  test('a sealed value with a truncated authentication tag is refused', async () => {
    const { seal, open } = await import('../../src/shared/crypto.js');
    const { randomBytes } = await import('node:crypto');
    const kek = randomBytes(32);
    const sealed = seal(kek, Buffer.from('secret'), 'ctx');
    assert.equal(open(kek, sealed, 'ctx').toString(), 'secret');
    const [v, iv, tag, body] = sealed.split('.');
    const short = [v, iv, Buffer.from(tag ?? '', 'base64url').subarray(0, 4).toString('base64url'), body].join('.');
    assert.throws(() => open(kek, short, 'ctx'), /truncated authentication tag/);
  });
});
