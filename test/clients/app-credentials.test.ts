import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { readAdminCredential, ROOT, runCli, runScenario, startKeyless, type CliResult, type KeylessProcess } from '../fixtures/server.js';
// Set-up commands run on the test's CLI thread; `keyless run` (which starts the app under test) stays a real process.
import { cliJson, runCli as runCliOnThread } from '../fixtures/cli-thread.js';
import { adminToken, request } from '../fixtures/http.js';

/**
 * Applications and workloads sign in with the real client libraries, pointed
 * at Keyless and kept on loopback (disableInstanceDiscovery, AZURE_TENANT_ID=adfs,
 * or the variables `keyless run --as-workload` sets), then call a deployment.
 */
const SCENARIO = path.join(ROOT, 'dist/test/clients/scenarios/app-credential.js');
const PYTHON = path.join(ROOT, 'test/clients/scenarios/python_secret.py');
let keyless: KeylessProcess;
let endpoint: string;
const cli = (...args: string[]): Promise<CliResult> => runCliOnThread(keyless.dataDir, args);
const json = cliJson(() => keyless.dataDir);
const scenario = async (vars: Record<string, string>): Promise<any> => {
  const run = await runScenario(SCENARIO, {
    NODE_EXTRA_CA_CERTS: keyless.info.caPath,
    KEYLESS_URL: keyless.info.baseUrl,
    KEYLESS_TENANT: keyless.info.tenantId,
    KEYLESS_ENDPOINT: endpoint,
    KEYLESS_DEPLOYMENT: 'chat',
    AZURE_CLIENT_ID: '',
    AZURE_TENANT_ID: '',
    AZURE_CLIENT_SECRET: '',
    AZURE_AUTHORITY_HOST: '',
    AZURE_FEDERATED_TOKEN_FILE: '',
    AZURE_CLIENT_CERTIFICATE_PATH: '',
    ...vars,
  });
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout);
  assert.deepEqual(result.nonLoopback, [], 'no request may leave loopback');
  return result;
};
const group = () => `/subscriptions/${keyless.info.subscriptionId}/resourceGroups/apps`;

before(async () => {
  keyless = await startKeyless();
  await json('group', 'create', '-n', 'apps');
  endpoint = (await json('openai', 'create', '-g', 'apps', '-n', 'apps-openai')).properties.endpoint;
  await json('openai', 'deployment', 'create', '-g', 'apps', '-n', 'apps-openai', '--deployment-name', 'chat');
});
after(async () => {
  await keyless.stop();
});

