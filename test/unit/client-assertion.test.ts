import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createHash, KeyObject, randomUUID, sign, webcrypto } from 'node:crypto';
import { loadX509 } from '../../src/runtime/tls.js';
import { checkTimes, verifyCertificateAssertion } from '../../src/directory/client-assertion.js';
import { ClientAuthenticationError, type ClientFailure } from '../../src/directory/errors.js';
import { AuthenticationError } from '../../src/shared/errors.js';
import { decodeJwt } from '../../src/shared/jwt.js';
import { KeylessNames, DEFAULT_HOST_NAMES } from '../../src/config/names.js';
import type { ClientCertificate, Principal } from '../../src/directory/model.js';

/*
 * Certificate-signed client assertions (private_key_jwt), verified against
 * real self-signed RSA-2048 certificates made here. Nothing connects anywhere.
 */

const tenant = '11111111-1111-4111-8111-111111111111';
const otherTenant = '99999999-9999-4999-8999-999999999999';
const PORT = 48443;
const names = new KeylessNames(DEFAULT_HOST_NAMES, () => tenant);
names.bind(PORT);
const isTokenEndpoint = (aud: string): boolean => names.isOwnTokenEndpoint(aud);
const tokenEndpoint = `https://localhost:${PORT}/${tenant}/oauth2/v2.0/token`;

const NOW = 1_800_000_000;
const NOW_ISO = new Date(NOW * 1000).toISOString();

function principal(kind: Principal['kind'] = 'Application'): Principal {
  return {
    objectId: randomUUID(),
    appId: randomUUID(),
    kind,
    displayName: 'app',
    resourceId: null,
    applicationObjectId: kind === 'Application' ? randomUUID() : null,
    createdAt: NOW_ISO,
  };
}

interface TestCertificate {
  readonly der: Buffer;
  readonly privateKey: KeyObject;
  /** base64url SHA-1 of the DER (`x5t`). */
  readonly x5t: string;
  /** base64url SHA-256 of the DER (`x5t#S256`). */
  readonly x5tS256: string;
  /** Upper-case hex SHA-256 / SHA-1, as Entra shows thumbprints. */
  readonly hexSha256: string;
  readonly hexSha1: string;
}

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 } as const;

