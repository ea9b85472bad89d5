import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describePostgres, dropSchema, POSTGRES_URL } from '../fixtures/core.js';
import { readAdminCredential, startKeyless, tempDataDir, type KeylessProcess } from '../fixtures/server.js';
import { adminToken, request } from '../fixtures/http.js';
import { REDIS_UP, REDIS_URL } from '../fixtures/redis.js';

/** Two `keyless up` processes, each with its own data folder, sharing one PostgreSQL database and one KEK. */
describePostgres('two instances on one PostgreSQL', () => {
  const schema = `kl_shared_${randomBytes(6).toString('hex')}`;
  const kek = randomBytes(32).toString('base64');
  let first: KeylessProcess;
  let second: KeylessProcess;

  before(async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`create schema "${schema}"`);
    await client.end();
    const url = new URL(POSTGRES_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const args = ['--database', url.toString()];
    first = await startKeyless({ args, env: { KEYLESS_KEK: kek } });
    // The second counts quotas in Redis when it runs here (CI requires it: test/contract/quota-limiter.test.ts).
    second = await startKeyless({ args: [...args, ...(REDIS_UP ? ['--redis', REDIS_URL] : [])], env: { KEYLESS_KEK: kek }, dataDir: tempDataDir() });
  });
  after(async () => {
    await second?.stop();
    await first?.stop();
    await dropSchema(POSTGRES_URL, schema);
  });

  test('both serve the same tenant, subscription and JWKS', async () => {
    assert.equal(second.info.tenantId, first.info.tenantId);
    assert.equal(second.info.subscriptionId, first.info.subscriptionId);
    const jwks = async (k: KeylessProcess) =>
      (await request(k.info.caPath, 'GET', `${k.info.baseUrl}/${k.info.tenantId}/discovery/v2.0/keys`)).json();
    const a = await jwks(first);
    assert.equal(a.keys.length, 2);
    assert.deepEqual(await jwks(second), a);
  });

  test('a token from one verifies at the other, and a write through one is served by the other', async () => {
    const token = await adminToken(first.info.caPath, first.info.baseUrl, readAdminCredential(first.dataDir), 'https://management.azure.com');
    const sub = `/subscriptions/${first.info.subscriptionId}`;
    const put = await request(first.info.caPath, 'PUT', `${first.info.baseUrl}${sub}/resourcegroups/shared?api-version=2021-04-01`, {
      headers: { authorization: `Bearer ${token}` },
      body: { location: 'eastus' },
    });
    assert.equal(put.status, 201);
    // The other instance applies the change log within its poll interval (1 s).
    let status = 0;
    for (let i = 0; i < 30 && status !== 200; i++) {
      const get = await request(second.info.caPath, 'GET', `${second.info.baseUrl}${sub}/resourcegroups/shared?api-version=2021-04-01`, {
        headers: { authorization: `Bearer ${token}` },
      });
      status = get.status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(status, 200);
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
});
