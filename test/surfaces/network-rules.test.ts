import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Agent, fetch as undiciFetch } from 'undici';
import { AzureOpenAI, PermissionDeniedError } from 'openai';
import { cliJson, runCli, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { adminToken, request, sendHttps, type HttpResult } from '../fixtures/http.js';

/**
 * An account's network rules (publicNetworkAccess, networkAcls) as ARM
 * stores, validates and renders them, and as the data plane enforces them:
 * on the caller's address, the TCP peer's, before any credential is judged,
 * with Azure's 403 bodies byte for byte. Keyless listens on 127.0.0.1; the
 * clients here connect from 127.0.0.1, 127.0.0.2 and 127.0.0.9 (Linux routes
 * all of 127.0.0.0/8 to the loopback interface), so one machine has an
 * allowed and a refused caller.
 */
let keyless: InProcessKeyless;
let endpoint: string;
let key: string;
let accountUrl: string;
let token: string;
const json = cliJson(() => keyless.dataDir);
const ARM_API = '?api-version=2024-10-01';

/** Azure's bodies, as Azure's gateway writes them (a space after "message":, Content-Length 90 for the first). */
const FIREWALL_403 = '{"error":{"code":"403","message": "Access denied due to Virtual Network/Firewall rules."}}';
const PUBLIC_DISABLED_403 = '{"error":{"code":"403","message": "Public access is disabled. Please configure private endpoint."}}';
const KEY_401 = {
  error: {
    code: '401',
    message:
      'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
  },
};

/** A chat completion sent from `localAddress`, on a connection of its own. */
const chatFrom = (localAddress: string, headers: Record<string, string> = { 'api-key': key }): Promise<HttpResult> =>
  sendHttps(
    `${endpoint}openai/deployments/chat/chat/completions?api-version=2024-10-21`,
    { method: 'POST', ca: fs.readFileSync(keyless.info.caPath), localAddress, agent: false },
    { headers, body: { messages: [{ role: 'user', content: 'hi' }] } },
  );

async function arm(method: string, url: string, body?: object): Promise<HttpResult> {
  const admin = await adminToken(keyless.info.caPath, keyless.info.baseUrl, keyless.admin());
  return request(keyless.info.caPath, method, url, { headers: { authorization: `Bearer ${admin}` }, ...(body === undefined ? {} : { body }) });
}

/** PATCHes the account's properties; the write returns once every instance applies it. */
async function setRules(properties: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await arm('PATCH', `${accountUrl}${ARM_API}`, { properties });
  assert.equal(res.status, 200, res.text);
  return res.json().properties;
}

async function auditOf(res: HttpResult): Promise<Record<string, unknown>> {
  const list = await arm('GET', `${keyless.info.baseUrl}/subscriptions/${keyless.info.subscriptionId}/providers/Keyless/auditRecords?api-version=2026-01-01&top=100`);
  const record = (list.json().value as Record<string, unknown>[]).find((r) => r['requestId'] === res.headers['x-request-id']);
  assert.ok(record, 'audited');
  return record;
}

function assertFirewall(res: HttpResult, body = FIREWALL_403): void {
  assert.equal(res.status, 403, res.text);
  assert.equal(res.text, body);
  assert.equal(res.headers['policy-id'], 'ThrowExceptionDueToTrafficDenied');
  assert.equal(res.headers['content-length'], String(Buffer.byteLength(body)));
}

before(async () => {
  keyless = await startInProcess();
  await json('group', 'create', '-n', 'net');
  const account = await json('openai', 'create', '-g', 'net', '-n', 'net-openai');
  endpoint = account.properties.endpoint;
  accountUrl = `${keyless.info.baseUrl}${account.id}`;
  await json('openai', 'deployment', 'create', '-g', 'net', '-n', 'net-openai', '--deployment-name', 'chat', '--model-name', 'gpt-4o-mini');
  key = (await json('openai', 'keys', 'list', '-g', 'net', '-n', 'net-openai')).key1;
  const app = await json('ad', 'sp', 'create-for-rbac', '-n', 'net-user', '--role', 'Cognitive Services OpenAI User', '--scopes', account.id);
  token = await adminToken(keyless.info.caPath, keyless.info.baseUrl, { tenantId: keyless.info.tenantId, clientId: app.appId, clientSecret: app.password }, 'https://cognitiveservices.azure.com');
});
after(async () => {
  await keyless.stop();
});

describe('the data plane', () => {
  test('an account without rules: every address may call, and ARM shows no networkAcls, publicNetworkAccess Enabled', async () => {
    const properties = (await arm('GET', `${accountUrl}${ARM_API}`)).json().properties;
    assert.equal(properties.publicNetworkAccess, 'Enabled');
    assert.equal('networkAcls' in properties, false);
    for (const from of ['127.0.0.1', '127.0.0.2']) assert.equal((await chatFrom(from)).status, 200, from);
  });

  test('an ipRule for one address: that address calls, another gets the firewall 403 and a denied audit record naming it', async () => {
    const properties = await setRules({ networkAcls: { defaultAction: 'Deny', ipRules: [{ value: '127.0.0.1' }] } });
    assert.deepEqual(properties.networkAcls, { defaultAction: 'Deny', virtualNetworkRules: [], ipRules: [{ value: '127.0.0.1' }] });
    assert.equal(properties.publicNetworkAccess, 'Enabled');
    assert.equal((await chatFrom('127.0.0.1')).status, 200);
    const refused = await chatFrom('127.0.0.2');
    assertFirewall(refused);
    assert.equal(Buffer.byteLength(FIREWALL_403), 90, "Azure's Content-Length");
    const record = await auditOf(refused);
    assert.equal(record['decision'], 'denied');
    assert.equal(record['reason'], 'network rules: 127.0.0.2 matches no ipRule (127.0.0.1) and networkAcls.defaultAction is Deny');
    assert.deepEqual([record['principalId'], record['keyName'], record['operation']], [null, null, 'POST /openai/deployments/{deployment-id}/chat/completions']);
    // The explanation is the reason; the fix is the rule that would let the address in (issue 11).
    assert.equal(record['explanation'], record['reason']);
    assert.equal(record['fix'], 'keyless openai network-rule add -g net -n net-openai --ip-address 127.0.0.2');
  });

  test('a CIDR range: an address inside it calls, one outside is refused', async () => {
    await setRules({ networkAcls: { defaultAction: 'Deny', ipRules: [{ value: '127.0.0.8/29' }] } });
    assert.equal((await chatFrom('127.0.0.9')).status, 200);
    assertFirewall(await chatFrom('127.0.0.2'));
    assertFirewall(await chatFrom('127.0.0.1'));
  });

  test('defaultAction Deny and no rules: every address is refused; defaultAction Allow: the rules change nothing', async () => {
    await setRules({ networkAcls: { defaultAction: 'Deny' } });
    for (const from of ['127.0.0.1', '127.0.0.2']) assertFirewall(await chatFrom(from));
    await setRules({ networkAcls: { defaultAction: 'Allow', ipRules: [{ value: '127.0.0.1' }] } });
    for (const from of ['127.0.0.1', '127.0.0.2']) assert.equal((await chatFrom(from)).status, 200, from);
  });

  test('publicNetworkAccess Disabled: "Public access is disabled" for every address, one in ipRules included', async () => {
    const properties = await setRules({ publicNetworkAccess: 'Disabled', networkAcls: { defaultAction: 'Deny', ipRules: [{ value: '127.0.0.1' }] } });
    assert.equal(properties.publicNetworkAccess, 'Disabled');
    for (const from of ['127.0.0.1', '127.0.0.2']) {
      const res = await chatFrom(from);
      assertFirewall(res, PUBLIC_DISABLED_403);
      const record = await auditOf(res);
      assert.equal(record['reason'], `network rules: publicNetworkAccess is Disabled, so no public address may call (Keyless has no private endpoints); refused ${from}`);
      assert.equal(record['fix'], 'keyless openai update -g net -n net-openai --public-network-access Enabled');
    }
    // Enabled again: the ipRule decides once more.
    await setRules({ publicNetworkAccess: 'Enabled' });
    assert.equal((await chatFrom('127.0.0.1')).status, 200);
    assertFirewall(await chatFrom('127.0.0.2'));
  });

  test('the address is judged before any credential: no credential, a wrong key or a valid token from a refused address all get the 403', async () => {
    await setRules({ publicNetworkAccess: 'Enabled', networkAcls: { defaultAction: 'Deny', ipRules: [{ value: '127.0.0.1' }] } });
    assertFirewall(await chatFrom('127.0.0.2', {}));
    assertFirewall(await chatFrom('127.0.0.2', { 'api-key': '0'.repeat(64) }));
    assertFirewall(await chatFrom('127.0.0.2', { authorization: `Bearer ${token}` }));
    // From the allowed address the credential is judged as ever.
    const none = await chatFrom('127.0.0.1', {});
    assert.equal(none.status, 401);
    assert.deepEqual(none.json(), KEY_401);
    assert.equal((await chatFrom('127.0.0.1', { authorization: `Bearer ${token}` })).status, 200);
  });

  test('X-Forwarded-For is not read: the TCP peer is the caller', async () => {
    await setRules({ networkAcls: { defaultAction: 'Deny', ipRules: [{ value: '127.0.0.1' }] } });
    assertFirewall(await chatFrom('127.0.0.2', { 'api-key': key, 'x-forwarded-for': '127.0.0.1', forwarded: 'for=127.0.0.1' }));
    assert.equal((await chatFrom('127.0.0.1', { 'api-key': key, 'x-forwarded-for': '127.0.0.2' })).status, 200);
  });

  test('every data-plane path is behind the rules: the catalog, the v1 API and an unknown api-version', async () => {
    await setRules({ networkAcls: { defaultAction: 'Deny', ipRules: [{ value: '127.0.0.1' }] } });
    const ca = fs.readFileSync(keyless.info.caPath);
    const from = (localAddress: string, method: string, path: string, body?: object) =>
      sendHttps(`${endpoint}${path}`, { method, ca, localAddress, agent: false }, { headers: { 'api-key': key }, ...(body === undefined ? {} : { body }) });
    assertFirewall(await from('127.0.0.2', 'GET', 'openai/models?api-version=2024-10-21'));
    assertFirewall(await from('127.0.0.2', 'POST', 'openai/v1/chat/completions', { model: 'chat', messages: [{ role: 'user', content: 'hi' }] }));
    assertFirewall(await from('127.0.0.2', 'POST', 'openai/deployments/chat/chat/completions?api-version=1999-01-01', {}));
    assert.equal((await from('127.0.0.1', 'GET', 'openai/models?api-version=2024-10-21')).status, 200);
  });

  test('the openai package: PermissionDeniedError with the 403 body from a refused address; an answer from an allowed one', async () => {
    await setRules({ networkAcls: { defaultAction: 'Deny', ipRules: [{ value: '127.0.0.1' }] } });
    const ca = fs.readFileSync(keyless.info.caPath);
    const client = (localAddress: string) => {
      const agent = new Agent({ localAddress, connect: { ca } });
      const fetch = ((url: string, init: object) => undiciFetch(url, { ...init, dispatcher: agent })) as unknown as typeof globalThis.fetch;
      return { agent, openai: new AzureOpenAI({ endpoint, apiKey: key, apiVersion: '2024-10-21', maxRetries: 0, fetch }) };
    };
    const refused = client('127.0.0.2');
    const allowed = client('127.0.0.1');
    try {
      const error = await refused.openai.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }).then(
        () => assert.fail('the call succeeded'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof PermissionDeniedError, String(error));
      assert.equal(error.status, 403);
      assert.deepEqual(error.error, { code: '403', message: 'Access denied due to Virtual Network/Firewall rules.' });
      const answer = await allowed.openai.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] });
      assert.equal(answer.object, 'chat.completion');
    } finally {
      await Promise.all([refused.agent.close(), allowed.agent.close()]);
    }
  });
});