async function makeCertificate(commonName: string): Promise<TestCertificate> {
  const x509 = await loadX509();
  const keys = await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${commonName}`,
    keys,
    notBefore: new Date((NOW - 86_400) * 1000),
    notAfter: new Date((NOW + 365 * 86_400) * 1000),
    signingAlgorithm: RSA,
  });
  const der = Buffer.from(certificate.rawData);
  return {
    der,
    privateKey: KeyObject.from(keys.privateKey),
    x5t: createHash('sha1').update(der).digest('base64url'),
    x5tS256: createHash('sha256').update(der).digest('base64url'),
    hexSha256: createHash('sha256').update(der).digest('hex').toUpperCase(),
    hexSha1: createHash('sha1').update(der).digest('hex').toUpperCase(),
  };
}

/** A ClientCertificate record of `owner`, as CredentialService would store it (a fresh id each time: keys are cached by id). */
function registered(owner: Principal, cert: TestCertificate, expiresAt = new Date((NOW + 30 * 86_400) * 1000).toISOString()): ClientCertificate {
  return {
    id: randomUUID(),
    objectId: owner.objectId,
    thumbprintSha1: cert.x5t,
    thumbprintSha256: cert.x5tS256,
    der: cert.der.toString('base64'),
    displayName: null,
    expiresAt,
    createdAt: NOW_ISO,
  };
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

type SignAs = 'PS256' | 'RS256' | 'none';

/** A compact JWS; `signAs` is how the bytes are really signed, independent of the header's alg. */
function jws(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject, signAs: SignAs): string {
  const input = `${b64(header)}.${b64(payload)}`;
  const data = Buffer.from(input);
  const signature =
    signAs === 'PS256'
      ? sign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
      : signAs === 'RS256'
        ? sign('sha256', data, key)
        : Buffer.from('x');
  return `${input}.${signature.toString('base64url')}`;
}

function claims(client: Principal, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { iss: client.appId, sub: client.appId, aud: tokenEndpoint, jti: randomUUID(), nbf: NOW - 10, iat: NOW - 10, exp: NOW + 590, ...overrides };
}

/** The msal-node shape: PS256 with x5t#S256. */
function ps256(client: Principal, cert: TestCertificate, overrides: Record<string, unknown> = {}, header: Record<string, unknown> = {}): string {
  return jws({ alg: 'PS256', typ: 'JWT', 'x5t#S256': cert.x5tS256, ...header }, claims(client, overrides), cert.privateKey, 'PS256');
}

/** The older shape: RS256 with x5t (SHA-1). */
function rs256(client: Principal, cert: TestCertificate, overrides: Record<string, unknown> = {}, header: Record<string, unknown> = {}): string {
  return jws({ alg: 'RS256', typ: 'JWT', x5t: cert.x5t, ...header }, claims(client, overrides), cert.privateKey, 'RS256');
}

function verify(client: Principal, token: string, certificates: readonly ClientCertificate[], now = NOW): ClientCertificate {
  const jwt = decodeJwt(token);
  assert.ok(jwt, 'the test assertion must decode');
  return verifyCertificateAssertion(client, jwt, certificates, isTokenEndpoint, now);
}

/** The failure of a verification, or 'accepted'; asserts the error's shape on the way. */
function outcome(client: Principal, token: string, certificates: readonly ClientCertificate[], now = NOW): ClientFailure | 'accepted' {
  return failureOf(() => verify(client, token, certificates, now), client).failure;
}

function failureOf(run: () => unknown, client: Principal): { failure: ClientFailure | 'accepted'; details: Record<string, unknown> | undefined } {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ClientAuthenticationError, `unexpected error ${String(error)}`);
    assert.ok(error instanceof AuthenticationError);
    assert.equal(error.clientId, client.appId);
    assert.equal(error.code, error.failure);
    return { failure: error.failure, details: error.details };
  }
  return { failure: 'accepted', details: undefined };
}

let alice: TestCertificate;
let bob: TestCertificate;
let mallory: TestCertificate;

before(async () => {
  [alice, bob, mallory] = await Promise.all([makeCertificate('alice'), makeCertificate('bob'), makeCertificate('mallory')]);
});

describe('accepted assertions', () => {
  test('PS256 with x5t#S256 (msal-node) verifies and returns the registered certificate', () => {
    const app = principal();
    const record = registered(app, alice);
    const other = registered(app, bob);
    assert.equal(verify(app, ps256(app, alice), [other, record]), record);
  });

  test('RS256 with x5t (SHA-1, older clients) verifies', () => {
    const app = principal();
    const record = registered(app, alice);
    assert.equal(verify(app, rs256(app, alice), [registered(app, bob), record]), record);
  });

  test('each of several registered certificates of the client can sign', () => {
    const app = principal();
    const certificates = [registered(app, alice), registered(app, bob)];
    assert.equal(verify(app, ps256(app, bob), certificates), certificates[1]);
    assert.equal(verify(app, rs256(app, alice), certificates), certificates[0]);
  });

  test('x5t#S256 wins over x5t when both are present', () => {
    const app = principal();
    const certificates = [registered(app, alice), registered(app, bob)];
    // x5t names bob, x5t#S256 names alice, and alice signed.
    const token = ps256(app, alice, {}, { x5t: bob.x5t });
    assert.equal(verify(app, token, certificates), certificates[0]);
  });

  test('an audience array with one Keyless token endpoint among others is accepted', () => {
    const app = principal();
    const token = ps256(app, alice, { aud: ['https://login.microsoftonline.com/x/oauth2/v2.0/token', tokenEndpoint] });
    assert.equal(outcome(app, token, [registered(app, alice)]), 'accepted');
  });

  test('a jti is optional, and may be presented again (msal-node reuses its assertion)', () => {
    const app = principal();
    const certificates = [registered(app, alice)];
    const token = ps256(app, alice, { jti: undefined });
    assert.equal(outcome(app, token, certificates), 'accepted');
    assert.equal(outcome(app, token, certificates), 'accepted');
  });
});

describe('the signature', () => {
  test('a PS256 signature presented as RS256 is refused', () => {
    const app = principal();
    const token = jws({ alg: 'RS256', 'x5t#S256': alice.x5tS256 }, claims(app), alice.privateKey, 'PS256');
    const { failure, details } = failureOf(() => verify(app, token, [registered(app, alice)]), app);
    assert.equal(failure, 'InvalidAssertionSignature');
    assert.deepEqual(details, { thumbprint: alice.hexSha256 });
  });

  test('an RS256 signature presented as PS256 is refused', () => {
    const app = principal();
    const token = jws({ alg: 'PS256', x5t: alice.x5t }, claims(app), alice.privateKey, 'RS256');
    assert.equal(outcome(app, token, [registered(app, alice)]), 'InvalidAssertionSignature');
  });

  test('a PS256 signature with another salt length is refused', () => {
    const app = principal();
    const input = `${b64({ alg: 'PS256', 'x5t#S256': alice.x5tS256 })}.${b64(claims(app))}`;
    const signature = sign('sha256', Buffer.from(input), { key: alice.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 20 });
    assert.equal(outcome(app, `${input}.${signature.toString('base64url')}`, [registered(app, alice)]), 'InvalidAssertionSignature');
  });

  test("the registered certificate's thumbprint with another key's signature is refused", () => {
    const app = principal();
    const token = jws({ alg: 'PS256', 'x5t#S256': alice.x5tS256 }, claims(app), mallory.privateKey, 'PS256');
    assert.equal(outcome(app, token, [registered(app, alice)]), 'InvalidAssertionSignature');
  });

  test('a payload changed after signing is refused', () => {
    const app = principal();
    const [header, , signature] = ps256(app, alice).split('.');
    const forged = `${header}.${b64(claims(app, { exp: NOW + 500 }))}.${signature}`;
    assert.equal(outcome(app, forged, [registered(app, alice)]), 'InvalidAssertionSignature');
  });

  test('an empty or garbage signature is refused', () => {
    const app = principal();
    const [header, payload] = ps256(app, alice).split('.');
    assert.equal(outcome(app, `${header}.${payload}.${Buffer.from('garbage').toString('base64url')}`, [registered(app, alice)]), 'InvalidAssertionSignature');
  });
});

describe('the certificate is found only by thumbprint among the client’s unexpired registered certificates', () => {
  test('an unregistered certificate: CertificateNotRegistered with the upper-case hex SHA-256 thumbprint', () => {
    const app = principal();
    const { failure, details } = failureOf(() => verify(app, ps256(app, mallory), [registered(app, alice)]), app);
    assert.equal(failure, 'CertificateNotRegistered');
    assert.deepEqual(details, { thumbprint: mallory.hexSha256 });
    assert.match(mallory.hexSha256, /^[0-9A-F]{64}$/);
  });

  test('an unregistered x5t: the upper-case hex SHA-1 thumbprint', () => {
    const app = principal();
    const { failure, details } = failureOf(() => verify(app, rs256(app, mallory), [registered(app, alice)]), app);
    assert.equal(failure, 'CertificateNotRegistered');
    assert.deepEqual(details, { thumbprint: mallory.hexSha1 });
    assert.match(mallory.hexSha1, /^[0-9A-F]{40}$/);
  });

  test('no registered certificate at all', () => {
    const app = principal();
    assert.equal(outcome(app, ps256(app, alice), []), 'CertificateNotRegistered');
  });

  test('an expired registered certificate is not usable', () => {
    const app = principal();
    const expired = registered(app, alice, new Date((NOW - 1) * 1000).toISOString());
    assert.equal(outcome(app, ps256(app, alice), [expired]), 'CertificateNotRegistered');
    assert.equal(outcome(app, rs256(app, alice), [expired]), 'CertificateNotRegistered');
  });

  test('a certificate expiring exactly now is not usable; one second later it was', () => {
    const app = principal();
    const record = registered(app, alice, NOW_ISO);
    assert.equal(outcome(app, ps256(app, alice), [record]), 'CertificateNotRegistered');
    assert.equal(outcome(app, ps256(app, alice), [record], NOW - 1), 'accepted');
  });

  test("another principal's certificate is not usable, even with iss/sub of the client", () => {
    const app = principal();
    const owner = principal();
    const theirs = registered(owner, alice);
    assert.equal(outcome(app, ps256(app, alice), [theirs]), 'CertificateNotRegistered');
    assert.equal(outcome(app, rs256(app, alice), [theirs]), 'CertificateNotRegistered');
    // …while the owner can use it.
    assert.equal(outcome(owner, ps256(owner, alice), [theirs]), 'accepted');
  });

  test('an x5c with an attacker’s certificate and an unknown thumbprint is refused (x5c never trusted)', () => {
    const app = principal();
    const header = { x5c: [mallory.der.toString('base64')] };
    const token = ps256(app, mallory, {}, header);
    const { failure, details } = failureOf(() => verify(app, token, [registered(app, alice)]), app);
    assert.equal(failure, 'CertificateNotRegistered');
    assert.deepEqual(details, { thumbprint: mallory.hexSha256 });
  });

  test('an x5c with an attacker’s certificate and a registered thumbprint is still verified against the registered key', () => {
    const app = principal();
    const header = { 'x5t#S256': alice.x5tS256, x5c: [mallory.der.toString('base64')] };
    const token = jws({ alg: 'PS256', ...header }, claims(app), mallory.privateKey, 'PS256');
    assert.equal(outcome(app, token, [registered(app, alice)]), 'InvalidAssertionSignature');
  });

  test('a jwk or jku in the header is ignored', () => {
    const app = principal();
    const jwk = mallory.privateKey.export({ format: 'jwk' });
    const header = { 'x5t#S256': alice.x5tS256, jwk: { kty: jwk.kty, n: jwk.n, e: jwk.e }, jku: 'https://attacker.example/keys' };
    const token = jws({ alg: 'PS256', ...header }, claims(app), mallory.privateKey, 'PS256');
    assert.equal(outcome(app, token, [registered(app, alice)]), 'InvalidAssertionSignature');
  });

  test('a thumbprint in the wrong header (the SHA-1 value in x5t#S256) is not found', () => {
    const app = principal();
    const token = jws({ alg: 'PS256', 'x5t#S256': alice.x5t }, claims(app), alice.privateKey, 'PS256');
    assert.equal(outcome(app, token, [registered(app, alice)]), 'CertificateNotRegistered');
  });
});

describe('iss and sub are the client id', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['iss is another client', { iss: randomUUID() }],
    ['sub is another client', { sub: randomUUID() }],
    ['iss is missing', { iss: undefined }],
    ['sub is missing', { sub: undefined }],
    ['iss is not a string', { iss: 42 }],
  ];
  for (const [name, overrides] of cases) {
    test(`${name}: AssertionIssuer`, () => {
      const app = principal();
      assert.equal(outcome(app, ps256(app, alice, overrides), [registered(app, alice)]), 'AssertionIssuer');
    });
  }

  test('iss and sub of another principal, with that principal’s registered certificate, do not authenticate this client', () => {
    const app = principal();
    const owner = principal();
    assert.equal(outcome(app, ps256(owner, alice), [registered(owner, alice), registered(app, bob)]), 'CertificateNotRegistered');
    assert.equal(outcome(app, ps256(owner, bob), [registered(owner, alice), registered(app, bob)]), 'AssertionIssuer');
  });
});

describe('aud is one of Keyless’s token endpoints', () => {
  const accepted = [
    `https://localhost:${PORT}/${tenant}/oauth2/v2.0/token`,
    `https://localhost:${PORT}/${tenant}/oauth2/token`,
    `https://localhost:${PORT}/adfs/oauth2/token`,
    `https://127.0.0.1:${PORT}/${tenant}/oauth2/v2.0/token`,
    `https://127.0.0.1:${PORT}/${tenant}/oauth2/token`,
    `https://[::1]:${PORT}/${tenant}/oauth2/v2.0/token`,
    `https://[::1]:${PORT}/adfs/oauth2/token`,
    `https://localhost:${PORT}/${tenant.toUpperCase()}/oauth2/v2.0/token`,
    `https://LOCALHOST:${PORT}/${tenant}/oauth2/v2.0/token`,
  ];
  const refused = [
    `http://localhost:${PORT}/${tenant}/oauth2/v2.0/token`,
    `http://127.0.0.1:${PORT}/${tenant}/oauth2/token`,
    `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`,
    `https://example.com/${tenant}/oauth2/v2.0/token`,
    `https://localhost.example.com:${PORT}/${tenant}/oauth2/v2.0/token`,
    `https://127.0.0.2:${PORT}/${tenant}/oauth2/v2.0/token`,
    `https://localhost:${PORT + 1}/${tenant}/oauth2/v2.0/token`,
    `https://localhost/${tenant}/oauth2/v2.0/token`,
    `https://localhost:${PORT}/${otherTenant}/oauth2/v2.0/token`,
    `https://localhost:${PORT}/${otherTenant}/oauth2/token`,
    `https://localhost:${PORT}/common/oauth2/v2.0/token`,
    `https://localhost:${PORT}/organizations/oauth2/v2.0/token`,
    `https://localhost:${PORT}/${tenant}/oauth2/v2.0/authorize`,
    `https://localhost:${PORT}/${tenant}/oauth2/v2.0/token/extra`,
    `https://localhost:${PORT}/${tenant}`,
    `https://localhost:${PORT}/`,
    `https://localhost:${PORT}`,
    `localhost:${PORT}/${tenant}/oauth2/v2.0/token`,
    'not a url',
    '',
  ];

  for (const aud of accepted) {
    test(`accepts ${aud}`, () => {
      assert.equal(names.isOwnTokenEndpoint(aud), true);
      const app = principal();
      assert.equal(outcome(app, ps256(app, alice, { aud }), [registered(app, alice)]), 'accepted');
    });
  }

  for (const aud of refused) {
    test(`refuses ${JSON.stringify(aud)}`, () => {
      assert.equal(names.isOwnTokenEndpoint(aud), false);
      const app = principal();
      const { failure, details } = failureOf(() => verify(app, ps256(app, alice, { aud }), [registered(app, alice)]), app);
      assert.equal(failure, 'AssertionAudience');
      assert.deepEqual(details, { audience: aud });
    });
  }

  test('refuses a missing aud, a non-string aud, an empty array, and an array of only foreign endpoints', () => {
    const app = principal();
    const certificates = [registered(app, alice)];
    for (const aud of [undefined, 42, null, [], [`https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`], [{ url: tokenEndpoint }]]) {
      assert.equal(outcome(app, ps256(app, alice, { aud }), certificates), 'AssertionAudience', JSON.stringify(aud));
    }
  });
});

