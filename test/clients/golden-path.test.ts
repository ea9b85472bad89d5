import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, runCli, runScenario, startKeyless, type CliResult, type KeylessProcess } from '../fixtures/server.js';
// Set-up commands run on the test's CLI thread; `keyless run` (which starts the app under test) stays a real process.
import { cliJson, runCli as runCliOnThread } from '../fixtures/cli-thread.js';
import { request } from '../fixtures/http.js';

/**
 * The golden path, with the real client libraries: code started through
 * `keyless run` gets tokens from its host's identity endpoint and calls an
 * Azure OpenAI deployment with the openai package; RBAC decides; keys behave
 * as Azure's do. Every scenario process refuses non-loopback connections and
 * reports any attempt.
 */
const SCENARIO = path.join(ROOT, 'dist/test/clients/scenarios/openai-call.js');
const PYTHON_SCENARIO = path.join(ROOT, 'test/clients/scenarios/python_mi.py');
const CHAT_ACTION = 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action';
const KEY_401 = {
  code: '401',
  message:
    'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
};

let keyless: KeylessProcess;
let endpoint: string;
let sub: string;
const cli = (...args: string[]): Promise<CliResult> => runCliOnThread(keyless.dataDir, args);
const json = cliJson(() => keyless.dataDir);

/** Runs the scenario inside a host with `keyless run`; `inner` are VAR=value settings made inside the host (app settings). */
async function inHost(host: string, vars: Record<string, string>, inner: Record<string, string> = {}): Promise<any> {
  const run = await runCli(keyless.dataDir, ['run', '--as', host, '-g', 'gp', '--', 'env', ...Object.entries(inner).map(([k, v]) => `${k}=${v}`), process.execPath, SCENARIO], {
    KEYLESS_ENDPOINT: endpoint,
    KEYLESS_DEPLOYMENT: 'chat',
    KEYLESS_EMBEDDINGS_DEPLOYMENT: 'embed',
    ...vars,
  });
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout);
  assert.deepEqual(result.nonLoopback, [], 'no request may leave loopback');
  return result;
}

/** Runs the scenario outside any host, with hand-set variables (what a leaked id would let an attacker try). */
async function outside(vars: Record<string, string>): Promise<any> {
  const run = await runScenario(SCENARIO, {
    NODE_EXTRA_CA_CERTS: keyless.info.caPath,
    KEYLESS_ENDPOINT: endpoint,
    KEYLESS_DEPLOYMENT: 'chat',
    IDENTITY_ENDPOINT: '',
    IDENTITY_HEADER: '',
    AZURE_POD_IDENTITY_AUTHORITY_HOST: '',
    ...vars,
  });
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout);
  assert.deepEqual(result.nonLoopback, [], 'no request may leave loopback');
  return result;
}

const permissionDenied = (principalId: string) => ({
  status: 401,
  error: {
    code: 'PermissionDenied',
    message: `The principal \`${principalId}\` lacks the required data action \`${CHAT_ACTION}\` to perform \`POST /openai/deployments/{deployment-id}/chat/completions\` operation.`,
  },
});

before(async () => {
  keyless = await startKeyless();
  sub = `/subscriptions/${keyless.info.subscriptionId}`;
  await json('group', 'create', '-n', 'gp');
  const account = await json('openai', 'create', '-g', 'gp', '-n', 'gp-openai');
  endpoint = account.properties.endpoint;
  await json('openai', 'deployment', 'create', '-g', 'gp', '-n', 'gp-openai', '--deployment-name', 'chat', '--model-name', 'gpt-4o-mini');
  await json('openai', 'deployment', 'create', '-g', 'gp', '-n', 'gp-openai', '--deployment-name', 'embed', '--model-name', 'text-embedding-3-small');
});
after(async () => {
  await keyless.stop();
});

