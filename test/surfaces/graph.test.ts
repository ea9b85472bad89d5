import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, randomUUID, sign, webcrypto } from 'node:crypto';
import { readAdminCredential, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { adminToken, request, type HttpResult } from '../fixtures/http.js';
import { loadX509 } from '../../src/runtime/tls.js';

/** The Graph slice's exact answers: applications, their credentials, federated credentials, and who may write. */
let keyless: InProcessKeyless;
let token: string;
let sub: string;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const METADATA = 'https://graph.microsoft.com/v1.0/$metadata';

const graph = (method: string, path: string, body?: object, bearer = token): Promise<HttpResult> =>
  request(keyless.info.caPath, method, `${keyless.info.baseUrl}${path}`, {
    headers: { authorization: `Bearer ${bearer}` },
    ...(body === undefined ? {} : { body }),
  });
const tokenEndpoint = (): string => `${keyless.info.baseUrl}/${keyless.info.tenantId}/oauth2/v2.0/token`;
const tokenFor = (form: Record<string, string>): Promise<HttpResult> =>
  request(keyless.info.caPath, 'POST', tokenEndpoint(), {
    form: { grant_type: 'client_credentials', scope: 'https://cognitiveservices.azure.com/.default', ...form },
  });
const claims = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));

/** Asserts Graph's error body: code, message, innerError with date and request ids. */
function assertGraphError(res: HttpResult, status: number, code: string, message: string | RegExp): void {
  assert.equal(res.status, status, res.text);
  const body = res.json();
  assert.deepEqual(Object.keys(body), ['error']);
  assert.equal(body.error.code, code);
  if (typeof message === 'string') assert.equal(body.error.message, message);
  else assert.match(body.error.message, message);
  assert.deepEqual(Object.keys(body.error.innerError), ['date', 'request-id', 'client-request-id']);
  assert.match(body.error.innerError.date, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
}

async function createApp(displayName: string): Promise<any> {
  const res = await graph('POST', '/v1.0/applications', { displayName });
  assert.equal(res.status, 201, res.text);
  return res.json();
}

async function addPassword(app: any, passwordCredential: object = {}): Promise<any> {
  const res = await graph('POST', `/v1.0/applications/${app.id}/addPassword`, { passwordCredential });
  assert.equal(res.status, 200, res.text);
  return res.json();
}

/** A self-signed RSA certificate and its private key (PEM). */
async function selfSigned(cn: string): Promise<{ der: Buffer; keyPem: string }> {
  const x509 = await loadX509();
  const alg = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${cn}`, keys, signingAlgorithm: alg, notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000),
  });
  const keyPem = x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
  return { der: Buffer.from(cert.rawData), keyPem };
}

/** A certificate-signed client assertion (RS256 with x5t), as older MSAL versions send. */
function clientAssertion(appId: string, der: Buffer, keyPem: string): string {
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64({ alg: 'RS256', typ: 'JWT', x5t: createHash('sha1').update(der).digest('base64url') })}.${b64({
    aud: tokenEndpoint(), iss: appId, sub: appId, jti: randomUUID(), nbf: now, exp: now + 600,
  })}`;
  return `${input}.${sign('sha256', Buffer.from(input), createPrivateKey(keyPem)).toString('base64url')}`;
}

before(async () => {
  keyless = await startInProcess();
  token = await adminToken(keyless.info.caPath, keyless.info.baseUrl, readAdminCredential(keyless.dataDir));
  sub = `/subscriptions/${keyless.info.subscriptionId}`;
});
after(async () => {
  await keyless.stop();
});

describe('applications', () => {
  test('POST /v1.0/applications creates the application and its service principal', async () => {
    const app = await createApp('graph-app');
    assert.match(app.id, GUID);
    assert.match(app.appId, GUID);
    assert.match(app.createdDateTime, ISO);
    assert.deepEqual(app, {
      '@odata.context': `${METADATA}#applications/$entity`,
      id: app.id,
      appId: app.appId,
      displayName: 'graph-app',
      createdDateTime: app.createdDateTime,
      signInAudience: 'AzureADMyOrg',
      passwordCredentials: [],
      keyCredentials: [],
    });

    const sps = await graph('GET', `/v1.0/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${app.appId}'`)}`);
    assert.equal(sps.status, 200);
    const sp = sps.json().value[0];
    assert.notEqual(sp.id, app.id, 'the service principal has its own object id');
    assert.deepEqual(sps.json(), {
      '@odata.context': `${METADATA}#servicePrincipals`,
      value: [{
        '@odata.type': '#microsoft.graph.servicePrincipal', id: sp.id, appId: app.appId, displayName: 'graph-app', servicePrincipalType: 'Application',
        servicePrincipalNames: [app.appId], alternativeNames: [],
      }],
    });
    const byId = await graph('GET', `/v1.0/servicePrincipals/${sp.id}`);
    assert.equal(byId.json().appId, app.appId);

    // How az 2.45 finds a service principal (`ad sp show --id`, `role assignment create --assignee`).
    const byName = await graph('GET', `/v1.0/servicePrincipals?$filter=${encodeURIComponent(`servicePrincipalNames/any(c:c eq '${app.appId.toUpperCase()}')`)}`);
    assert.deepEqual(byName.json().value.map((p: any) => p.id), [sp.id]);
    const noName = await graph('GET', `/v1.0/servicePrincipals?$filter=${encodeURIComponent("servicePrincipalNames/any(x: x eq 'nobody')")}`);
    assert.deepEqual({ status: noName.status, value: noName.json().value }, { status: 200, value: [] });
    assertGraphError(await graph('GET', `/v1.0/servicePrincipals?$filter=${encodeURIComponent("servicePrincipalNames/any(c:d eq 'x')")}`), 400, 'Request_UnsupportedQuery',
      "Unsupported or invalid query filter clause specified for property: 'servicePrincipalNames/any(c:d eq 'x')'.");
    assertGraphError(await graph('GET', `/v1.0/servicePrincipals?$filter=${encodeURIComponent("displayName/any(c:c eq 'x')")}`), 400, 'Request_UnsupportedQuery',
      "Unsupported or invalid query filter clause specified for property: 'displayName/any(c:c eq 'x')'.");
    const alternate = await graph('GET', `/v1.0/servicePrincipals(appId='${app.appId}')`);
    assert.deepEqual(alternate.json(), { '@odata.context': `${METADATA}#servicePrincipals/$entity`, ...sps.json().value[0] });
    assertGraphError(await graph('GET', `/v1.0/servicePrincipals(appId='${randomUUID()}')`), 404, 'Request_ResourceNotFound', /does not exist/);
  });

  test('list with $filter, get by id and by appId', async () => {
    const app = await createApp("o'brien app");
    const byName = await graph('GET', `/v1.0/applications?$filter=${encodeURIComponent("displayName eq 'O''Brien App'")}`);
    assert.equal(byName.status, 200);
    assert.deepEqual(byName.json().value.map((a: any) => a.id), [app.id]);
    assert.equal(byName.json()['@odata.context'], `${METADATA}#applications`);
    const byAppId = await graph('GET', `/v1.0/applications?$filter=${encodeURIComponent(`appId eq '${app.appId}'`)}`);
    assert.deepEqual(byAppId.json().value.map((a: any) => a.displayName), ["o'brien app"]);
    const one = await graph('GET', `/v1.0/applications/${app.id}`);
    assert.deepEqual(one.json(), app);
    const alternate = await graph('GET', `/v1.0/applications(appId='${app.appId}')`);
    assert.deepEqual(alternate.json(), app);
    const all = await graph('GET', '/v1.0/applications');
    assert.ok(all.json().value.length >= 2);

    assertGraphError(await graph('GET', `/v1.0/applications?$filter=${encodeURIComponent("tags/any(t:t eq 'x')")}`), 400, 'Request_UnsupportedQuery',
      "Unsupported or invalid query filter clause specified for property: 'tags/any(t:t eq 'x')'.");
    const missing = randomUUID();
    assertGraphError(await graph('GET', `/v1.0/applications/${missing}`), 404, 'Request_ResourceNotFound',
      `Resource '${missing}' does not exist or one of its queried reference-property objects are not present.`);
    assertGraphError(await graph('POST', '/v1.0/applications', {}), 400, 'Request_BadRequest', "The property 'displayName' is required.");
  });

  test('addPassword shows the secret once; it gets tokens until removePassword', async () => {
    const app = await createApp('secret-app');
    const added = await addPassword(app, { displayName: 'ci' });
    assert.match(added.keyId, GUID);
    assert.match(added.secretText, /^.{3}8Q~/);
    assert.deepEqual(added, {
      '@odata.context': `${METADATA}#microsoft.graph.passwordCredential`,
      customKeyIdentifier: null,
      displayName: 'ci',
      endDateTime: added.endDateTime,
      hint: added.secretText.slice(0, 3),
      keyId: added.keyId,
      secretText: added.secretText,
      startDateTime: added.startDateTime,
    });
    const years = (Date.parse(added.endDateTime) - Date.parse(added.startDateTime)) / (365 * 86_400_000);
    assert.ok(years > 1.99 && years < 2.01, 'Graph secrets default to two years');

    const listed = (await graph('GET', `/v1.0/applications/${app.id}`)).json();
    const { '@odata.context': _context, ...shown } = added;
    assert.deepEqual(listed.passwordCredentials, [{ ...shown, secretText: null }]);

    const ok = await tokenFor({ client_id: app.appId, client_secret: added.secretText });
    assert.equal(ok.status, 200, ok.text);
    const c = claims(ok.json().access_token);
    assert.equal(c['appid'], app.appId);
    assert.equal(c['appidacr'], '1');

    assertGraphError(await graph('POST', `/v1.0/applications/${app.id}/removePassword`, { keyId: randomUUID() }), 404, 'Request_ResourceNotFound', /does not exist/);
    const removed = await graph('POST', `/v1.0/applications/${app.id}/removePassword`, { keyId: added.keyId });
    assert.equal(removed.status, 204);
    const refused = await tokenFor({ client_id: app.appId, client_secret: added.secretText });
    assert.equal(refused.status, 401);
    assert.deepEqual(refused.json().error_codes, [7000215]);
  });

  test('a secret whose endDateTime has passed is an expired secret (AADSTS7000222)', async () => {
    const app = await createApp('expired-app');
    const added = await addPassword(app, { endDateTime: new Date(Date.now() - 60_000).toISOString() });
    const res = await tokenFor({ client_id: app.appId, client_secret: added.secretText });
    assert.equal(res.status, 401);
    assert.equal(res.json().error, 'invalid_client');
    assert.deepEqual(res.json().error_codes, [7000222]);
  });

  test('PATCH keyCredentials replaces the certificates; a registered certificate signs client assertions', async () => {
    const app = await createApp('cert-app');
    const first = await selfSigned('cert-app');
    const second = await selfSigned('second');
    const patch = (keyCredentials: object[]) => graph('PATCH', `/v1.0/applications/${app.id}`, { keyCredentials });

    assert.equal((await patch([{ type: 'AsymmetricX509Cert', usage: 'Verify', key: first.der.toString('base64') }])).status, 204);
    const keys = (await graph('GET', `/v1.0/applications/${app.id}`)).json().keyCredentials;
    assert.equal(keys.length, 1);
    assert.deepEqual(keys[0], {
      customKeyIdentifier: createHash('sha1').update(first.der).digest('hex').toUpperCase(),
      displayName: 'CN=cert-app',
      endDateTime: keys[0].endDateTime,
      key: null,
      keyId: keys[0].keyId,
      startDateTime: keys[0].startDateTime,
      type: 'AsymmetricX509Cert',
      usage: 'Verify',
    });
    assert.match(keys[0].startDateTime, ISO);

    const assertion = clientAssertion(app.appId, first.der, first.keyPem);
    const issued = await tokenFor({ client_id: app.appId, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion });
    assert.equal(issued.status, 200, issued.text);
    assert.equal(claims(issued.json().access_token)['appidacr'], '2');

    // Listed by keyId: kept; a new key: added.
    assert.equal((await patch([{ keyId: keys[0].keyId }, { type: 'AsymmetricX509Cert', usage: 'Verify', key: second.der.toString('base64'), displayName: 'two' }])).status, 204);
    const both = (await graph('GET', `/v1.0/applications/${app.id}`)).json().keyCredentials;
    assert.deepEqual(both.map((k: any) => k.displayName).sort(), ['CN=cert-app', 'two']);
    // Not listed: removed.
    assert.equal((await patch([{ keyId: both.find((k: any) => k.displayName === 'two').keyId }])).status, 204);
    assert.deepEqual((await graph('GET', `/v1.0/applications/${app.id}`)).json().keyCredentials.map((k: any) => k.displayName), ['two']);

    assertGraphError(await patch([{ type: 'AsymmetricX509Cert', usage: 'Verify', key: 'bm90IGEgY2VydA==' }]), 400, 'Request_BadRequest',
      'The key credential is not a valid X.509 certificate (base64 DER or PEM).');
    assertGraphError(await patch([{ keyId: randomUUID() }]), 400, 'Request_BadRequest', /has no key credential with keyId/);
    assertGraphError(await graph('PATCH', `/v1.0/applications/${app.id}`, { displayName: 'renamed' }), 400, 'Request_BadRequest',
      "Keyless can only update an application's keyCredentials, not 'displayName'.");
    assert.equal((await patch([])).status, 204);
    assert.deepEqual((await graph('GET', `/v1.0/applications/${app.id}`)).json().keyCredentials, []);
  });

  test('DELETE removes the application, its service principal and credentials; its role assignments stay as orphans', async () => {
    const app = await createApp('doomed-app');
    const secret = await addPassword(app);
    const sp = (await graph('GET', `/v1.0/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${app.appId}'`)}`)).json().value[0];
    const assignment = `${sub}/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}`;
    const put = await graph('PUT', `${assignment}?api-version=2022-04-01`, {
      properties: { roleDefinitionId: `${sub}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`, principalId: sp.id, principalType: 'ServicePrincipal' },
    });
    assert.equal(put.status, 201, put.text);

    assert.equal((await graph('DELETE', `/v1.0/applications/${app.id}`)).status, 204);
    assertGraphError(await graph('GET', `/v1.0/applications/${app.id}`), 404, 'Request_ResourceNotFound', /does not exist/);
    assertGraphError(await graph('GET', `/v1.0/servicePrincipals/${sp.id}`), 404, 'Request_ResourceNotFound', /does not exist/);
    const refused = await tokenFor({ client_id: app.appId, client_secret: secret.secretText });
    assert.equal(refused.status, 400);
    assert.equal(refused.json().error, 'unauthorized_client');
    assert.deepEqual(refused.json().error_codes, [700016]);
    const orphan = await graph('GET', `${assignment}?api-version=2022-04-01`);
    assert.equal(orphan.status, 200);
    assertGraphError(await graph('DELETE', `/v1.0/applications/${app.id}`), 404, 'Request_ResourceNotFound', /does not exist/);
  });

  test("the CLI's admin application cannot be changed", async () => {
    const admin = readAdminCredential(keyless.dataDir);
    const app = (await graph('GET', `/v1.0/applications(appId='${admin.clientId}')`)).json();
    assertGraphError(await graph('DELETE', `/v1.0/applications/${app.id}`), 400, 'Request_BadRequest',
      "The Keyless admin application (the CLI's own service principal) cannot be changed or deleted.");
  });
});

describe('federated identity credentials', () => {
  test('create, list, get by name or id, update, delete', async () => {
    const app = await createApp('fic-app');
    const base = `/v1.0/applications/${app.id}/federatedIdentityCredentials`;
    const body = { name: 'gh-main', issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:o/r:ref:refs/heads/main', audiences: ['api://AzureADTokenExchange'], description: 'main branch' };
    const created = await graph('POST', base, body);
    assert.equal(created.status, 201, created.text);
    const fic = created.json();
    assert.match(fic.id, GUID);
    assert.deepEqual(fic, {
      '@odata.context': `${METADATA}#applications('${app.id}')/federatedIdentityCredentials/$entity`,
      audiences: ['api://AzureADTokenExchange'],
      description: null,
      id: fic.id,
      issuer: body.issuer,
      name: 'gh-main',
      subject: body.subject,
    });
    assertGraphError(await graph('POST', base, { ...body, subject: 'other' }), 409, 'Request_MultipleObjectsWithSameKeyValue',
      'FederatedIdentityCredential with name gh-main already exists.');
    assertGraphError(await graph('POST', base, { ...body, name: 'bad', issuer: 'http://insecure' }), 400, 'Request_BadRequest',
      "The federated credential's issuer must be an https URL of at most 600 characters.");

    const { '@odata.context': _, ...plain } = fic;
    assert.deepEqual((await graph('GET', base)).json(), { '@odata.context': `${METADATA}#applications('${app.id}')/federatedIdentityCredentials`, value: [plain] });
    assert.deepEqual((await graph('GET', `${base}/GH-MAIN`)).json(), fic);
    assert.deepEqual((await graph('GET', `${base}/${fic.id}`)).json(), fic);

    assert.equal((await graph('PATCH', `${base}/gh-main`, { subject: 'repo:o/r:environment:prod' })).status, 204);
    assert.equal((await graph('GET', `${base}/gh-main`)).json().subject, 'repo:o/r:environment:prod');

    assert.equal((await graph('DELETE', `${base}/gh-main`)).status, 204);
    assertGraphError(await graph('GET', `${base}/gh-main`), 404, 'Request_ResourceNotFound',
      "Resource 'gh-main' does not exist or one of its queried reference-property objects are not present.");
    assertGraphError(await graph('DELETE', `${base}/gh-main`), 404, 'Request_ResourceNotFound', /does not exist/);
  });

  test('two PATCHes of different fields at once: both land', async () => {
    const app = await createApp('fic-patch');
    const base = `/v1.0/applications/${app.id}/federatedIdentityCredentials`;
    assert.equal((await graph('POST', base, { name: 'both', issuer: 'https://issuer.example', subject: 'before' })).status, 201);
    const [one, two] = await Promise.all([
      graph('PATCH', `${base}/both`, { issuer: 'https://other.example' }),
      graph('PATCH', `${base}/both`, { subject: 'after' }),
    ]);
    assert.deepEqual([one.status, two.status], [204, 204]);
    const fic = (await graph('GET', `${base}/both`)).json();
    assert.deepEqual([fic.issuer, fic.subject], ['https://other.example', 'after']);
  });

  test('a $filter given twice is 400, not a 500', async () => {
    for (const path of ['/v1.0/applications', '/v1.0/servicePrincipals']) {
      const res = await graph('GET', `${path}?$filter=${encodeURIComponent("appId eq 'x'")}&$filter=${encodeURIComponent("appId eq 'y'")}`);
      assert.equal(res.status, 400, path);
      assert.equal(res.json().error.code, 'Request_BadRequest');
    }
  });

  test('creates racing for one name: one is created, the others get 409 (none replaces it)', async () => {
    const app = await createApp('fic-race');
    const base = `/v1.0/applications/${app.id}/federatedIdentityCredentials`;
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => graph('POST', base, { name: 'same', issuer: 'https://issuer.example', subject: `subject-${i}` })),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409]);
    const winner = results.find((r) => r.status === 201)?.json();
    const listed = (await graph('GET', base)).json().value;
    assert.equal(listed.length, 1);
    assert.equal(listed[0].subject, winner.subject);
  });
});

