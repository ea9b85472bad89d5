import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { X509Certificate, createHash, createPrivateKey, randomUUID, sign } from 'node:crypto';
import { runCli, startKeyless, type CliResult, type KeylessProcess, cliJson } from '../fixtures/server.js';
import { request, type HttpResult } from '../fixtures/http.js';

/** `keyless ad …` and `keyless identity federated-credential …` against a real `keyless up`. */
let keyless: KeylessProcess;
let sub: string;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const cli = (...args: string[]): Promise<CliResult> => runCli(keyless.dataDir, args);
const json = cliJson(() => keyless.dataDir);
const tokenEndpoint = (): string => `${keyless.info.baseUrl}/${keyless.info.tenantId}/oauth2/v2.0/token`;
const tokenFor = (form: Record<string, string>): Promise<HttpResult> =>
  request(keyless.info.caPath, 'POST', tokenEndpoint(), {
    form: { grant_type: 'client_credentials', scope: 'https://cognitiveservices.azure.com/.default', ...form },
  });
const claims = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));

before(async () => {
  keyless = await startKeyless();
  sub = `/subscriptions/${keyless.info.subscriptionId}`;
  await json('group', 'create', '-n', 'ad-rg');
});
after(async () => {
  await keyless.stop();
});

describe('keyless ad sp', () => {
  let app: { appId: string; password: string };

  test('create-for-rbac with a role prints appId, displayName, password and tenant; the password gets tokens', async () => {
    const scope = `${sub}/resourceGroups/ad-rg`;
    const out = await json('ad', 'sp', 'create-for-rbac', '-n', 'ci-bot', '--role', 'Cognitive Services OpenAI User', '--scopes', scope);
    assert.match(out.appId, GUID);
    assert.deepEqual(out, { appId: out.appId, displayName: 'ci-bot', password: out.password, tenant: keyless.info.tenantId });
    app = out;

    const issued = await tokenFor({ client_id: out.appId, client_secret: out.password });
    assert.equal(issued.status, 200, issued.text);
    const c = claims(issued.json().access_token);
    assert.equal(c['appid'], out.appId);
    assert.equal(c['appidacr'], '1');

    const sp = await json('ad', 'sp', 'show', '--id', out.appId);
    assert.equal(sp.displayName, 'ci-bot');
    assert.equal(sp.servicePrincipalType, 'Application');
    assert.equal(c['oid'], sp.id);
    const assignments = await json('role', 'assignment', 'list', '--assignee', sp.id);
    assert.equal(assignments.length, 1);
    assert.equal(assignments[0].properties.scope, scope);
    assert.equal(assignments[0].properties.principalType, 'ServicePrincipal');
    assert.equal(assignments[0].properties.roleDefinitionId, `${sub}/providers/Microsoft.Authorization/roleDefinitions/5e0bd9bd-7b93-4f28-af87-19fc36ad61bd`);

    const credentials = await json('ad', 'sp', 'credential', 'list', '--id', out.appId);
    assert.equal(credentials.length, 1);
    assert.deepEqual(Object.keys(credentials[0]), ['keyId', 'type', 'displayName', 'hint', 'endDateTime']);
    assert.equal(credentials[0].type, 'Password');
    assert.equal(credentials[0].hint, out.password.slice(0, 3));
    const years = (Date.parse(credentials[0].endDateTime) - Date.now()) / (365 * 86_400_000);
    assert.ok(years > 0.99 && years < 1.01, 'a year by default');

    const listed = await cli('ad', 'sp', 'list');
    assert.equal(listed.code, 0);
    assert.match(listed.stdout, /^DisplayName\s+AppId\s+Id\s+Type$/m);
    assert.match(listed.stdout, new RegExp(`^ci-bot\\s+${out.appId}\\s+${sp.id}\\s+Application$`, 'm'));
  });

  test('credential reset invalidates the old secret (AADSTS7000215); --append keeps it; delete removes one', async () => {
    const reset = await json('ad', 'sp', 'credential', 'reset', '--id', app.appId);
    assert.deepEqual(Object.keys(reset), ['appId', 'password', 'tenant']);
    assert.notEqual(reset.password, app.password);
    const old = await tokenFor({ client_id: app.appId, client_secret: app.password });
    assert.equal(old.status, 401);
    const body = old.json();
    assert.equal(body.error, 'invalid_client');
    assert.deepEqual(body.error_codes, [7000215]);
    assert.match(body.error_description, new RegExp(`^AADSTS7000215: Invalid client secret provided\\. .*'${app.appId}'`));
    assert.equal((await tokenFor({ client_id: app.appId, client_secret: reset.password })).status, 200);

    const appended = await json('ad', 'sp', 'credential', 'reset', '--id', app.appId, '--append', '--years', '2');
    const list = await json('ad', 'sp', 'credential', 'list', '--id', app.appId);
    assert.equal(list.length, 2);
    for (const secret of [reset.password, appended.password]) assert.equal((await tokenFor({ client_id: app.appId, client_secret: secret })).status, 200);

    const first = list.find((c: any) => c.hint === reset.password.slice(0, 3));
    assert.equal((await cli('ad', 'sp', 'credential', 'delete', '--id', app.appId, '--key-id', first.keyId)).code, 0);
    assert.equal((await tokenFor({ client_id: app.appId, client_secret: reset.password })).status, 401);
    assert.equal((await tokenFor({ client_id: app.appId, client_secret: appended.password })).status, 200);
    const unknown = await cli('ad', 'sp', 'credential', 'delete', '--id', app.appId, '--key-id', first.keyId);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, `ERROR: Application '${app.appId}' has no credential with key id '${first.keyId}'.\n`);
    app = { appId: app.appId, password: appended.password };
  });

  test('--create-cert keeps certificate and key in one 0600 file; the certificate signs client assertions', async () => {
    const out = await json('ad', 'sp', 'create-for-rbac', '-n', 'cert-bot', '--create-cert', '--years', '2');
    const file = path.join(keyless.dataDir, 'certificates', `${out.appId}.pem`);
    assert.deepEqual(out, { appId: out.appId, displayName: 'cert-bot', fileWithCertAndPrivateKey: file, password: null, tenant: keyless.info.tenantId });
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
    const pem = fs.readFileSync(file, 'utf8');
    assert.match(pem, /-----BEGIN PRIVATE KEY-----[\s\S]+-----END PRIVATE KEY-----/);
    assert.match(pem, /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/);

    const certificate = new X509Certificate(pem);
    assert.equal(certificate.subject, 'CN=cert-bot');
    assert.equal(certificate.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    const years = (Date.parse(certificate.validTo) - Date.parse(certificate.validFrom)) / (365 * 86_400_000);
    assert.ok(years > 1.99 && years < 2.01);
    const key = createPrivateKey(pem);
    assert.ok(certificate.checkPrivateKey(key));

    const listed = await json('ad', 'sp', 'credential', 'list', '--id', out.appId);
    assert.deepEqual(listed.map((c: any) => [c.type, c.displayName, c.hint]), [['AsymmetricX509Cert', 'CN=cert-bot', null]]);

    // A certificate-signed client assertion (RS256, x5t) with the key from the file.
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const input = `${b64({ alg: 'RS256', typ: 'JWT', x5t: createHash('sha1').update(certificate.raw).digest('base64url') })}.${b64({
      aud: tokenEndpoint(), iss: out.appId, sub: out.appId, jti: randomUUID(), nbf: now, exp: now + 600,
    })}`;
    const assertion = `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
    const issued = await tokenFor({ client_id: out.appId, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion });
    assert.equal(issued.status, 200, issued.text);
    assert.equal(claims(issued.json().access_token)['appid'], out.appId);
  });

  test('deleting the application: its secrets stop working (AADSTS700016)', async () => {
    assert.equal((await cli('ad', 'app', 'delete', '--id', app.appId)).code, 0);
    const res = await tokenFor({ client_id: app.appId, client_secret: app.password });
    assert.equal(res.status, 400);
    assert.equal(res.json().error, 'unauthorized_client');
    assert.deepEqual(res.json().error_codes, [700016]);
    const shown = await cli('ad', 'sp', 'show', '--id', app.appId);
    assert.equal(shown.code, 1);
    assert.equal(shown.stderr, `ERROR: Service principal '${app.appId}' doesn't exist.\n`);
  });

  test('usage errors exit 2 before anything is created', async () => {
    const run = await cli('ad', 'sp', 'create-for-rbac', '-n', 'half', '--role', 'Reader');
    assert.equal(run.code, 2);
    assert.equal(run.stderr, 'ERROR: usage error: To create role assignments, specify both --role and --scopes.\n');
    assert.deepEqual(await json('ad', 'app', 'list', '--display-name', 'half'), []);
  });
});

