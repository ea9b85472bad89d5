import https from 'node:https';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { describePostgres } from '../fixtures/core.js';
import { startCluster, statusOf, type Cluster } from '../fixtures/cluster.js';
import { request, type HttpResult } from '../fixtures/http.js';
import { runCli, type KeylessProcess } from '../fixtures/server.js';

const LEASE_MS = 2000;
/** What a revoking write may take beyond the lease on a busy two-core machine (an HTTPS round trip, a few queries). */
const MARGIN_MS = 1500;
const GROUP = '/resourcegroups/stopped';
const ACCOUNT = `${GROUP}/providers/Microsoft.CognitiveServices/accounts/stopped-openai`;
const ARM_API = '?api-version=2024-10-01';
const DEPLOYMENTS = '/openai/deployments?api-version=2022-12-01';

/** The data plane's 503 of a fenced instance, byte for byte (src/surfaces/openai/errors.ts). */
const FENCED_BODY = { error: { code: 'ServiceUnavailable', message: 'The service is temporarily unable to process your request. Please try again later.' } };

/**
 * An instance stopped with SIGSTOP (a long GC pause, a frozen VM, a process
 * paused by a debugger): the other instances' revoking writes wait for it at
 * most a lease, then go on without it; once continued it refuses with 503
 * until it has caught up, and then refuses the revoked key.
 */