describe('times: nbf ≤ now ≤ exp with 5 minutes of skew, and at most 10 minutes (+ skew) of lifetime', () => {
  const cases: [string, Record<string, unknown>, ClientFailure | 'accepted'][] = [
    ['exp 300 s ago (inside the skew)', { nbf: NOW - 600, iat: NOW - 600, exp: NOW - 300 }, 'accepted'],
    ['exp 301 s ago', { nbf: NOW - 601, iat: NOW - 601, exp: NOW - 301 }, 'AssertionOutOfTime'],
    ['exp an hour ago', { nbf: NOW - 3900, iat: NOW - 3900, exp: NOW - 3600 }, 'AssertionOutOfTime'],
    ['nbf 300 s ahead (inside the skew)', { nbf: NOW + 300, iat: NOW + 300, exp: NOW + 900 }, 'accepted'],
    ['nbf 301 s ahead', { nbf: NOW + 301, iat: NOW + 301, exp: NOW + 901 }, 'AssertionOutOfTime'],
    ['iat (no nbf) 301 s ahead', { nbf: undefined, iat: NOW + 301, exp: NOW + 600 }, 'AssertionOutOfTime'],
    ['a lifetime of exactly 10 minutes', { nbf: NOW, iat: NOW, exp: NOW + 600 }, 'accepted'],
    ['a lifetime of 10 minutes + skew', { nbf: NOW, iat: NOW, exp: NOW + 900 }, 'accepted'],
    ['a lifetime of 10 minutes + skew + 1 s', { nbf: NOW, iat: NOW, exp: NOW + 901 }, 'AssertionOutOfTime'],
    ['a lifetime of a day', { nbf: NOW - 60, iat: NOW - 60, exp: NOW + 86_400 }, 'AssertionOutOfTime'],
    ['a long lifetime measured from iat when nbf is absent', { nbf: undefined, iat: NOW - 600, exp: NOW + 301 }, 'AssertionOutOfTime'],
    ['no nbf and no iat: lifetime measured from now', { nbf: undefined, iat: undefined, exp: NOW + 900 }, 'accepted'],
    ['no nbf and no iat, exp too far ahead', { nbf: undefined, iat: undefined, exp: NOW + 901 }, 'AssertionOutOfTime'],
    ['no exp', { exp: undefined }, 'MalformedAssertion'],
    ['exp as a string', { exp: String(NOW + 60) }, 'MalformedAssertion'],
    ['iat (no nbf) as a string', { nbf: undefined, iat: String(NOW) }, 'MalformedAssertion'],
    ['iat as a string beside nbf', { nbf: NOW, iat: String(NOW) }, 'MalformedAssertion'],
    ['iat 300 s ahead beside a valid nbf (inside the skew)', { nbf: NOW - 10, iat: NOW + 300, exp: NOW + 590 }, 'accepted'],
    ['iat 301 s ahead beside a valid nbf', { nbf: NOW - 10, iat: NOW + 301, exp: NOW + 590 }, 'AssertionOutOfTime'],
    ['iat years ahead beside a valid nbf', { nbf: NOW - 10, iat: NOW + 10 * 365 * 86_400, exp: NOW + 590 }, 'AssertionOutOfTime'],
  ];
  for (const [name, overrides, expected] of cases) {
    test(`${name}: ${expected}`, () => {
      const app = principal();
      assert.equal(outcome(app, ps256(app, alice, overrides), [registered(app, alice)]), expected);
    });
  }

  test('AssertionOutOfTime names now, nbf and exp', () => {
    const app = principal();
    const { failure, details } = failureOf(() => verify(app, ps256(app, alice, { nbf: NOW - 1000, iat: NOW - 1000, exp: NOW - 400 }), [registered(app, alice)]), app);
    assert.equal(failure, 'AssertionOutOfTime');
    assert.deepEqual(details, { now: NOW, nbf: NOW - 1000, exp: NOW - 400 });
  });

  test('checkTimes without a maximum lifetime accepts a long-lived token in time', () => {
    assert.doesNotThrow(() => checkTimes({ nbf: NOW - 60, exp: NOW + 86_400 }, NOW, 'c', undefined));
    assert.throws(() => checkTimes({ nbf: NOW - 60, exp: NOW + 86_400 }, NOW, 'c', 600), (e: unknown) => e instanceof ClientAuthenticationError && e.failure === 'AssertionOutOfTime');
  });
});