describe('keyless ad app federated-credential', () => {
  test('create, list, show, delete', async () => {
    const out = await json('ad', 'sp', 'create-for-rbac', '-n', 'gh-app');
    const issuer = 'https://token.actions.githubusercontent.com';
    const created = await json('ad', 'app', 'federated-credential', 'create', '--id', out.appId, '-n', 'main', '--issuer', issuer, '--subject', 'repo:o/r:ref:refs/heads/main');
    assert.match(created.id, GUID);
    assert.deepEqual(created, { audiences: ['api://AzureADTokenExchange'], description: null, id: created.id, issuer, name: 'main', subject: 'repo:o/r:ref:refs/heads/main' });
    assert.deepEqual(await json('ad', 'app', 'federated-credential', 'list', '--id', out.appId), [created]);
    assert.deepEqual(await json('ad', 'app', 'federated-credential', 'show', '--id', out.appId, '-n', 'main'), created);
    const duplicate = await cli('ad', 'app', 'federated-credential', 'create', '--id', out.appId, '-n', 'main', '--issuer', issuer, '--subject', 'x');
    assert.equal(duplicate.code, 1);
    assert.equal(duplicate.stderr, 'ERROR: (Request_MultipleObjectsWithSameKeyValue) FederatedIdentityCredential with name main already exists.\n');
    assert.equal((await cli('ad', 'app', 'federated-credential', 'delete', '--id', out.appId, '-n', 'main')).code, 0);
    assert.deepEqual(await json('ad', 'app', 'federated-credential', 'list', '--id', out.appId), []);
  });
});