describePostgres('an instance stopped with SIGSTOP: writes wait at most a lease, and it never serves a revoked key', () => {
  let cluster: Cluster;
  let a: KeylessProcess;
  let b: KeylessProcess;
  let c: KeylessProcess;
  /** One keep-alive connection to C, opened before it is stopped. */
  let toC: https.Agent;

  before(async () => {
    cluster = await startCluster(3, ['--lease', String(LEASE_MS / 1000)]);
    [a, b, c] = cluster.instances as [KeylessProcess, KeylessProcess, KeylessProcess];
    toC = new https.Agent({ keepAlive: true, maxSockets: 1, ca: fs.readFileSync(c.info.caPath) });
    statusOf(await cluster.arm(a, 'PUT', `${GROUP}?api-version=2021-04-01`, { location: 'eastus' }), 201, 'group');
    statusOf(await cluster.arm(a, 'PUT', `${ACCOUNT}${ARM_API}`, { location: 'eastus', kind: 'OpenAI', sku: { name: 'S0' } }), 201, 'account');
  });
  after(async () => {
    toC?.destroy();
    await cluster?.stop();
  });

  const withKey = (k: KeylessProcess, key: string, agent?: https.Agent): Promise<HttpResult> =>
    request(k.info.caPath, 'GET', `${k.info.baseUrl}/accounts/stopped-openai${DEPLOYMENTS}`, {
      headers: { 'api-key': key },
      timeoutMs: 30_000,
      ...(agent ? { agent } : {}),
    });
  const regenerate = async (keyName: 'Key1' | 'Key2'): Promise<{ keys: { key1: string; key2: string }; ms: number }> => {
    const started = performance.now();
    const result = await cluster.arm(a, 'POST', `${ACCOUNT}/regenerateKey${ARM_API}`, { keyName });
    const ms = performance.now() - started;
    statusOf(result, 200, `regenerate ${keyName}`);
    return { keys: result.json(), ms };
  };
  const clusterStatus = async (): Promise<{ value: { address: string; live: boolean; lag: number }[] }> => {
    const run = await runCli(a.dataDir, ['cluster', 'status', '-o', 'json']);
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout);
  };
  const cLive = async (): Promise<boolean | undefined> => (await clusterStatus()).value.find((i) => i.address === c.info.baseUrl)?.live;

  test('stopped, continued, caught up: 503 or 401 first, never 200; then the new key only', async () => {
    const keys = (await cluster.arm(a, 'POST', `${ACCOUNT}/listKeys${ARM_API}`)).json() as { key1: string; key2: string };
    for (const k of [a, b, c]) statusOf(await withKey(k, keys.key1), 200, 'the current key');
    // The keep-alive connection that will carry C's first request after it is continued.
    statusOf(await withKey(c, keys.key1, toC), 200, 'the current key on the kept connection');
    assert.equal(await cLive(), true, 'C is live before it is stopped');

    assert.ok(c.child.kill('SIGSTOP'));
    let continued = false;
    try {
      // 1. A revoking write waits for C at most C's lease (C has not applied it: it cannot), then returns.
      const first = await regenerate('Key1');
      assert.ok(first.ms > 0 && first.ms < LEASE_MS + MARGIN_MS, `the regenerate took ${first.ms.toFixed(0)} ms (lease ${LEASE_MS} ms + ${MARGIN_MS} ms margin)`);
      statusOf(await withKey(b, keys.key1), 401, 'the revoked key on B');
      statusOf(await withKey(b, first.keys.key1), 200, 'the new key on B');

      // 2. C's lease has run out: it is out of the cluster, and further writes do not wait for it.
      assert.equal(await cLive(), false, 'C is out of the cluster once its lease has run out');
      let slowest = 0;
      let second = first;
      for (const keyName of ['Key2', 'Key1', 'Key2'] as const) {
        second = await regenerate(keyName);
        slowest = Math.max(slowest, second.ms);
      }
      assert.ok(slowest < 1000, `writes while C is out took up to ${slowest.toFixed(0)} ms; they must not wait for C`);
      statusOf(await withKey(b, first.keys.key1), 401, 'the key revoked while C is out, on B');

      // 3. Requests queued for C while it is stopped: one on the kept connection, one on a new connection.
      const revoked = keys.key1;
      const queued = [withKey(c, revoked, toC), withKey(c, revoked)];
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.ok(c.child.kill('SIGCONT'));
      continued = true;
      // And one sent right after SIGCONT.
      queued.push(withKey(c, revoked));
      const firstAnswers = await Promise.all(queued);
      for (const answer of firstAnswers) {
        if (answer.status === 503) {
          assert.deepEqual(answer.json(), FENCED_BODY);
          assert.equal(answer.headers['retry-after'], '1');
        } else {
          assert.equal(answer.status, 401, `C's first answers to a revoked key must be 503 or 401, got ${answer.status} ${answer.text}`);
        }
      }
      process.stdout.write(`# C's first answers after SIGCONT: ${firstAnswers.map((r) => r.status).join(', ')}\n`);

      // 4. C catches up by itself within a few seconds, then refuses every revoked key and accepts the current ones.
      const deadline = performance.now() + 10_000;
      let answer = await withKey(c, revoked);
      while (answer.status === 503 && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        answer = await withKey(c, revoked);
      }
      statusOf(answer, 401, 'the revoked key on C once it serves again');
      process.stdout.write(
        `# lease ${LEASE_MS} ms: the write with C stopped took ${first.ms.toFixed(0)} ms; with C out, up to ${slowest.toFixed(0)} ms; ` +
          `C served again ${(performance.now() - deadline + 10_000).toFixed(0)} ms after its first answers\n`,
      );
      const current = second.keys;
      for (const old of [keys.key1, keys.key2, first.keys.key1, first.keys.key2]) {
        if (old !== current.key1 && old !== current.key2) statusOf(await withKey(c, old), 401, 'a revoked key on C');
      }
      statusOf(await withKey(c, current.key1), 200, 'the current key1 on C');
      statusOf(await withKey(c, current.key2), 200, 'the current key2 on C');
      statusOf(await withKey(c, current.key1, toC), 200, 'the current key1 on the kept connection');
      const status = await clusterStatus();
      const row = status.value.find((i) => i.address === c.info.baseUrl);
      assert.equal(row?.live, true, 'C is back in the cluster');
      assert.equal(row?.lag, 0, 'C has applied every revision');

      // 5. C counts again: a revoking write through A is refused by C on the first request after it returns.
      const third = await regenerate('Key1');
      assert.ok(third.ms < 1000, `a write with C back took ${third.ms.toFixed(0)} ms`);
      statusOf(await withKey(c, current.key1), 401, 'the key revoked with C back, on C');
    } finally {
      if (!continued) c.child.kill('SIGCONT');
    }
  });
});
