import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createHash, generateKeyPairSync, KeyObject, randomUUID, sign, webcrypto } from 'node:crypto';
import { verifyFederatedAssertion, type IssuerKeySource } from '../../src/directory/federated.js';
import { ClientAuthenticator, type ClientCredentials } from '../../src/directory/client-authenticator.js';
import { CredentialService, TOKEN_EXCHANGE_AUDIENCE } from '../../src/directory/credentials.js';
import { ClientAuthenticationError, type ClientFailure } from '../../src/directory/errors.js';
import { decodeJwt } from '../../src/shared/jwt.js';
import { WorkloadIssuer } from '../../src/tokens/workload-issuer.js';
import { SigningKeyRotation } from '../../src/tokens/rotation.js';
import { KeylessNames, DEFAULT_HOST_NAMES } from '../../src/config/names.js';
import { loadX509 } from '../../src/runtime/tls.js';
import { openCore, type Core } from '../fixtures/core.js';
import type { FederatedCredential, Principal } from '../../src/directory/model.js';

/*
 * Federated assertions (tokens of an external issuer) against a fake key
 * source backed by key pairs made here, then the whole ClientAuthenticator on
 * a real SQLite core. Nothing connects anywhere.
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

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

type SignWith = 'RS256' | 'ES256' | 'ES256-DER' | 'PS256';

function jws(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject, signWith: SignWith): string {
  const input = `${b64(header)}.${b64(payload)}`;
  const data = Buffer.from(input);
  const signature =
    signWith === 'RS256'
      ? sign('sha256', data, key)
      : signWith === 'ES256'
        ? sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' })
        : signWith === 'ES256-DER'
          ? sign('sha256', data, { key, dsaEncoding: 'der' })
          : sign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  return `${input}.${signature.toString('base64url')}`;
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

async function failureOf(run: () => Promise<unknown>, clientId?: string): Promise<{ failure: ClientFailure | 'accepted'; details: Record<string, unknown> | undefined }> {
  try {
    await run();
  } catch (error) {
    assert.ok(error instanceof ClientAuthenticationError, `unexpected error ${String(error)}`);
    if (clientId !== undefined) assert.equal(error.clientId, clientId);
    return { failure: error.failure, details: error.details };
  }
  return { failure: 'accepted', details: undefined };
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

// ---------------------------------------------------------------------------
// ClientAuthenticator on a real SQLite core.

const RSA_CERT = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 } as const;

async function makeCertificate(nowMs: number): Promise<{ pem: string; privateKey: KeyObject; x5tS256: string }> {
  const x509 = await loadX509();
  const keys = await webcrypto.subtle.generateKey(RSA_CERT, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=keyless-test-client',
    keys,
    notBefore: new Date(nowMs - 86_400_000),
    notAfter: new Date(nowMs + 30 * 86_400_000),
    signingAlgorithm: RSA_CERT,
  });
  const der = Buffer.from(certificate.rawData);
  return { pem: certificate.toString('pem'), privateKey: KeyObject.from(keys.privateKey), x5tS256: createHash('sha256').update(der).digest('base64url') };
}

describe('ClientAuthenticator end-to-end (sqlite)', () => {
  const PORT = 48444;
  let nowMs = Date.now();
  const clock = { now: () => nowMs };
  let core: Core;
  let credentials: CredentialService;
  let workload: WorkloadIssuer;
  let clients: ClientAuthenticator;
  let names: KeylessNames;

  before(async () => {
    core = await openCore('sqlite', { clock });
    credentials = new CredentialService(core.store, core.model, core.directory, clock);
    names = new KeylessNames(DEFAULT_HOST_NAMES, () => core.tenantId);
    names.bind(PORT);
    workload = await WorkloadIssuer.open(core.store, core.model, core.kek, () => `https://localhost:${PORT}`, clock);
    // As src/app.ts composes it: the workload issuer in-process, nothing else known (a stand-in for the allow-list refusing).
    const issuerKeys: IssuerKeySource = {
      key: async (issuer, kid) => {
        if (issuer === workload.issuer) return kid === undefined || kid === workload.kid ? workload.publicKey : undefined;
        throw new Error(`the issuer ${issuer} is not on the allow-list`);
      },
    };
    clients = new ClientAuthenticator(core.directory, core.model, issuerKeys, (aud) => names.isOwnTokenEndpoint(aud), clock);
  });

  after(async () => {
    await core?.close();
  });

  const withAssertion = (clientId: string, clientAssertion: string): ClientCredentials => ({ clientId, clientSecret: undefined, clientAssertion });
  const rejected = async (credentials: ClientCredentials): Promise<ClientFailure | 'accepted'> =>
    (await failureOf(() => clients.authenticate(credentials), credentials.clientId)).failure;

  function certificateAssertion(app: Principal, cert: { privateKey: KeyObject; x5tS256: string }, jti = randomUUID()): string {
    const now = Math.floor(nowMs / 1000);
    const payload = { iss: app.appId, sub: app.appId, aud: `https://localhost:${PORT}/${core.tenantId}/oauth2/v2.0/token`, jti, nbf: now, iat: now, exp: now + 600 };
    return jws({ alg: 'PS256', typ: 'JWT', 'x5t#S256': cert.x5tS256 }, payload, cert.privateKey, 'PS256');
  }

  test('secret: method secret, never a reused assertion', async () => {
    const app = await credentials.createApplication('secret-app');
    const { secret } = await credentials.addSecret(app, 'ci', undefined);
    const result = await clients.authenticate({ clientId: app.appId, clientSecret: secret, clientAssertion: undefined });
    assert.equal(result.principal.objectId, app.objectId);
    assert.equal(result.method, 'secret');
    assert.equal(result.reusedAssertion, false);
    assert.equal(await rejected({ clientId: app.appId, clientSecret: `${secret}x`, clientAssertion: undefined }), 'InvalidSecret');
    assert.equal(await rejected({ clientId: app.appId, clientSecret: undefined, clientAssertion: undefined }), 'NoCredential');
  });

  test('certificate: method certificate; the same assertion again is accepted and flagged reused', async () => {
    const app = await credentials.createApplication('cert-app');
    const cert = await makeCertificate(nowMs);
    await credentials.addCertificate(app, cert.pem, 'ci');
    const assertion = certificateAssertion(app, cert);
    const first = await clients.authenticate(withAssertion(app.appId, assertion));
    assert.deepEqual({ objectId: first.principal.objectId, method: first.method, reused: first.reusedAssertion }, { objectId: app.objectId, method: 'certificate', reused: false });
    const second = await clients.authenticate(withAssertion(app.appId, assertion));
    assert.equal(second.method, 'certificate');
    assert.equal(second.reusedAssertion, true);
    assert.equal((await clients.authenticate(withAssertion(app.appId, certificateAssertion(app, cert)))).reusedAssertion, false);
  });

  test('certificate: a client id in upper case (iss, sub and client_id alike) is the same client', async () => {
    const app = await credentials.createApplication('cert-upper');
    const cert = await makeCertificate(nowMs);
    await credentials.addCertificate(app, cert.pem, null);
    const upper = { ...app, appId: app.appId.toUpperCase() };
    const result = await clients.authenticate(withAssertion(upper.appId, certificateAssertion(upper, cert)));
    assert.equal(result.method, 'certificate');
    assert.equal(result.principal.objectId, app.objectId);
  });

  test('certificate: one whose validity has not started yet does not authenticate', async () => {
    const app = await credentials.createApplication('cert-future');
    const cert = await makeCertificate(nowMs + 2 * 86_400_000);
    await credentials.addCertificate(app, cert.pem, null);
    assert.equal(await rejected(withAssertion(app.appId, certificateAssertion(app, cert))), 'CertificateNotRegistered');
  });

  test("certificate: another application's registered certificate does not authenticate this one", async () => {
    const owner = await credentials.createApplication('cert-owner');
    const app = await credentials.createApplication('cert-borrower');
    const cert = await makeCertificate(nowMs);
    await credentials.addCertificate(owner, cert.pem, null);
    assert.equal(await rejected(withAssertion(app.appId, certificateAssertion(app, cert))), 'CertificateNotRegistered');
  });

  test('certificate: removing the certificate stops it from authenticating', async () => {
    const app = await credentials.createApplication('cert-removed');
    const cert = await makeCertificate(nowMs);
    const record = await credentials.addCertificate(app, cert.pem, null);
    assert.equal(await rejected(withAssertion(app.appId, certificateAssertion(app, cert))), 'accepted');
    assert.equal(await credentials.removeCredential(app, record.id), true);
    assert.equal(await rejected(withAssertion(app.appId, certificateAssertion(app, cert))), 'CertificateNotRegistered');
  });

  test('federated: a workload-issuer token for a trusted service account, method federated; reused on the second use', async () => {
    const app = await credentials.createApplication('federated-app');
    await credentials.putFederated(app, { name: 'workload', issuer: workload.issuer, subject: 'system:serviceaccount:ns:sa' });
    const { token } = workload.mint({ namespace: 'ns', serviceAccount: 'sa', audience: TOKEN_EXCHANGE_AUDIENCE, lifetimeSeconds: 3600 });
    const first = await clients.authenticate(withAssertion(app.appId, token));
    assert.deepEqual({ objectId: first.principal.objectId, method: first.method, reused: first.reusedAssertion }, { objectId: app.objectId, method: 'federated', reused: false });
    const second = await clients.authenticate(withAssertion(app.appId, token));
    assert.equal(second.method, 'federated');
    assert.equal(second.reusedAssertion, true);
  });

  test('federated: another service account, another audience, or an expired token is refused', async () => {
    const app = await credentials.createApplication('federated-strict');
    await credentials.putFederated(app, { name: 'workload', issuer: workload.issuer, subject: 'system:serviceaccount:ns:sa' });
    const other = workload.mint({ namespace: 'ns', serviceAccount: 'other', audience: TOKEN_EXCHANGE_AUDIENCE, lifetimeSeconds: 3600 });
    assert.equal(await rejected(withAssertion(app.appId, other.token)), 'FederatedSubjectNotFound');
    const wrongAudience = workload.mint({ namespace: 'ns', serviceAccount: 'sa', audience: 'api://other', lifetimeSeconds: 3600 });
    assert.equal(await rejected(withAssertion(app.appId, wrongAudience.token)), 'FederatedAudienceNotFound');
    const short = workload.mint({ namespace: 'ns', serviceAccount: 'sa', audience: TOKEN_EXCHANGE_AUDIENCE, lifetimeSeconds: 60 });
    const saved = nowMs;
    nowMs += 61_000 + 300_000 + 1000;
    try {
      assert.equal(await rejected(withAssertion(app.appId, short.token)), 'AssertionOutOfTime');
    } finally {
      nowMs = saved;
    }
  });

  test("federated: an emergency rotation replaces the workload issuer's key; tokens of the old one are refused", async () => {
    const app = await credentials.createApplication('federated-rotated');
    await credentials.putFederated(app, { name: 'workload', issuer: workload.issuer, subject: 'system:serviceaccount:ns:sa' });
    const before = workload.mint({ namespace: 'ns', serviceAccount: 'sa', audience: TOKEN_EXCHANGE_AUDIENCE, lifetimeSeconds: 3600 });
    const oldKid = workload.kid;
    assert.equal(await rejected(withAssertion(app.appId, before.token)), 'accepted');

    const ordinary = await new SigningKeyRotation(core.store, core.model, clock, core.kek, 3600).rotate(false);
    assert.equal(ordinary.workloadIssuerKid, undefined);
    assert.equal(workload.kid, oldKid, 'an ordinary rotation leaves the workload issuer alone');

    const emergency = await new SigningKeyRotation(core.store, core.model, clock, core.kek, 3600).rotate(true);
    assert.equal(workload.kid, emergency.workloadIssuerKid);
    assert.notEqual(workload.kid, oldKid);
    assert.deepEqual(workload.jwks().keys.map((k) => k['kid']), [workload.kid]);
    assert.equal(await rejected(withAssertion(app.appId, before.token)), 'FederatedSignature');
    const after = workload.mint({ namespace: 'ns', serviceAccount: 'sa', audience: TOKEN_EXCHANGE_AUDIENCE, lifetimeSeconds: 3600 });
    assert.equal(await rejected(withAssertion(app.appId, after.token)), 'accepted');
  });

  test('federated: a token of an issuer not allowed is refused with FederatedSignature (fetch)', async () => {
    const app = await credentials.createApplication('federated-external');
    await credentials.putFederated(app, { name: 'github', issuer: ISSUER, subject: SUBJECT });
    const now = Math.floor(nowMs / 1000);
    const token = jws({ alg: 'RS256', kid: 'rsa-1' }, { iss: ISSUER, sub: SUBJECT, aud: TOKEN_EXCHANGE_AUDIENCE, iat: now, nbf: now, exp: now + 600 }, rsa.privateKey, 'RS256');
    const { failure, details } = await failureOf(() => clients.authenticate(withAssertion(app.appId, token)));
    assert.equal(failure, 'FederatedSignature');
    assert.equal(details?.['fetch'], true);
  });

  test('a user-assigned identity authenticates with a federated credential only', async () => {
    const uami = await core.store.write((writer) => core.directory.createPrincipal(writer, 'UserAssignedIdentity', 'uami', '/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uami'));
    await core.model.reach(uami.revision);
    const identity = uami.value;
    await credentials.putFederated(identity, { name: 'workload', issuer: workload.issuer, subject: 'system:serviceaccount:ns:uami' });
    const { token } = workload.mint({ namespace: 'ns', serviceAccount: 'uami', audience: TOKEN_EXCHANGE_AUDIENCE, lifetimeSeconds: 600 });
    const result = await clients.authenticate(withAssertion(identity.appId, token));
    assert.equal(result.method, 'federated');
    assert.equal(result.principal.objectId, identity.objectId);
    // No secrets, and a self-signed assertion is not a certificate path for an identity.
    assert.equal(await rejected({ clientId: identity.appId, clientSecret: 'anything', clientAssertion: undefined }), 'UnknownClient');
    const cert = await makeCertificate(nowMs);
    assert.equal(await rejected(withAssertion(identity.appId, certificateAssertion(identity, cert))), 'FederatedIssuerNotFound');
  });

  test('an unknown client, or an assertion that is not a JWT, is refused', async () => {
    const { token } = workload.mint({ namespace: 'ns', serviceAccount: 'sa', audience: TOKEN_EXCHANGE_AUDIENCE, lifetimeSeconds: 600 });
    assert.equal(await rejected(withAssertion(randomUUID(), token)), 'UnknownClient');
    const app = await credentials.createApplication('malformed');
    for (const bad of ['', 'a.b', 'not-a-jwt', 'a.b.c.d', `${Buffer.from('[]').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.x`]) {
      assert.equal(await rejected(withAssertion(app.appId, bad)), 'MalformedAssertion', bad);
    }
  });
});
