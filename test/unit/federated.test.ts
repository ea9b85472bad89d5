import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, KeyObject, randomUUID } from 'node:crypto';
import { verifyFederatedAssertion, type IssuerKeySource } from '../../src/directory/federated.js';
import { TOKEN_EXCHANGE_AUDIENCE } from '../../src/directory/credentials.js';
import type { ClientFailure } from '../../src/directory/errors.js';
import { decodeJwt } from '../../src/shared/jwt.js';
import { b64, failureOf, jws, type SignWith } from '../fixtures/assertions.js';
import type { FederatedCredential, Principal } from '../../src/directory/model.js';

/*
 * Federated assertions (tokens of an external issuer) against a fake key
 * source backed by key pairs made here. Nothing connects anywhere; the whole
 * ClientAuthenticator on a real database is in test/integration/client-authenticator.test.ts.
 */

const NOW = 1_800_000_000;
const NOW_ISO = new Date(NOW * 1000).toISOString();
const ISSUER = 'https://token.actions.githubusercontent.com';
const OTHER_ISSUER = 'https://oidc.eks.example/id/ABC';
const SUBJECT = 'repo:contoso/app:ref:refs/heads/main';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });

function principal(kind: Principal['kind'] = 'Application'): Principal {
  return {
    objectId: randomUUID(),
    appId: randomUUID(),
    kind,
    displayName: 'p',
    resourceId: null,
    applicationObjectId: kind === 'Application' ? randomUUID() : null,
    createdAt: NOW_ISO,
  };
}

function credential(owner: Principal, issuer = ISSUER, subject = SUBJECT, audience = TOKEN_EXCHANGE_AUDIENCE): FederatedCredential {
  return { id: randomUUID(), objectId: owner.objectId, name: `fic-${randomUUID().slice(0, 8)}`, issuer, subject, audiences: [audience], createdAt: NOW_ISO };
}

/** An issuer key source over fixed keys, recording every lookup; `fail` makes it throw as a failed discovery would. */
class FakeKeys implements IssuerKeySource {
  readonly lookups: [string, string | undefined][] = [];
  fail: Error | undefined;
  constructor(private readonly keys: ReadonlyMap<string, KeyObject>) {}
  async key(issuer: string, kid: string | undefined): Promise<KeyObject | undefined> {
    this.lookups.push([issuer, kid]);
    if (this.fail) throw this.fail;
    return this.keys.get(issuer);
  }
}

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { iss: ISSUER, sub: SUBJECT, aud: TOKEN_EXCHANGE_AUDIENCE, iat: NOW - 30, nbf: NOW - 30, exp: NOW + 3600, jti: randomUUID(), ...overrides };
}

const rs256 = (overrides: Record<string, unknown> = {}, key: KeyObject = rsa.privateKey, header: Record<string, unknown> = {}): string =>
  jws({ alg: 'RS256', typ: 'JWT', kid: 'rsa-1', ...header }, claims(overrides), key, 'RS256');

const es256 = (overrides: Record<string, unknown> = {}, header: Record<string, unknown> = {}): string =>
  jws({ alg: 'ES256', typ: 'JWT', kid: 'ec-1', ...header }, claims(overrides), ec.privateKey, 'ES256');

async function verify(client: Principal, token: string, credentials: readonly FederatedCredential[], keys: IssuerKeySource, now = NOW): Promise<FederatedCredential> {
  const jwt = decodeJwt(token);
  assert.ok(jwt, 'the test token must decode');
  return verifyFederatedAssertion(client, jwt, credentials, keys, now);
}

async function outcome(client: Principal, token: string, credentials: readonly FederatedCredential[], keys: IssuerKeySource, now = NOW): Promise<ClientFailure | 'accepted'> {
  return (await failureOf(() => verify(client, token, credentials, keys, now), client.appId)).failure;
}

const rsaKeys = (): FakeKeys => new FakeKeys(new Map([[ISSUER, rsa.publicKey], [OTHER_ISSUER, ec.publicKey]]));
const ecKeys = (): FakeKeys => new FakeKeys(new Map([[ISSUER, ec.publicKey]]));