describe('alg and header shape', () => {
  const app = principal();
  const cases: [string, Record<string, unknown>, SignAs][] = [
    ['alg none', { alg: 'none', 'x5t#S256': 'x' }, 'none'],
    ['alg "None"', { alg: 'None', x5t: 'x' }, 'none'],
    ['alg HS256', { alg: 'HS256', 'x5t#S256': 'x' }, 'RS256'],
    ['alg ES256', { alg: 'ES256', 'x5t#S256': 'x' }, 'RS256'],
    ['alg ps256 (lower case)', { alg: 'ps256', 'x5t#S256': 'x' }, 'PS256'],
    ['no alg', { 'x5t#S256': 'x' }, 'PS256'],
    ['PS256 without any thumbprint', { alg: 'PS256' }, 'PS256'],
    ['RS256 with only a kid', { alg: 'RS256', kid: 'k' }, 'RS256'],
    ['a thumbprint that is not a string', { alg: 'PS256', 'x5t#S256': 42 }, 'PS256'],
  ];
  for (const [name, header, signAs] of cases) {
    test(`${name}: MalformedAssertion`, () => {
      // Registered, with the right claims: only the header is wrong.
      const withThumbprint = { ...header };
      if (withThumbprint['x5t#S256'] === 'x') withThumbprint['x5t#S256'] = alice.x5tS256;
      if (withThumbprint['x5t'] === 'x') withThumbprint['x5t'] = alice.x5t;
      const token = jws(withThumbprint, claims(app), alice.privateKey, signAs);
      assert.equal(outcome(app, token, [registered(app, alice)]), 'MalformedAssertion');
    });
  }

  test('an HS256 assertion keyed with the certificate’s public key is refused', () => {
    const input = `${b64({ alg: 'HS256', 'x5t#S256': alice.x5tS256 })}.${b64(claims(app))}`;
    const mac = createHash('sha256').update(alice.der).update(input).digest('base64url');
    assert.equal(outcome(app, `${input}.${mac}`, [registered(app, alice)]), 'MalformedAssertion');
  });
});