describe('managed identities with the real client libraries', () => {
  test('a web app with a system-assigned identity and OpenAI User: chat, streaming and embeddings (base64 by default)', async () => {
    const app = await json('webapp', 'create', '-g', 'gp', '-n', 'sys-app', '--assign-identity', 'system');
    const principalId = app.identity.principalId as string;
    await json('role', 'assignment', 'create', '--assignee', principalId, '--role', 'Cognitive Services OpenAI User', '--scope', `${sub}/resourceGroups/gp/providers/Microsoft.CognitiveServices/accounts/gp-openai`);
    const result = await inHost('sys-app', { KEYLESS_CREDENTIAL: 'default', KEYLESS_STEPS: 'token,chat,stream,embeddings' });
    const claims = result.token.claims;
    assert.equal(claims.oid, principalId);
    assert.equal(claims.aud, 'https://cognitiveservices.azure.com');
    assert.equal(claims.xms_mirid, app.id);
    assert.equal(claims.appidacr, '2');
    assert.equal(claims.ver, '1.0');
    assert.equal(claims.idtyp, 'app');
    assert.equal(claims.iss, `${keyless.info.baseUrl}/${keyless.info.tenantId}/`);
    assert.ok(claims.exp - claims.iat >= 86_000, 'managed identity tokens live about 24 h');
    assert.equal(typeof result.chat.content, 'string');
    assert.ok(result.chat.content.length > 0);
    assert.ok(result.chat.usage.prompt_tokens > 0 && result.chat.usage.completion_tokens > 0);
    assert.equal(result.stream.content, result.chat.content, 'the simulator is deterministic; streamed deltas add up to the same text');
    assert.ok(result.stream.chunks > 2);
    assert.equal(result.embeddings.count, 2);
    assert.equal(result.embeddings.dimensions, 1536);
    assert.ok(Math.abs(result.embeddings.norm - 1) < 1e-3);
  });

  test('a user-assigned identity chosen by clientId: PermissionDenied without a role, success once granted at the group', async () => {
    const identity = await json('identity', 'create', '-g', 'gp', '-n', 'shared-id');
    const { clientId, principalId } = identity.properties;
    await json('webapp', 'create', '-g', 'gp', '-n', 'uai-app', '--assign-identity', identity.id);
    const denied = await inHost('uai-app', { KEYLESS_CREDENTIAL: 'managed', KEYLESS_MI_CLIENT_ID: clientId });
    assert.deepEqual({ status: denied.chat.failed.status, error: denied.chat.failed.error }, permissionDenied(principalId));

    await json('role', 'assignment', 'create', '--assignee', principalId, '--role', 'Cognitive Services OpenAI User', '--scope', `${sub}/resourceGroups/gp`);
    const allowed = await inHost('uai-app', { KEYLESS_CREDENTIAL: 'managed', KEYLESS_MI_CLIENT_ID: clientId });
    assert.equal(typeof allowed.chat.content, 'string');
    // The same through DefaultAzureCredential with AZURE_CLIENT_ID set as an app setting.
    const viaDefault = await inHost('uai-app', { KEYLESS_CREDENTIAL: 'default', KEYLESS_STEPS: 'token,chat' }, { AZURE_CLIENT_ID: clientId });
    assert.equal(viaDefault.token.claims.oid, principalId);
    assert.equal(viaDefault.token.claims.xms_mirid, identity.id);
    assert.equal(typeof viaDefault.chat.content, 'string');
  });

  test('an App Service app with only user-assigned identities must name one', async () => {
    const result = await inHost('uai-app', { KEYLESS_CREDENTIAL: 'managed', KEYLESS_STEPS: 'token' });
    assert.match(result.token.failed.message, /Unable to load the proper Managed Identity\./);
  });

  test('a host with no identity, and a leaked client id outside the host, get no token', async () => {
    await json('webapp', 'create', '-g', 'gp', '-n', 'no-id-app');
    const none = await inHost('no-id-app', { KEYLESS_CREDENTIAL: 'managed', KEYLESS_STEPS: 'token' });
    assert.match(none.token.failed.message, /Unable to load the proper Managed Identity\./);

    const { clientId } = (await json('identity', 'show', '-g', 'gp', '-n', 'shared-id')).properties;
    const wrongHeader = await outside({
      KEYLESS_CREDENTIAL: 'managed',
      KEYLESS_MI_CLIENT_ID: clientId,
      KEYLESS_STEPS: 'token',
      IDENTITY_ENDPOINT: `${keyless.info.identityUrl}/msi/token`,
      IDENTITY_HEADER: '0123456789abcdef0123456789abcdef',
    });
    assert.equal(wrongHeader.token.failed.name, 'CredentialUnavailableError');
    const bareImds = await outside({
      KEYLESS_CREDENTIAL: 'managed',
      KEYLESS_MI_CLIENT_ID: clientId,
      KEYLESS_STEPS: 'token',
      AZURE_POD_IDENTITY_AUTHORITY_HOST: keyless.info.identityUrl,
    });
    assert.equal(bareImds.token.failed.name, 'CredentialUnavailableError');

    const query = `?api-version=2019-08-01&resource=https://cognitiveservices.azure.com&client_id=${clientId}`;
    const noHeader = await fetch(`${keyless.info.identityUrl}/msi/token${query}`);
    assert.equal(noHeader.status, 400);
    const body = (await noHeader.json()) as Record<string, unknown>;
    assert.equal(body['statusCode'], 400);
    assert.equal(body['access_token'], undefined);
  });

  test('a VM through the IMDS endpoint, with an unmodified DefaultAzureCredential', async () => {
    const vm = await json('vm', 'create', '-g', 'gp', '-n', 'gp-vm', '--assign-identity', 'system');
    await json('role', 'assignment', 'create', '--assignee', vm.identity.principalId, '--role', 'Cognitive Services OpenAI User', '--scope', `${sub}/resourceGroups/gp`);
    const result = await inHost('gp-vm', { KEYLESS_CREDENTIAL: 'default', KEYLESS_STEPS: 'token,chat' });
    assert.equal(result.token.claims.oid, vm.identity.principalId);
    assert.equal(result.token.claims.xms_mirid, vm.id);
    assert.equal(typeof result.chat.content, 'string');
  });

  test('a deleted web app: its old secret is refused; its user-assigned identity still works from another app', async () => {
    const identity = await json('identity', 'show', '-g', 'gp', '-n', 'shared-id');
    await json('webapp', 'create', '-g', 'gp', '-n', 'doomed-app', '--assign-identity', identity.id);
    const env = await cli('env', '--as', 'doomed-app', '-g', 'gp');
    const vars = Object.fromEntries(
      env.stdout.split('\n').filter((l) => l.startsWith('export ')).map((l) => l.slice(7).split(/=(.*)/s).slice(0, 2) as [string, string]),
    );
    assert.match(vars['IDENTITY_HEADER'] ?? '', /^[0-9a-f]{32}$/);
    const before = await outside({ ...vars, KEYLESS_CREDENTIAL: 'managed', KEYLESS_MI_CLIENT_ID: identity.properties.clientId, KEYLESS_STEPS: 'token' });
    assert.equal(before.token.claims.oid, identity.properties.principalId);
    assert.equal((await cli('webapp', 'delete', '-g', 'gp', '-n', 'doomed-app')).code, 0);
    const afterDelete = await outside({ ...vars, KEYLESS_CREDENTIAL: 'managed', KEYLESS_MI_CLIENT_ID: identity.properties.clientId, KEYLESS_STEPS: 'token' });
    assert.equal(afterDelete.token.failed.name, 'CredentialUnavailableError');
    const fromOther = await inHost('uai-app', { KEYLESS_CREDENTIAL: 'managed', KEYLESS_MI_CLIENT_ID: identity.properties.clientId });
    assert.equal(typeof fromOther.chat.content, 'string');
  });

  test('rotating a web app secret refuses the old one at once', async () => {
    const env = async () => (await cli('env', '--as', 'sys-app', '-g', 'gp')).stdout.match(/IDENTITY_HEADER=([0-9a-f]+)/)?.[1];
    const old = await env();
    assert.equal((await cli('webapp', 'identity', 'rotate-secret', '-g', 'gp', '-n', 'sys-app')).code, 0);
    const fresh = await env();
    assert.ok(old && fresh && old !== fresh);
    const url = `${keyless.info.identityUrl}/msi/token?api-version=2019-08-01&resource=https://cognitiveservices.azure.com`;
    assert.equal((await fetch(url, { headers: { 'x-identity-header': old } })).status, 400);
    assert.equal((await fetch(url, { headers: { 'x-identity-header': fresh } })).status, 200);
  });
});