describe('verifyFederatedAssertion: the key must be of the algorithm\'s kind', () => {
  const client = principal();
  const creds = [credential(client)];
  const failure = async (token: string, key: KeyObject) => (await failureOf(() => verify(client, token, creds, new FakeKeys(new Map([[ISSUER, key]]))))).failure;

  test('an Ed25519 or X25519 key in the JWKS refuses the assertion (it must not throw: that was a 500)', async () => {
    const ed = generateKeyPairSync('ed25519');
    const x = generateKeyPairSync('x25519');
    for (const key of [ed.publicKey, x.publicKey]) {
      assert.equal(await failure(rs256(), key), 'FederatedSignature');
      assert.equal(await failure(es256(), key), 'FederatedSignature');
    }
  });

  test('an RSA key does not verify an ES256 assertion, an EC key no RS256 one, a P-384 key no ES256 one', async () => {
    assert.equal(await failure(es256(), rsa.publicKey), 'FederatedSignature');
    assert.equal(await failure(jws({ alg: 'RS256', typ: 'JWT' }, claims(), ec.privateKey, 'ES256-DER'), ec.publicKey), 'FederatedSignature');
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    assert.equal(await failure(jws({ alg: 'ES256', typ: 'JWT' }, claims(), p384.privateKey, 'ES256'), p384.publicKey), 'FederatedSignature');
    assert.equal(await failure(es256(), ec.publicKey), 'accepted');
    assert.equal(await failure(rs256(), rsa.publicKey), 'accepted');
  });
});

describe('verifyFederatedAssertion: matching issuer, subject and audience', () => {
  test('an exact match verifies and returns the matching credential; the key is asked for by issuer and kid', async () => {
    const app = principal();
    const match = credential(app);
    const keys = rsaKeys();
    const others = [credential(app, ISSUER, 'repo:contoso/app:environment:prod'), credential(app, OTHER_ISSUER, SUBJECT)];
    assert.equal(await verify(app, rs256(), [...others, match], keys), match);
    assert.deepEqual(keys.lookups, [[ISSUER, 'rsa-1']]);
  });

  test('no kid: the key source is asked with kid undefined', async () => {
    const app = principal();
    const keys = rsaKeys();
    const token = jws({ alg: 'RS256' }, claims(), rsa.privateKey, 'RS256');
    assert.equal(await outcome(app, token, [credential(app)], keys), 'accepted');
    assert.deepEqual(keys.lookups, [[ISSUER, undefined]]);
  });

  test('aud as an array with the credential’s audience among others', async () => {
    const app = principal();
    assert.equal(await outcome(app, rs256({ aud: ['something-else', TOKEN_EXCHANGE_AUDIENCE] }), [credential(app)], rsaKeys()), 'accepted');
  });

  test('a user-assigned identity’s credential works the same way', async () => {
    const uami = principal('UserAssignedIdentity');
    assert.equal(await outcome(uami, rs256(), [credential(uami)], rsaKeys()), 'accepted');
  });

  test('a subject differing only in case is refused (FederatedSubjectNotFound)', async () => {
    const app = principal();
    const { failure, details } = await failureOf(() => verify(app, rs256({ sub: SUBJECT.toUpperCase() }), [credential(app)], rsaKeys()));
    assert.equal(failure, 'FederatedSubjectNotFound');
    assert.deepEqual(details, { subject: SUBJECT.toUpperCase() });
    const keys = rsaKeys();
    assert.equal(await outcome(app, rs256(), [credential(app, ISSUER, SUBJECT.replace('contoso', 'Contoso'))], keys), 'FederatedSubjectNotFound');
    assert.deepEqual(keys.lookups, [], 'no key is fetched for a token that matches no credential');
  });

  test('an issuer differing in case or by a trailing slash is refused (FederatedIssuerNotFound)', async () => {
    const app = principal();
    assert.equal(await outcome(app, rs256({ iss: ISSUER.toUpperCase() }), [credential(app)], rsaKeys()), 'FederatedIssuerNotFound');
    assert.equal(await outcome(app, rs256({ iss: `${ISSUER}/` }), [credential(app)], rsaKeys()), 'FederatedIssuerNotFound');
  });

  test('an audience differing in case is refused (FederatedAudienceNotFound)', async () => {
    const app = principal();
    assert.equal(await outcome(app, rs256({ aud: TOKEN_EXCHANGE_AUDIENCE.toLowerCase() }), [credential(app)], rsaKeys()), 'FederatedAudienceNotFound');
  });

  test('no credential with the issuer: FederatedIssuerNotFound naming the issuer', async () => {
    const app = principal();
    const unknown = 'https://issuer.example/unknown';
    const { failure, details } = await failureOf(() => verify(app, rs256({ iss: unknown }), [credential(app)], rsaKeys()), app.appId);
    assert.equal(failure, 'FederatedIssuerNotFound');
    assert.deepEqual(details, { issuer: unknown });
    assert.equal(await outcome(app, rs256(), [], rsaKeys()), 'FederatedIssuerNotFound');
  });

  test('issuer matches, subject does not: FederatedSubjectNotFound naming the subject', async () => {
    const app = principal();
    const { failure, details } = await failureOf(() => verify(app, rs256({ sub: 'repo:contoso/other:ref:refs/heads/main' }), [credential(app)], rsaKeys()));
    assert.equal(failure, 'FederatedSubjectNotFound');
    assert.deepEqual(details, { subject: 'repo:contoso/other:ref:refs/heads/main' });
  });

  test('issuer and subject match, audience does not: FederatedAudienceNotFound naming the audiences', async () => {
    const app = principal();
    const single = await failureOf(() => verify(app, rs256({ aud: 'api://other' }), [credential(app)], rsaKeys()));
    assert.equal(single.failure, 'FederatedAudienceNotFound');
    assert.deepEqual(single.details, { audience: 'api://other' });
    const several = await failureOf(() => verify(app, rs256({ aud: ['a', 'b'] }), [credential(app)], rsaKeys()));
    assert.deepEqual(several, { failure: 'FederatedAudienceNotFound', details: { audience: 'a, b' } });
    assert.equal(await outcome(app, rs256({ aud: undefined }), [credential(app)], rsaKeys()), 'FederatedAudienceNotFound');
    assert.equal(await outcome(app, rs256({ aud: 7 }), [credential(app)], rsaKeys()), 'FederatedAudienceNotFound');
  });

  test('the audience is matched on the credential with that subject, not on another credential of the issuer', async () => {
    const app = principal();
    const credentials = [credential(app, ISSUER, SUBJECT, 'api://one'), credential(app, ISSUER, 'other-subject', TOKEN_EXCHANGE_AUDIENCE)];
    assert.equal(await outcome(app, rs256(), credentials, rsaKeys()), 'FederatedAudienceNotFound');
  });

  test("another principal's credential is not usable", async () => {
    const app = principal();
    const owner = principal();
    const theirs = credential(owner);
    const keys = rsaKeys();
    const { failure, details } = await failureOf(() => verify(app, rs256(), [theirs], keys), app.appId);
    assert.equal(failure, 'FederatedIssuerNotFound');
    assert.deepEqual(details, { issuer: ISSUER });
    assert.deepEqual(keys.lookups, []);
    // The app's own credential for the issuer, with another subject, does not borrow the owner's subject either.
    assert.equal(await outcome(app, rs256(), [theirs, credential(app, ISSUER, 'mine')], rsaKeys()), 'FederatedSubjectNotFound');
    assert.equal(await outcome(owner, rs256(), [theirs], rsaKeys()), 'accepted');
  });

  test('iss or sub missing or not strings: MalformedAssertion', async () => {
    const app = principal();
    for (const overrides of [{ iss: undefined }, { sub: undefined }, { iss: 1 }, { sub: ['x'] }]) {
      assert.equal(await outcome(app, rs256(overrides), [credential(app)], rsaKeys()), 'MalformedAssertion', JSON.stringify(overrides));
    }
  });
});