describe('client secrets', () => {
  test('ClientSecretCredential gets a token with Entra claims, and the openai package calls the deployment with it', async () => {
    const sp = await json('ad', 'sp', 'create-for-rbac', '-n', 'ci-app', '--role', 'Cognitive Services OpenAI User', '--scopes', group());
    assert.deepEqual(Object.keys(sp).sort(), ['appId', 'displayName', 'password', 'tenant']);
    assert.equal(sp.tenant, keyless.info.tenantId);
    const result = await scenario({ KEYLESS_CRED: 'secret', KEYLESS_CLIENT_ID: sp.appId, KEYLESS_SECRET: sp.password });
    const claims = result.tokens[0].claims;
    assert.equal(claims.appid, sp.appId);
    assert.equal(claims.appidacr, '1');
    assert.equal(claims.idtyp, 'app');
    assert.equal(claims.ver, '1.0');
    assert.equal(claims.tid, keyless.info.tenantId);
    const lifetime = claims.exp - claims.iat;
    assert.ok(lifetime >= 3600 && lifetime <= 5400, `app tokens live 60–90 minutes (${lifetime})`);
    assert.equal(typeof result.chat.content, 'string');
  });

  test('a wrong, an expired and a deleted secret: the exact AADSTS error surfaces in the SDK', async () => {
    const sp = await json('ad', 'sp', 'create-for-rbac', '-n', 'bad-secrets');
    const wrong = await scenario({ KEYLESS_CRED: 'secret', KEYLESS_CLIENT_ID: sp.appId, KEYLESS_SECRET: `${sp.password}x` });
    assert.match(wrong.tokens[0].failed.message, /7000215.*AADSTS7000215: Invalid client secret provided/s);

    // An expired secret, added through Graph with an end date in the past.
    const admin = readAdminCredential(keyless.dataDir);
    const token = await adminToken(keyless.info.caPath, keyless.info.baseUrl, admin);
    const apps = (await request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}/v1.0/applications?$filter=appId eq '${sp.appId}'`, { headers: { authorization: `Bearer ${token}` } })).json();
    const added = await request(keyless.info.caPath, 'POST', `${keyless.info.baseUrl}/v1.0/applications/${apps.value[0].id}/addPassword`, {
      headers: { authorization: `Bearer ${token}` },
      body: { passwordCredential: { displayName: 'old', endDateTime: '2020-01-01T00:00:00Z' } },
    });
    assert.equal(added.status, 200, added.text);
    const expired = await scenario({ KEYLESS_CRED: 'secret', KEYLESS_CLIENT_ID: sp.appId, KEYLESS_SECRET: added.json().secretText });
    assert.match(expired.tokens[0].failed.message, /AADSTS7000222: The provided client secret keys for app '[0-9a-f-]+' are expired/);

    assert.equal((await cli('ad', 'sp', 'delete', '--id', sp.appId)).code, 0);
    const deleted = await scenario({ KEYLESS_CRED: 'secret', KEYLESS_CLIENT_ID: sp.appId, KEYLESS_SECRET: sp.password });
    assert.match(deleted.tokens[0].failed.message, /AADSTS700016: Application with identifier '[0-9a-f-]+' was not found in the directory/);
  });

  test('DefaultAzureCredential configured only through environment variables, with AZURE_TENANT_ID=adfs', async () => {
    const sp = await json('ad', 'sp', 'create-for-rbac', '-n', 'env-app', '--role', 'Cognitive Services OpenAI User', '--scopes', group());
    const result = await scenario({
      KEYLESS_CRED: 'default',
      AZURE_TENANT_ID: 'adfs',
      AZURE_CLIENT_ID: sp.appId,
      AZURE_CLIENT_SECRET: sp.password,
      AZURE_AUTHORITY_HOST: keyless.info.baseUrl,
    });
    assert.equal(result.tokens[0].claims.appid, sp.appId);
    assert.equal(result.tokens[0].claims.tid, keyless.info.tenantId, 'tokens carry the real tenant id');
    assert.equal(typeof result.chat.content, 'string');
  });
});

describe('certificates', () => {
  test('ClientCertificateCredential with the PEM from --create-cert, with and without the chain, two scopes in a row', async () => {
    const sp = await json('ad', 'sp', 'create-for-rbac', '-n', 'cert-app', '--create-cert', '--role', 'Cognitive Services OpenAI User', '--scopes', group());
    assert.equal(sp.password, null);
    for (const cred of ['certificate', 'certificate-chain']) {
      const result = await scenario({
        KEYLESS_CRED: cred,
        KEYLESS_CLIENT_ID: sp.appId,
        KEYLESS_CERT_FILE: sp.fileWithCertAndPrivateKey,
        KEYLESS_SCOPES: `https://cognitiveservices.azure.com/.default,${keyless.info.baseUrl}/.default`,
      });
      assert.equal(result.tokens.length, 2);
      assert.equal(result.tokens[0].claims.aud, 'https://cognitiveservices.azure.com');
      assert.equal(result.tokens[1].claims.aud, keyless.info.baseUrl);
      for (const t of result.tokens) assert.equal(t.claims.appidacr, '2');
      assert.equal(typeof result.chat.content, 'string', JSON.stringify(result.chat));
    }
    // The second scope reused msal-node's assertion (same jti): accepted, and visible in the audit.
    const audit = await json('audit', 'list', '--top', '200');
    assert.ok(audit.some((r: any) => r.surface === 'entra' && r.decision === 'allowed' && /certificate .*assertion reused/.test(r.reason)));
  });

  test('DefaultAzureCredential with AZURE_CLIENT_CERTIFICATE_PATH and AZURE_TENANT_ID=adfs (the assertion names the ADFS token endpoint)', async () => {
    const sp = await json('ad', 'sp', 'create-for-rbac', '-n', 'cert-env', '--create-cert', '--role', 'Cognitive Services OpenAI User', '--scopes', group());
    const result = await scenario({
      KEYLESS_CRED: 'default',
      AZURE_TENANT_ID: 'adfs',
      AZURE_CLIENT_ID: sp.appId,
      AZURE_CLIENT_CERTIFICATE_PATH: sp.fileWithCertAndPrivateKey,
      AZURE_AUTHORITY_HOST: keyless.info.baseUrl,
    });
    assert.equal(result.tokens[0].claims.appid, sp.appId, JSON.stringify(result.tokens[0]));
    assert.equal(result.tokens[0].claims.appidacr, '2');
    assert.equal(typeof result.chat.content, 'string');
  });

  test('a certificate that is not registered is refused with AADSTS700027', async () => {
    const registered = await json('ad', 'sp', 'create-for-rbac', '-n', 'cert-a', '--create-cert');
    const other = await json('ad', 'sp', 'create-for-rbac', '-n', 'cert-b', '--create-cert');
    const result = await scenario({ KEYLESS_CRED: 'certificate', KEYLESS_CLIENT_ID: registered.appId, KEYLESS_CERT_FILE: other.fileWithCertAndPrivateKey });
    assert.match(result.tokens[0].failed.message, /AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application/);
  });
});