/** An application with Reader on the subscription, and its control-plane token (got with its own secret). */
async function readerApp(name: string): Promise<{ app: any; sp: any; token: string }> {
  const app = await createApp(name);
  const secret = await addPassword(app);
  const sp = (await graph('GET', `/v1.0/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${app.appId}'`)}`)).json().value[0];
  const put = await graph('PUT', `${sub}/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}?api-version=2022-04-01`, {
    properties: { roleDefinitionId: `${sub}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`, principalId: sp.id, principalType: 'ServicePrincipal' },
  });
  assert.equal(put.status, 201, put.text);
  const issued = await request(keyless.info.caPath, 'POST', tokenEndpoint(), {
    form: { grant_type: 'client_credentials', client_id: app.appId, client_secret: secret.secretText, scope: `${keyless.info.baseUrl}/.default` },
  });
  assert.equal(issued.status, 200, issued.text);
  return { app, sp, token: issued.json().access_token as string };
}

describe('permissions', () => {
  test('a principal without Keyless/applications/write gets 403 Authorization_RequestDenied; reads are allowed', async () => {
    const { app, token: reader } = await readerApp('reader-app');

    assertGraphError(await graph('POST', '/v1.0/applications', { displayName: 'sneaky' }, reader), 403, 'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.');
    assertGraphError(await graph('POST', `/v1.0/applications/${app.id}/addPassword`, {}, reader), 403, 'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.');
    assertGraphError(await graph('DELETE', `/v1.0/applications/${app.id}`, undefined, reader), 403, 'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.');
    const read = await graph('GET', `/v1.0/applications/${app.id}`, undefined, reader);
    assert.equal(read.status, 200);
    assert.equal(read.json().displayName, 'reader-app');
  });

  test('no token is 401 InvalidAuthenticationToken', async () => {
    const res = await request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}/v1.0/applications`);
    assertGraphError(res, 401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
  });
});