describe('keys behave as Azure keys', () => {
  test('a key works; a regenerated key is refused at once; disabled local auth is 403 while tokens keep working', async () => {
    const keys = await json('openai', 'keys', 'list', '-g', 'gp', '-n', 'gp-openai');
    const ok = await outside({ KEYLESS_CREDENTIAL: 'key', KEYLESS_API_KEY: keys.key1 });
    assert.equal(typeof ok.chat.content, 'string');

    await json('openai', 'keys', 'regenerate', '-g', 'gp', '-n', 'gp-openai', '--key-name', 'key1');
    const old = await outside({ KEYLESS_CREDENTIAL: 'key', KEYLESS_API_KEY: keys.key1 });
    assert.equal(old.chat.failed.status, 401);
    assert.deepEqual(old.chat.failed.error, KEY_401);
    assert.match(old.chat.failed.requestId, /^[0-9a-f-]{36}$/);
    const key2 = await outside({ KEYLESS_CREDENTIAL: 'key', KEYLESS_API_KEY: keys.key2 });
    assert.equal(typeof key2.chat.content, 'string');

    await json('openai', 'update', '-g', 'gp', '-n', 'gp-openai', '--disable-local-auth', 'true');
    const disabled = await outside({ KEYLESS_CREDENTIAL: 'key', KEYLESS_API_KEY: keys.key2 });
    assert.equal(disabled.chat.failed.status, 403);
    assert.deepEqual(disabled.chat.failed.error, { code: 'AuthenticationTypeDisabled', message: 'Key based authentication is disabled for this resource.' });
    const token = await inHost('sys-app', { KEYLESS_CREDENTIAL: 'default' });
    assert.equal(typeof token.chat.content, 'string');
    await json('openai', 'update', '-g', 'gp', '-n', 'gp-openai', '--disable-local-auth', 'false');
  });

  test('exact answers: missing api-version, unknown deployment, a bad bearer token, no credential', async () => {
    const keys = await json('openai', 'keys', 'list', '-g', 'gp', '-n', 'gp-openai');
    const call = (pathAndQuery: string, headers: Record<string, string>) =>
      request(keyless.info.caPath, 'POST', `${endpoint}${pathAndQuery}`, { headers, body: { messages: [{ role: 'user', content: 'hi' }] } });
    const noVersion = await call('openai/deployments/chat/chat/completions', { 'api-key': keys.key2 });
    assert.equal(noVersion.status, 404);
    assert.deepEqual(noVersion.json(), { error: { code: '404', message: 'Resource not found' } });
    const unknown = await call('openai/deployments/nope/chat/completions?api-version=2024-10-21', { 'api-key': keys.key2 });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json().error.code, 'DeploymentNotFound');
    assert.ok(unknown.headers['x-request-id'] && unknown.headers['apim-request-id']);
    const badToken = await call('openai/deployments/chat/chat/completions?api-version=2024-10-21', { authorization: `Bearer ${keys.key2}` });
    assert.equal(badToken.status, 401);
    assert.deepEqual(badToken.json(), {
      statusCode: 401,
      message: 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.',
    });
    // The same body twice: the same deterministic answer, each with its own id and time.
    const first = (await call('openai/deployments/chat/chat/completions?api-version=2024-10-21', { 'api-key': keys.key2 })).json();
    const second = (await call('openai/deployments/chat/chat/completions?api-version=2024-10-21', { 'api-key': keys.key2 })).json();
    assert.notEqual(first.id, second.id);
    assert.match(first.id, /^chatcmpl-[0-9a-f]{32}$/);
    assert.ok(Math.abs(first.created - Date.now() / 1000) < 60);
    assert.deepEqual({ ...second, id: first.id, created: first.created }, first);
    const nothing = await call('openai/deployments/chat/chat/completions?api-version=2024-10-21', {});
    assert.equal(nothing.status, 401);
    assert.deepEqual(nothing.json(), { error: KEY_401 });
  });

  test('the audit names each decision, never a key', async () => {
    const keys = await json('openai', 'keys', 'list', '-g', 'gp', '-n', 'gp-openai');
    const records = await json('audit', 'list', '--top', '1000');
    const { principalId } = (await json('identity', 'show', '-g', 'gp', '-n', 'shared-id')).properties;
    // The rich reason of a denial is in the audit (never in the response body).
    const denial = records.find((r: any) => r.surface === 'openai' && r.decision === 'denied' && r.principalId === principalId);
    assert.ok(denial, 'the PermissionDenied decision is audited');
    assert.match(denial.reason, /chat\/completions\/action/);
    assert.equal(denial.operation, 'POST /openai/deployments/{deployment-id}/chat/completions');
    assert.ok(records.some((r: any) => r.surface === 'openai' && r.keyName === 'key2' && r.decision === 'allowed'));
    assert.ok(records.some((r: any) => r.surface === 'identity' && r.decision === 'allowed'));
    const text = JSON.stringify(records);
    assert.ok(!text.includes(keys.key1) && !text.includes(keys.key2));
  });
});

const pythonReady = spawnSync('/usr/bin/python3', ['-c', 'import azure.identity'], { stdio: 'ignore' }).status === 0;
const pythonSkip = pythonReady || process.env['CI'] === 'true' ? false : "Debian's python3-azure is not installed (apt-get install python3-azure)";
describe("Python's azure-identity", () => {
  test('ManagedIdentityCredential inside keyless run, then a chat completion with its token', { skip: pythonSkip }, async () => {
    assert.ok(pythonReady, "python3-azure is required when CI=true (.ci/run installs it)");
    const run = await runCli(keyless.dataDir, ['run', '--as', 'sys-app', '-g', 'gp', '--', '/usr/bin/python3', PYTHON_SCENARIO], {
      KEYLESS_ENDPOINT: endpoint,
      KEYLESS_DEPLOYMENT: 'chat',
    });
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.equal(result.error, undefined);
    assert.equal(result.chat.status, 200);
    assert.ok(result.chat.content.length > 0);
  });
});