describe('keyless identity federated-credential', () => {
  test('create, show, list, delete through the ARM resource', async () => {
    const identity = await json('identity', 'create', '-g', 'ad-rg', '-n', 'workload');
    const id = `${identity.id}/federatedIdentityCredentials/k8s`;
    const expected = {
      id,
      name: 'k8s',
      type: 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials',
      properties: { issuer: 'https://oidc.example.com/cluster', subject: 'system:serviceaccount:default:app', audiences: ['api://AzureADTokenExchange'] },
    };
    const args = ['-g', 'ad-rg', '--identity-name', 'workload'];
    const created = await json('identity', 'federated-credential', 'create', ...args, '-n', 'k8s', '--issuer', 'https://oidc.example.com/cluster', '--subject', 'system:serviceaccount:default:app');
    assert.deepEqual(created, expected);
    assert.deepEqual(await json('identity', 'federated-credential', 'show', ...args, '-n', 'k8s'), expected);
    assert.deepEqual(await json('identity', 'federated-credential', 'list', ...args), [expected]);

    const updated = await json('identity', 'federated-credential', 'create', ...args, '-n', 'k8s', '--issuer', 'https://oidc.example.com/cluster', '--subject', 'system:serviceaccount:prod:app', '--audiences', 'api://custom');
    assert.deepEqual(updated, { ...expected, properties: { ...expected.properties, subject: 'system:serviceaccount:prod:app', audiences: ['api://custom'] } });

    const table = await cli('identity', 'federated-credential', 'list', ...args);
    assert.match(table.stdout, /^Name\s+ResourceGroup\s+Issuer\s+Subject\s+Audiences$/m);
    assert.match(table.stdout, /^k8s\s+ad-rg\s+https:\/\/oidc\.example\.com\/cluster\s+system:serviceaccount:prod:app\s+api:\/\/custom$/m);

    assert.equal((await cli('identity', 'federated-credential', 'delete', ...args, '-n', 'k8s')).code, 0);
    assert.deepEqual(await json('identity', 'federated-credential', 'list', ...args), []);
    const missing = await cli('identity', 'federated-credential', 'show', ...args, '-n', 'k8s', '-o', 'json');
    assert.equal(missing.code, 1);
    const message = "The Resource 'Microsoft.ManagedIdentity/userAssignedIdentities/workload/federatedIdentityCredentials/k8s' under resource group 'ad-rg' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix";
    assert.deepEqual(JSON.parse(missing.stdout), { error: { code: 'ResourceNotFound', message } });
    assert.equal(missing.stderr, `ERROR: (ResourceNotFound) ${message}\n`);

    const noIdentity = await cli('identity', 'federated-credential', 'list', '-g', 'ad-rg', '--identity-name', 'nope');
    assert.equal(noIdentity.code, 1);
    assert.match(noIdentity.stderr, /^ERROR: \(ResourceNotFound\) The Resource 'Microsoft\.ManagedIdentity\/userAssignedIdentities\/nope' under resource group 'ad-rg' was not found\./);
  });
});