describe('ARM federated credentials of user-assigned identities', () => {
  test('PUT 201 then 200, GET, list, DELETE 200 then 204; RBAC on the identity', async () => {
    const api = '?api-version=2023-01-31';
    assert.equal((await graph('PUT', `${sub}/resourcegroups/fic-rg${api}`, { location: 'eastus' })).status, 201);
    const identity = (await graph('PUT', `${sub}/resourceGroups/fic-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai${api}`, { location: 'eastus' })).json();
    const path = `${identity.id}/federatedIdentityCredentials/github`;
    const properties = { issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:o/r:environment:prod', audiences: ['api://AzureADTokenExchange'] };
    const expected = { id: path, name: 'github', type: 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials', properties };

    const created = await graph('PUT', `${path}${api}`, { properties });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(created.json(), expected);
    const replaced = await graph('PUT', `${path}${api}`, { properties: { ...properties, subject: 'repo:o/r:environment:dev' } });
    assert.equal(replaced.status, 200);
    assert.equal(replaced.json().properties.subject, 'repo:o/r:environment:dev');
    assert.deepEqual((await graph('GET', `${identity.id}/federatedIdentityCredentials${api}`)).json(), { value: [replaced.json()] });

    const bad = await graph('PUT', `${identity.id}/federatedIdentityCredentials/bad${api}`, { properties: { ...properties, issuer: 'http://insecure' } });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json(), { error: { code: 'InvalidIssuer', message: "The federated credential's issuer must be an https URL of at most 600 characters." } });
    const noIdentity = await graph('GET', `${sub}/resourceGroups/fic-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/none/federatedIdentityCredentials${api}`);
    assert.equal(noIdentity.status, 404);
    assert.equal(noIdentity.json().error.code, 'ResourceNotFound');

    const { sp, app, token: reader } = await readerApp('fic-reader');
    assert.equal((await graph('GET', `${path}${api}`, undefined, reader)).status, 200);
    const denied = await graph('DELETE', `${path}${api}`, undefined, reader);
    assert.equal(denied.status, 403);
    assert.deepEqual(denied.json(), {
      error: {
        code: 'AuthorizationFailed',
        message: `The client '${app.appId}' with object id '${sp.id}' does not have authorization to perform action 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/delete' over scope '${identity.id}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      },
    });

    assert.equal((await graph('DELETE', `${path}${api}`)).status, 200);
    assert.equal((await graph('DELETE', `${path}${api}`)).status, 204);
    assert.equal((await graph('GET', `${path}${api}`)).status, 404);
  });
});