describe('verifyFederatedAssertion: signature', () => {
  test('RS256 is accepted', async () => {
    const app = principal();
    assert.equal(await outcome(app, rs256(), [credential(app)], rsaKeys()), 'accepted');
  });

  test('ES256 with an IEEE P1363 (r||s) signature is accepted', async () => {
    const app = principal();
    const token = es256();
    const signature = Buffer.from(token.split('.')[2] ?? '', 'base64url');
    assert.equal(signature.length, 64);
    assert.equal(await outcome(app, token, [credential(app)], ecKeys()), 'accepted');
  });

  test('ES256 with a DER-encoded signature is refused (JWS uses r||s)', async () => {
    const app = principal();
    const token = jws({ alg: 'ES256', kid: 'ec-1' }, claims(), ec.privateKey, 'ES256-DER');
    assert.equal(await outcome(app, token, [credential(app)], ecKeys()), 'FederatedSignature');
  });

  test('a signature by another key is refused: FederatedSignature', async () => {
    const app = principal();
    const { failure, details } = await failureOf(() => verify(app, rs256({}, attacker.privateKey), [credential(app)], rsaKeys()), app.appId);
    assert.equal(failure, 'FederatedSignature');
    assert.deepEqual(details, { reason: 'signature' });
  });

  test('a payload changed after signing is refused', async () => {
    const app = principal();
    const [header, , signature] = rs256().split('.');
    const forged = `${header}.${b64(claims({ sub: SUBJECT, exp: NOW + 7200 }))}.${signature}`;
    assert.equal(await outcome(app, forged, [credential(app)], rsaKeys()), 'FederatedSignature');
  });

  test('an ES256 token verified with the issuer’s RSA key, and an RS256 token with an EC key, are refused', async () => {
    const app = principal();
    assert.equal(await outcome(app, es256(), [credential(app)], rsaKeys()), 'FederatedSignature');
    assert.equal(await outcome(app, rs256(), [credential(app)], ecKeys()), 'FederatedSignature');
  });

  test('the key source knows no key for the issuer or kid: FederatedSignature', async () => {
    const app = principal();
    assert.equal(await outcome(app, rs256(), [credential(app)], new FakeKeys(new Map())), 'FederatedSignature');
  });

  test('the key source throws: FederatedSignature with details.fetch true and the reason', async () => {
    const app = principal();
    const keys = rsaKeys();
    keys.fail = new Error('discovery failed');
    const { failure, details } = await failureOf(() => verify(app, rs256(), [credential(app)], keys), app.appId);
    assert.equal(failure, 'FederatedSignature');
    assert.deepEqual(details, { reason: 'discovery failed', fetch: true });
  });

  const algs: [string, Record<string, unknown>, SignWith][] = [
    ['none', { alg: 'none' }, 'RS256'],
    ['HS256', { alg: 'HS256' }, 'RS256'],
    ['PS256', { alg: 'PS256' }, 'PS256'],
    ['RS384', { alg: 'RS384' }, 'RS256'],
    ['rs256 (lower case)', { alg: 'rs256' }, 'RS256'],
    ['missing', {}, 'RS256'],
  ];
  for (const [name, header, signWith] of algs) {
    test(`alg ${name} is refused before any key is fetched`, async () => {
      const app = principal();
      const keys = rsaKeys();
      const token = jws(header, claims(), rsa.privateKey, signWith);
      const { failure, details } = await failureOf(() => verify(app, token, [credential(app)], keys));
      assert.equal(failure, 'FederatedSignature');
      assert.match(String(details?.['reason']), /^alg /);
      assert.deepEqual(keys.lookups, []);
    });
  }

  test('an HS256 token MACed with the issuer’s public key is refused', async () => {
    const app = principal();
    const input = `${b64({ alg: 'HS256' })}.${b64(claims())}`;
    const pem = rsa.publicKey.export({ format: 'pem', type: 'spki' });
    const mac = createHash('sha256').update(pem).update(input).digest('base64url');
    assert.equal(await outcome(app, `${input}.${mac}`, [credential(app)], rsaKeys()), 'FederatedSignature');
  });
});

