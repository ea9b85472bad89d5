import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, KeyObject, randomUUID, webcrypto } from 'node:crypto';
import type { IssuerKeySource } from '../../src/directory/federated.js';
import { ClientAuthenticator, type ClientCredentials } from '../../src/directory/client-authenticator.js';
import { CredentialService, TOKEN_EXCHANGE_AUDIENCE } from '../../src/directory/credentials.js';
import type { ClientFailure } from '../../src/directory/errors.js';
import { WorkloadIssuer } from '../../src/tokens/workload-issuer.js';
import { SigningKeyRotation } from '../../src/tokens/rotation.js';
import { KeylessNames, DEFAULT_HOST_NAMES } from '../../src/config/names.js';
import { loadX509 } from '../../src/runtime/tls.js';
import { openCore, type Core } from '../fixtures/core.js';
import { failureOf, jws } from '../fixtures/assertions.js';
import type { Principal } from '../../src/directory/model.js';

/*
 * The whole ClientAuthenticator (secrets, certificates, federated credentials
 * of the built-in workload issuer) on a real SQLite core, composed as
 * src/app.ts composes it. Nothing connects anywhere.
 */

const ISSUER = 'https://token.actions.githubusercontent.com';
const SUBJECT = 'repo:contoso/app:ref:refs/heads/main';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

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

  test('a crit header is refused on certificate and federated assertions alike (RFC 7515 §4.1.11)', async () => {
    const app = await credentials.createApplication('crit-app');
    const cert = await makeCertificate(nowMs);
    await credentials.addCertificate(app, cert.pem, null);
    const now = Math.floor(nowMs / 1000);
    const claims = { iss: app.appId, sub: app.appId, aud: `https://localhost:${PORT}/${core.tenantId}/oauth2/v2.0/token`, jti: randomUUID(), nbf: now, iat: now, exp: now + 600 };
    const header = { alg: 'PS256', typ: 'JWT', 'x5t#S256': cert.x5tS256 };
    assert.equal(await rejected(withAssertion(app.appId, jws(header, claims, cert.privateKey, 'PS256'))), 'accepted');
    const { failure, details } = await failureOf(() => clients.authenticate(withAssertion(app.appId, jws({ ...header, crit: ['exp'], exp: 1 }, claims, cert.privateKey, 'PS256'))));
    assert.deepEqual({ failure, details }, { failure: 'MalformedAssertion', details: { reason: 'crit header' } });
    await credentials.putFederated(app, { name: 'crit-fic', issuer: ISSUER, subject: SUBJECT });
    const federated = jws({ alg: 'RS256', kid: 'rsa-1', crit: ['b64'], b64: false }, { iss: ISSUER, sub: SUBJECT, aud: TOKEN_EXCHANGE_AUDIENCE, iat: now, nbf: now, exp: now + 600 }, rsa.privateKey, 'RS256');
    assert.equal(await rejected(withAssertion(app.appId, federated)), 'MalformedAssertion');
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
