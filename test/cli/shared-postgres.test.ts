import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { describePostgres } from '../fixtures/core.js';
import { startCluster, type Cluster } from '../fixtures/cluster.js';
import { readAdminCredential, type KeylessProcess } from '../fixtures/server.js';
import { adminToken, request } from '../fixtures/http.js';
import { REDIS_UP, REDIS_URL } from '../fixtures/redis.js';

/** Two `keyless up` processes, each with its own data folder, sharing one PostgreSQL database and one KEK. */
describePostgres('two instances on one PostgreSQL', () => {
  let cluster: Cluster;
  let first: KeylessProcess;
  let second: KeylessProcess;
  let third: KeylessProcess | undefined;

  before(async () => {
    cluster = await startCluster(1);
    first = cluster.instances[0] as KeylessProcess;
    // The second counts quotas in Redis when it runs here (CI requires it: test/contract/quota-limiter.test.ts).
    second = await cluster.add(REDIS_UP ? ['--redis', REDIS_URL] : []);
    if (REDIS_UP) third = await cluster.add(['--redis', REDIS_URL]);
  });
  after(async () => cluster?.stop());

  test('both serve the same tenant, subscription and JWKS', async () => {
    assert.equal(second.info.tenantId, first.info.tenantId);
    assert.equal(second.info.subscriptionId, first.info.subscriptionId);
    const jwks = async (k: KeylessProcess) =>
      (await request(k.info.caPath, 'GET', `${k.info.baseUrl}/${k.info.tenantId}/discovery/v2.0/keys`)).json();
    const a = await jwks(first);
    assert.equal(a.keys.length, 2);
    assert.deepEqual(await jwks(second), a);
  });

  test('a write through one is served by the other', async () => {
    const token = await adminToken(first.info.caPath, first.info.baseUrl, readAdminCredential(first.dataDir), 'https://management.azure.com');
    const sub = `/subscriptions/${first.info.subscriptionId}`;
    const put = await request(first.info.caPath, 'PUT', `${first.info.baseUrl}${sub}/resourcegroups/shared?api-version=2021-04-01`, {
      headers: { authorization: `Bearer ${token}` },
      body: { location: 'eastus' },
    });
    assert.equal(put.status, 201);
    // A write returns once every live instance has applied it: the other serves it on the first request.
    const get = await request(second.info.caPath, 'GET', `${second.info.baseUrl}${sub}/resourcegroups/shared?api-version=2021-04-01`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(get.status, 200);
  });

  test("a token names its instance's port as issuer: the other instances accept it because the membership names that instance a peer", async () => {
    // Peers are fed at runtime (KeylessNames.setPeerOrigins) from the instances table; any other port is refused (test/unit/names.test.ts).
    for (const host of ['localhost', '127.0.0.1']) {
      const base = first.info.baseUrl.replace('localhost', host);
      const token = await adminToken(first.info.caPath, base, readAdminCredential(first.dataDir), 'https://management.azure.com');
      assert.match(JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).iss, new RegExp(`^https://${host.replace(/\./g, '\\.')}:${first.info.port}/`));
      const get = await request(second.info.caPath, 'GET', `${second.info.baseUrl}/subscriptions/${first.info.subscriptionId}/resourcegroups?api-version=2021-04-01`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(get.status, 200, get.text);
    }
  });

  test('an instance on PostgreSQL without --redis warns that it counts quotas alone; one with --redis does not', () => {
    const warning = 'warning: quotas are counted by each instance alone; to share them between the instances on this database, give each one --redis redis://….\n';
    assert.ok(first.output().includes(warning), first.output());
    if (REDIS_UP) assert.ok(!second.output().includes('warning: quotas'), second.output());
  });

  test('each data folder gets its own admin secret for its CLI', () => {
    const a = readAdminCredential(first.dataDir);
    const b = readAdminCredential(second.dataDir);
    assert.equal(a.clientId, b.clientId);
    assert.notEqual(a.clientSecret, b.clientSecret);
  });

  test('instances with --redis share a deployment quota: what one admitted, the other counts', { skip: !REDIS_UP && 'Redis is not running (CI requires it: test/contract/quota-limiter.test.ts)' }, async () => {
    const other = third as KeylessProcess;
    const token = await adminToken(first.info.caPath, first.info.baseUrl, readAdminCredential(first.dataDir), 'https://management.azure.com');
    const arm = (method: string, path: string, body?: object) =>
      request(first.info.caPath, method, `${first.info.baseUrl}/subscriptions/${first.info.subscriptionId}/resourcegroups/quota${path}`, {
        headers: { authorization: `Bearer ${token}` },
        ...(body === undefined ? {} : { body }),
      });
    assert.equal((await arm('PUT', '?api-version=2021-04-01', { location: 'eastus' })).status, 201);
    const account = '/providers/Microsoft.CognitiveServices/accounts/quota-openai';
    assert.equal((await arm('PUT', `${account}?api-version=2024-10-01`, { location: 'eastus', kind: 'OpenAI', sku: { name: 'S0' } })).status, 201);
    const deployment = { sku: { name: 'Standard', capacity: 1 }, properties: { model: { format: 'OpenAI', name: 'gpt-4o-mini', version: '2024-07-18' } } };
    assert.equal((await arm('PUT', `${account}/deployments/chat?api-version=2024-10-01`, deployment)).status, 201);
    const key = (await arm('POST', `${account}/listKeys?api-version=2024-10-01`)).json().key1 as string;
    const chat = (k: KeylessProcess) =>
      request(k.info.caPath, 'POST', `${k.info.baseUrl}/accounts/quota-openai/openai/deployments/chat/chat/completions?api-version=2024-10-21`, {
        headers: { 'api-key': key },
        body: { messages: [{ role: 'user', content: 'hi' }] },
      });
    // Both serve the deployment as soon as its write has returned (the deployment list spends no quota).
    for (const k of [second, other]) {
      const list = await request(k.info.caPath, 'GET', `${k.info.baseUrl}/accounts/quota-openai/openai/deployments?api-version=2022-12-01`, { headers: { 'api-key': key } });
      assert.equal(list.status, 200, list.text);
      assert.deepEqual((list.json().data as { id: string }[]).map((d) => d.id), ['chat']);
    }
    // Capacity 1 admits one request per 10 s: the one the first instance admitted is counted by the other.
    const a = await chat(second);
    assert.equal(a.status, 200);
    assert.equal(a.headers['x-ratelimit-remaining-requests'], '0');
    const b = await chat(other);
    assert.equal(b.status, 429);
    assert.equal(b.headers['x-ratelimit-remaining-requests'], '0');
  });
});