describe('verifyFederatedAssertion: times', () => {
  test('an expired token is refused (AssertionOutOfTime), inside the 5-minute skew it is not', async () => {
    const app = principal();
    const { failure, details } = await failureOf(() => verify(app, rs256({ iat: NOW - 4000, nbf: NOW - 4000, exp: NOW - 400 }), [credential(app)], rsaKeys()));
    assert.equal(failure, 'AssertionOutOfTime');
    assert.deepEqual(details, { now: NOW, nbf: NOW - 4000, exp: NOW - 400 });
    assert.equal(await outcome(app, rs256({ iat: NOW - 3900, nbf: NOW - 3900, exp: NOW - 301 }), [credential(app)], rsaKeys()), 'AssertionOutOfTime');
    assert.equal(await outcome(app, rs256({ iat: NOW - 3900, nbf: NOW - 3900, exp: NOW - 300 }), [credential(app)], rsaKeys()), 'accepted');
  });

  test('a token not yet valid beyond the skew is refused', async () => {
    const app = principal();
    assert.equal(await outcome(app, rs256({ iat: NOW + 301, nbf: NOW + 301, exp: NOW + 4000 }), [credential(app)], rsaKeys()), 'AssertionOutOfTime');
  });

  test('federated tokens have no 10-minute lifetime limit (a day-long token in time is accepted)', async () => {
    const app = principal();
    assert.equal(await outcome(app, rs256({ iat: NOW - 60, nbf: NOW - 60, exp: NOW + 86_400 }), [credential(app)], rsaKeys()), 'accepted');
  });

  test('no exp: MalformedAssertion', async () => {
    const app = principal();
    assert.equal(await outcome(app, rs256({ exp: undefined }), [credential(app)], rsaKeys()), 'MalformedAssertion');
  });
});