describe('workloads with federated credentials', () => {
  test('WorkloadIdentityCredential and an unmodified DefaultAzureCredential under keyless run --as-workload', async () => {
    const identity = await json('identity', 'create', '-g', 'apps', '-n', 'workload-id');
    await json('role', 'assignment', 'create', '--assignee', identity.properties.principalId, '--role', 'Cognitive Services OpenAI User', '--scope', group());
    const account = await json('account', 'show');
    await json('identity', 'federated-credential', 'create', '-g', 'apps', '--identity-name', 'workload-id', '-n', 'payments-api',
      '--issuer', account.workloadIssuer, '--subject', 'system:serviceaccount:payments:api');
    for (const cred of ['workload', 'default']) {
      const run = await runCli(keyless.dataDir, ['run', '--as-workload', 'payments/api', '--client-id', identity.properties.clientId, '--', process.execPath, SCENARIO], {
        KEYLESS_CRED: cred,
        KEYLESS_ENDPOINT: endpoint,
        KEYLESS_DEPLOYMENT: 'chat',
      });
      assert.equal(run.code, 0, run.stderr);
      const result = JSON.parse(run.stdout);
      assert.deepEqual(result.nonLoopback, []);
      assert.equal(result.tokens[0].claims.oid, identity.properties.principalId, JSON.stringify(result.tokens[0]));
      assert.equal(result.tokens[0].claims.appidacr, '2');
      assert.equal(typeof result.chat.content, 'string');
    }
    // Another service account of the same issuer has no matching federated credential.
    const other = await runCli(keyless.dataDir, ['run', '--as-workload', 'payments/worker', '--client-id', identity.properties.clientId, '--', process.execPath, SCENARIO], {
      KEYLESS_CRED: 'workload',
    });
    assert.match(JSON.parse(other.stdout).tokens[0].failed.message, /AADSTS700213: No matching federated identity record found for presented assertion subject 'system:serviceaccount:payments:worker'/);
  });
});

const pythonReady = spawnSync('/usr/bin/python3', ['-c', 'import azure.identity'], { stdio: 'ignore' }).status === 0;
describe("Python's azure-identity", () => {
  test('ClientSecretCredential(…, authority=…, instance_discovery=False), then a chat completion', { skip: pythonReady || process.env['CI'] === 'true' ? false : 'python3-azure is not installed' }, async () => {
    assert.ok(pythonReady, 'python3-azure is required when CI=true (.ci/run installs it)');
    const sp = await json('ad', 'sp', 'create-for-rbac', '-n', 'py-app', '--role', 'Cognitive Services OpenAI User', '--scopes', group());
    const result = spawnSync('/usr/bin/python3', [PYTHON], {
      env: {
        ...process.env,
        KEYLESS_URL: keyless.info.baseUrl,
        KEYLESS_TENANT: keyless.info.tenantId,
        KEYLESS_CLIENT_ID: sp.appId,
        KEYLESS_SECRET: sp.password,
        KEYLESS_ENDPOINT: endpoint,
        KEYLESS_DEPLOYMENT: 'chat',
        // Only Keyless is contacted, so its CA alone is the trust store.
        REQUESTS_CA_BUNDLE: keyless.info.caPath,
      },
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
    const out = JSON.parse(result.stdout);
    assert.equal(out.error, undefined, out.error);
    assert.equal(out.claims.appid, sp.appId);
    assert.equal(out.chat.status, 200);
  });
});