describe('ARM: validation and rendering', () => {
  const refused = async (properties: Record<string, unknown>, code: string, message: string) => {
    const res = await arm('PATCH', `${accountUrl}${ARM_API}`, { properties });
    assert.equal(res.status, 400, res.text);
    assert.deepEqual(res.json(), { error: { code, message } });
  };

  test('ipRules: an address that is not IPv4, a bad CIDR, and /31 and /32 (which Azure refuses) get BadRequest with Azure\'s message', async () => {
    for (const value of ['not-an-ip', '256.1.1.1', '1.2.3', '01.2.3.4', '1.2.3.4/33', '1.2.3.4/', '::1', '1.2.3.4/32', '10.0.0.0/31']) {
      await refused({ networkAcls: { defaultAction: 'Deny', ipRules: [{ value }] } }, 'BadRequest', `Invalid IP address or range ${value}.`);
    }
  });

  test('other malformed rules: enum values, shapes, virtual network rules, more than 100 ipRules', async () => {
    await refused({ publicNetworkAccess: 'Off' }, 'InvalidRequestContent', "The value 'Off' of 'properties.publicNetworkAccess' is not valid. Allowed values: Enabled, Disabled.");
    await refused({ networkAcls: { defaultAction: 'Block' } }, 'InvalidRequestContent', "The value 'Block' of 'properties.networkAcls.defaultAction' is not valid. Allowed values: Allow, Deny.");
    await refused({ networkAcls: { defaultAction: 'Deny', bypass: 'Everyone' } }, 'InvalidRequestContent', "The value 'Everyone' of 'properties.networkAcls.bypass' is not valid. Allowed values: None, AzureServices.");
    await refused({ networkAcls: 'Deny' }, 'InvalidRequestContent', "The 'properties.networkAcls' property must be an object.");
    await refused({ networkAcls: { ipRules: ['1.2.3.4'] } }, 'InvalidRequestContent', "Each entry of 'properties.networkAcls.ipRules' must be an object with a string 'value' (an IPv4 address or CIDR range).");
    await refused(
      { networkAcls: { defaultAction: 'Deny', virtualNetworkRules: [{ id: '/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/s' }] } },
      'InvalidRequestContent',
      "Keyless has no virtual networks: 'properties.networkAcls.virtualNetworkRules' must be empty. Allow addresses with 'ipRules' instead.",
    );
    const many = Array.from({ length: 101 }, (_, i) => ({ value: `20.0.${i}.1` }));
    await refused({ networkAcls: { defaultAction: 'Deny', ipRules: many } }, 'BadRequest', 'An account supports up to 100 IP network rules; 101 were given.');
  });

  test('accepted values are stored in Azure\'s spelling; bypass is kept; a PATCH without them keeps them; a PUT without them drops them', async () => {
    const properties = await setRules({
      publicNetworkAccess: 'enabled',
      networkAcls: { defaultAction: 'deny', bypass: 'azureservices', ipRules: [{ value: '20.1.2.0/24' }, { value: '127.0.0.1' }], virtualNetworkRules: [] },
    });
    assert.equal(properties.publicNetworkAccess, 'Enabled');
    assert.deepEqual(properties.networkAcls, {
      defaultAction: 'Deny',
      bypass: 'AzureServices',
      virtualNetworkRules: [],
      ipRules: [{ value: '20.1.2.0/24' }, { value: '127.0.0.1' }],
    });
    const kept = await setRules({ disableLocalAuth: false });
    assert.deepEqual(kept.networkAcls, properties.networkAcls);
    const put = await arm('PUT', `${accountUrl}${ARM_API}`, { location: 'eastus', kind: 'OpenAI', sku: { name: 'S0' }, properties: {} });
    assert.equal(put.status, 200, put.text);
    assert.equal('networkAcls' in put.json().properties, false);
    assert.equal(put.json().properties.publicNetworkAccess, 'Enabled');
    assert.equal((await chatFrom('127.0.0.2')).status, 200);
  });
});

