import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { describePostgres } from '../fixtures/core.js';
import { startCluster, statusOf, type Cluster } from '../fixtures/cluster.js';
import { request } from '../fixtures/http.js';
import { runCli, type KeylessProcess } from '../fixtures/server.js';

const ATTEMPTS = 200;
const GROUP = '/resourcegroups/cluster';
const ACCOUNT = `${GROUP}/providers/Microsoft.CognitiveServices/accounts/cluster-openai`;
const ARM_API = '?api-version=2024-10-01';
const DEPLOYMENTS = '/openai/deployments?api-version=2022-12-01';

/**
 * Three instances on one PostgreSQL: every revoking write made through the
 * first is refused by the other two on the very first request after the
 * write returns, attempt after attempt.
 */
describePostgres('three instances on one PostgreSQL: revocations hold everywhere when the call returns', () => {
  let cluster: Cluster;
  let a: KeylessProcess;
  let others: KeylessProcess[];

  before(async () => {
    cluster = await startCluster(3);
    [a] = cluster.instances as [KeylessProcess];
    others = cluster.instances.slice(1);
    statusOf(await cluster.arm(a, 'PUT', `${GROUP}?api-version=2021-04-01`, { location: 'eastus' }), 201, 'group');
    statusOf(await cluster.arm(a, 'PUT', `${ACCOUNT}${ARM_API}`, { location: 'eastus', kind: 'OpenAI', sku: { name: 'S0' } }), 201, 'account');
  });
  after(async () => cluster?.stop());

  /** A data-plane GET with the key, answered by `k` (the deployment list: no model, no quota). */
  const withKey = (k: KeylessProcess, key: string) =>
    request(k.info.caPath, 'GET', `${k.info.baseUrl}/accounts/cluster-openai${DEPLOYMENTS}`, { headers: { 'api-key': key } });

  test('keyless cluster status lists the three, live and current', async () => {
    const run = await runCli(a.dataDir, ['cluster', 'status', '-o', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const status = JSON.parse(run.stdout);
    assert.equal(status.value.length, 3);
    assert.equal(status.leaseMs, 5000);
    for (const i of status.value) {
      assert.equal(i.live, true);
      assert.equal(i.lag, 0);
      assert.equal(i.version, '0.1.0');
    }
    assert.deepEqual(status.value.map((i: { self: boolean }) => i.self).filter(Boolean), [true]);
    assert.deepEqual(new Set(status.value.map((i: { address: string }) => i.address)), new Set(cluster.instances.map((k) => k.info.baseUrl)));
    const table = await runCli(a.dataDir, ['cluster', 'status']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /\(this one\)/);
  });

  test(`a regenerated key is refused by every other instance on the first request, ${ATTEMPTS} times`, async () => {
    let accepted = 0;
    let old = (await cluster.arm(a, 'POST', `${ACCOUNT}/listKeys${ARM_API}`)).json().key1 as string;
    for (const k of others) statusOf(await withKey(k, old), 200, 'the current key');
    for (let i = 0; i < ATTEMPTS; i++) {
      const regenerated = await cluster.arm(a, 'POST', `${ACCOUNT}/regenerateKey${ARM_API}`, { keyName: 'Key1' });
      statusOf(regenerated, 200, 'regenerate');
      for (const k of others) if ((await withKey(k, old)).status !== 401) accepted++;
      old = regenerated.json().key1 as string;
    }
    assert.equal(accepted, 0);
    for (const k of others) statusOf(await withKey(k, old), 200, 'the new key');
  });

  test(`disableLocalAuth is honoured by every other instance on the first request, ${ATTEMPTS} times`, async () => {
    const key = (await cluster.arm(a, 'POST', `${ACCOUNT}/listKeys${ARM_API}`)).json().key2 as string;
    let accepted = 0;
    const set = (disableLocalAuth: boolean) =>
      cluster.arm(a, 'PUT', `${ACCOUNT}${ARM_API}`, { location: 'eastus', kind: 'OpenAI', sku: { name: 'S0' }, properties: { disableLocalAuth } });
    for (let i = 0; i < ATTEMPTS; i++) {
      statusOf(await set(true), 200, 'disableLocalAuth on');
      for (const k of others) if ((await withKey(k, key)).status !== 403) accepted++;
      statusOf(await set(false), 200, 'disableLocalAuth off');
    }
    assert.equal(accepted, 0);
  });

  test(`tightened network rules are enforced by every other instance on the first request, ${ATTEMPTS} times`, async () => {
    const key = (await cluster.arm(a, 'POST', `${ACCOUNT}/listKeys${ARM_API}`)).json().key2 as string;
    let accepted = 0;
    // The callers here connect from 127.0.0.1; the rule admits only 127.0.0.2.
    const set = (defaultAction: 'Allow' | 'Deny') =>
      cluster.arm(a, 'PATCH', `${ACCOUNT}${ARM_API}`, { properties: { networkAcls: { defaultAction, ipRules: [{ value: '127.0.0.2' }] } } });
    for (let i = 0; i < ATTEMPTS; i++) {
      statusOf(await set('Deny'), 200, 'defaultAction Deny');
      for (const k of others) if ((await withKey(k, key)).status !== 403) accepted++;
      statusOf(await set('Allow'), 200, 'defaultAction Allow');
    }
    assert.equal(accepted, 0);
    for (const k of others) statusOf(await withKey(k, key), 200, 'allowed again');
  });
});
