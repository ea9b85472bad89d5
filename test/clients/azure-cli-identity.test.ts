import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { KEYLESS_BIN, type CliResult, type KeylessProcess } from '../fixtures/server.js';
import { cliJson } from '../fixtures/cli-thread.js';
import { azReady, azSkip, claims, prepareConfigDir, pythonEnv, refused, run, startAzureCliHarness, signedInAccount } from '../fixtures/azure-cli.js';

/**
 * The real Azure CLI (Debian's azure-cli 2.45) inside a web app under `keyless run --as`: `az login --identity`
 * with App Service's older protocol, a token for the app's own identity, the data plane with its role; outside
 * the host the identity is out of reach. Kept on loopback as test/fixtures/azure-cli.ts says.
 */
let keyless: KeylessProcess;
let work: string;
let origin: string;
let sub: string;
let tenant: string;
const json = cliJson(() => keyless.dataDir);

before(async () => {
  if (!azReady) return;
  ({ keyless, work, origin } = await startAzureCliHarness());
  sub = keyless.info.subscriptionId;
  tenant = keyless.info.tenantId;
});
after(async () => {
  await keyless?.stop();
});


describe('az login --identity inside a web app (keyless run --as)', { skip: azSkip }, () => {
  // A user who only has the web app: az in its own config folder, Keyless registered as its cloud, no secret anywhere.
  let config: string;
  let principalId: string;
  let endpoint: string;

  /**
   * `az …` inside the web app's host: `keyless run` gives it App Service's variables. It drops every AZURE_*
   * variable it inherits, so az's own settings (its config folder, telemetry off) go after `--`, as app settings do.
   */
  async function azInApp(...args: string[]): Promise<CliResult> {
    const env = pythonEnv({ AZURE_CONFIG_DIR: config, KEYLESS_DATA: keyless.dataDir });
    const settings = Object.entries(env).filter(([name]) => name.startsWith('AZURE_')).map(([name, value]) => `${name}=${value}`);
    const result = await run(process.execPath, [KEYLESS_BIN, 'run', '--as', 'mi-app', '-g', 'az-mi', '--', 'env', ...settings, 'az', ...args], env);
    assert.equal(refused(), '', `az ${args.join(' ')} tried to leave loopback`);
    return result;
  }
  async function azInAppJson(...args: string[]): Promise<any> {
    const result = await azInApp(...args, '-o', 'json');
    assert.equal(result.code, 0, `az ${args.join(' ')}: ${result.stderr}`);
    return JSON.parse(result.stdout);
  }

  before(async () => {
    if (!azReady) return;
    await json('group', 'create', '-n', 'az-mi', '-l', 'eastus');
    principalId = (await json('webapp', 'create', '-g', 'az-mi', '-n', 'mi-app', '--assign-identity', 'system')).identity.principalId;
    endpoint = (await json('openai', 'create', '-g', 'az-mi', '-n', 'mi-openai')).properties.endpoint;
    await json('openai', 'deployment', 'create', '-g', 'az-mi', '-n', 'mi-openai', '--deployment-name', 'chat', '--model-name', 'gpt-4o-mini');
    await json('role', 'assignment', 'create', '--assignee', principalId, '--role', 'Reader', '--scope', `/subscriptions/${sub}/resourceGroups/az-mi`);
    await json('role', 'assignment', 'create', '--assignee', principalId, '--role', 'Cognitive Services OpenAI User', '--scope', `/subscriptions/${sub}/resourceGroups/az-mi/providers/Microsoft.CognitiveServices/accounts/mi-openai`);
    config = path.join(work, 'azure-mi');
    prepareConfigDir(config);
    for (const args of [
      ['cloud', 'register', '-n', 'keyless', '--endpoint-resource-manager', `${origin}/`],
      ['cloud', 'update', '-n', 'keyless', '--cloud-config', JSON.stringify({ endpoints: { microsoftGraphResourceId: `${origin}/` } })],
      ['cloud', 'set', '-n', 'keyless'],
    ]) {
      const result = await run('az', args, pythonEnv({ AZURE_CONFIG_DIR: config }));
      assert.equal(result.code, 0, result.stderr);
    }
  });

  test('az login --identity: App Service’s 2017-09-01 protocol (MSI_ENDPOINT, MSI_SECRET), the app’s subscription', async () => {
    const accounts = await azInAppJson('login', '--identity');
    // az names the cloud `environmentName` here, `cloudName` after a service principal's login.
    assert.deepEqual(accounts, [signedInAccount(keyless, 'environmentName', accounts[0].name, { assignedIdentityInfo: 'MSI', name: 'systemAssignedIdentity', type: 'servicePrincipal' })]);
  });

  test('az account get-access-token inside the app: a token for the app’s own identity', async () => {
    const token = await azInAppJson('account', 'get-access-token', '--resource', 'https://cognitiveservices.azure.com');
    const c = claims(token.accessToken);
    assert.equal(c.aud, 'https://cognitiveservices.azure.com');
    assert.equal(c.oid, principalId);
    assert.equal(c.tid, tenant);
    assert.match(c.xms_mirid, /\/providers\/Microsoft\.Web\/sites\/mi-app$/);
  });

  test('az rest to the data plane inside the app: allowed by its role; outside the app there is no identity', async () => {
    const url = `${endpoint}openai/deployments/chat/chat/completions?api-version=2024-10-21`;
    const body = JSON.stringify({ messages: [{ role: 'user', content: 'Hello from a web app' }] });
    const answer = await azInAppJson('rest', '--method', 'post', '--url', url, '--resource', 'https://cognitiveservices.azure.com', '--body', body);
    assert.equal(answer.object, 'chat.completion');
    // The same config folder outside the host: the identity endpoint is not there, so az cannot get a token.
    const outside = await run('az', ['account', 'get-access-token', '--resource', 'https://cognitiveservices.azure.com', '-o', 'json'], pythonEnv({ AZURE_CONFIG_DIR: config }));
    assert.equal(refused().split('\n').filter((l) => l !== '' && !l.includes('169.254.169.254')).join('\n'), '', 'only IMDS may be tried outside a host');
    assert.notEqual(outside.code, 0);
  });
});