describe('the CLI', () => {
  test('openai update --public-network-access, --default-action and --ip-rules; each alone keeps the others', async () => {
    const shown = await json('openai', 'update', '-g', 'net', '-n', 'net-openai', '--default-action', 'deny', '--ip-rules', '127.0.0.1', '127.0.0.8/29');
    assert.deepEqual(shown.properties.networkAcls, { defaultAction: 'Deny', virtualNetworkRules: [], ipRules: [{ value: '127.0.0.1' }, { value: '127.0.0.8/29' }] });
    assert.equal((await chatFrom('127.0.0.9')).status, 200);
    assertFirewall(await chatFrom('127.0.0.2'));

    const rules = await json('openai', 'update', '-g', 'net', '-n', 'net-openai', '--ip-rules', '127.0.0.2');
    assert.deepEqual(rules.properties.networkAcls, { defaultAction: 'Deny', virtualNetworkRules: [], ipRules: [{ value: '127.0.0.2' }] });
    assert.equal((await chatFrom('127.0.0.2')).status, 200);
    assertFirewall(await chatFrom('127.0.0.1'));

    const disabled = await json('openai', 'update', '-g', 'net', '-n', 'net-openai', '--public-network-access', 'Disabled');
    assert.equal(disabled.properties.publicNetworkAccess, 'Disabled');
    assert.deepEqual(disabled.properties.networkAcls.ipRules, [{ value: '127.0.0.2' }]);
    assertFirewall(await chatFrom('127.0.0.2'), PUBLIC_DISABLED_403);

    const open = await json('openai', 'update', '-g', 'net', '-n', 'net-openai', '--public-network-access', 'Enabled', '--default-action', 'Allow', '--ip-rules', '');
    assert.deepEqual(open.properties.networkAcls, { defaultAction: 'Allow', virtualNetworkRules: [], ipRules: [] });
    assert.equal((await chatFrom('127.0.0.1')).status, 200);
  });

  test("ARM's refusal of a bad rule, and a flag value the CLI refuses itself", async () => {
    const bad = await runCli(keyless.dataDir, ['openai', 'update', '-g', 'net', '-n', 'net-openai', '--ip-rules', '127.0.0.1/32']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'ERROR: (BadRequest) Invalid IP address or range 127.0.0.1/32.\n');
    const usage = await runCli(keyless.dataDir, ['openai', 'update', '-g', 'net', '-n', 'net-openai', '--default-action', 'Block']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /allowed values are Allow and Deny, got 'Block'/);
  });

  test('openai network-rule add, list and remove, as az cognitiveservices account network-rule', async () => {
    await json('group', 'create', '-n', 'net-rules');
    await json('openai', 'create', '-g', 'net-rules', '-n', 'net-rules-openai');
    assert.deepEqual(await json('openai', 'network-rule', 'list', '-g', 'net-rules', '-n', 'net-rules-openai'), { defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] });
    // As az: the first rule on an account without rules also sets the default action to Deny.
    const added = await json('openai', 'network-rule', 'add', '-g', 'net-rules', '-n', 'net-rules-openai', '--ip-address', '127.0.0.1');
    assert.deepEqual(added.properties.networkAcls, { defaultAction: 'Deny', virtualNetworkRules: [], ipRules: [{ value: '127.0.0.1' }] });
    await json('openai', 'network-rule', 'add', '-g', 'net-rules', '-n', 'net-rules-openai', '--ip-address', '20.0.0.0/24');
    assert.deepEqual(await json('openai', 'network-rule', 'list', '-g', 'net-rules', '-n', 'net-rules-openai'), {
      defaultAction: 'Deny',
      virtualNetworkRules: [],
      ipRules: [{ value: '127.0.0.1' }, { value: '20.0.0.0/24' }],
    });
    const table = await runCli(keyless.dataDir, ['openai', 'network-rule', 'list', '-g', 'net-rules', '-n', 'net-rules-openai', '-o', 'table']);
    assert.match(table.stdout, /IpAddressOrRange\n-+\n127\.0\.0\.1\n20\.0\.0\.0\/24\n/);
    const removed = await json('openai', 'network-rule', 'remove', '-g', 'net-rules', '-n', 'net-rules-openai', '--ip-address', '127.0.0.1');
    assert.deepEqual(removed.properties.networkAcls, { defaultAction: 'Deny', virtualNetworkRules: [], ipRules: [{ value: '20.0.0.0/24' }] });
  });
});
