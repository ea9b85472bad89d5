import https from 'node:https';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startCluster, statusOf, type Cluster } from '../fixtures/cluster.js';
import { adminToken, request, type HttpResult } from '../fixtures/http.js';
import { describeOwnPostgres, startOwnPostgres, type OwnPostgres } from '../fixtures/own-postgres.js';
import { readAdminCredential, runCli, type KeylessProcess } from '../fixtures/server.js';

const LEASE_MS = 2000;
const GROUP = '/resourcegroups/restart';
const ACCOUNT = `${GROUP}/providers/Microsoft.CognitiveServices/accounts/restart-openai`;
const ARM_API = '?api-version=2024-10-01';
const GROUP_API = '?api-version=2021-04-01';
const DEPLOYMENTS = '/openai/deployments?api-version=2022-12-01';
/** No request may go unanswered for longer than this, database down or not. */
const REQUEST_TIMEOUT_MS = 10_000;
/** How long the instances may take to serve again once PostgreSQL is back (the feed's backoff is at most 2 s, a heartbeat every 400 ms). */
const RECOVERY_MS = 10_000;

const FENCED_DATA_PLANE = { error: { code: 'ServiceUnavailable', message: 'The service is temporarily unable to process your request. Please try again later.' } };
const ARM_UNAVAILABLE_MESSAGES = [
  'The database cannot be reached right now. Please retry the request.',
  'This Keyless instance cannot confirm that its state is current and is not serving requests until it has caught up. Please retry the request.',
];

type Credential = 'valid key' | 'revoked key' | 'valid token';
/** What the load sends: the data plane with each credential, the authority's token endpoint, and ARM reads. */
type LoadKind = Credential | 'token request' | 'arm read';

/**
 * PostgreSQL restarted (and stopped for longer than the lease) under the
 * instances' feet, on a PostgreSQL cluster of the test's own: no request is
 * wrongly allowed, none gets a 500 or hangs, writes get ARM's 503 while the
 * database is down, and the instances recover by themselves.
 */
describeOwnPostgres('PostgreSQL restarted under load: nothing wrongly allowed, 503 at worst, recovery without a restart of Keyless', () => {
  let postgres: OwnPostgres;
  let cluster: Cluster;
  let instances: KeylessProcess[];
  let validKey: string;
  let revokedKey: string;
  let token: string;
  let armToken: string;

  before(async () => {
    postgres = await startOwnPostgres();
    cluster = await startCluster(3, ['--lease', String(LEASE_MS / 1000)], { postgresUrl: postgres.url });
    instances = cluster.instances;
    const a = instances[0] as KeylessProcess;
    statusOf(await cluster.arm(a, 'PUT', `${GROUP}${GROUP_API}`, { location: 'eastus' }), 201, 'group');
    statusOf(await cluster.arm(a, 'PUT', `${ACCOUNT}${ARM_API}`, { location: 'eastus', kind: 'OpenAI', sku: { name: 'S0' } }), 201, 'account');
    const keys = (await cluster.arm(a, 'POST', `${ACCOUNT}/listKeys${ARM_API}`)).json();
    validKey = keys.key1;
    revokedKey = keys.key2;
    statusOf(await cluster.arm(a, 'POST', `${ACCOUNT}/regenerateKey${ARM_API}`, { keyName: 'Key2' }), 200, 'regenerate Key2');
    token = await adminToken(a.info.caPath, a.info.baseUrl, readAdminCredential(a.dataDir), 'https://cognitiveservices.azure.com');
    armToken = await adminToken(a.info.caPath, a.info.baseUrl, readAdminCredential(a.dataDir), 'https://management.azure.com');
    const objectId = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).oid as string;
    const assigned = await runCli(a.dataDir, [
      'role', 'assignment', 'create', '--assignee', objectId, '--role', 'Cognitive Services OpenAI User', '--scope', `${cluster.sub}${GROUP}`, '-o', 'json',
    ]);
    assert.equal(assigned.code, 0, assigned.stderr);
    for (const k of instances) {
      statusOf(await call(k, 'valid key'), 200, 'the valid key');
      statusOf(await call(k, 'valid token'), 200, 'the token');
      statusOf(await call(k, 'revoked key'), 401, 'the revoked key');
    }
  });
  after(async () => {
    // The instances first (their pools and feeds), then the schema, then the server.
    await cluster?.stop().catch(() => undefined);
    await postgres?.destroy();
  });

  const call = (k: KeylessProcess, credential: Credential, agent?: https.Agent): Promise<HttpResult> =>
    request(k.info.caPath, 'GET', `${k.info.baseUrl}/accounts/restart-openai${DEPLOYMENTS}`, {
      headers: credential === 'valid token' ? { authorization: `Bearer ${token}` } : { 'api-key': credential === 'valid key' ? validKey : revokedKey },
      timeoutMs: REQUEST_TIMEOUT_MS,
      ...(agent ? { agent } : {}),
    });
  const send = (k: KeylessProcess, kind: LoadKind, agent: https.Agent): Promise<HttpResult> => {
    if (kind === 'token request') {
      const credential = readAdminCredential((instances[0] as KeylessProcess).dataDir);
      return request(k.info.caPath, 'POST', `${k.info.baseUrl}/${credential.tenantId}/oauth2/v2.0/token`, {
        form: { grant_type: 'client_credentials', client_id: credential.clientId, client_secret: credential.clientSecret, scope: 'https://cognitiveservices.azure.com/.default' },
        timeoutMs: REQUEST_TIMEOUT_MS,
        agent,
      });
    }
    if (kind === 'arm read') {
      return request(k.info.caPath, 'GET', `${k.info.baseUrl}${cluster.sub}${ACCOUNT}${ARM_API}`, {
        headers: { authorization: `Bearer ${armToken}` },
        timeoutMs: REQUEST_TIMEOUT_MS,
        agent,
      });
    }
    return call(k, kind, agent);
  };
  /** A 503 in the dialect of the surface that answered it, with retry-after. */
  const isUnavailable = (kind: LoadKind, answer: HttpResult): boolean => {
    if (answer.headers['retry-after'] !== '1') return false;
    const body = answer.json();
    if (kind === 'token request') return body.error === 'temporarily_unavailable' && Array.isArray(body.error_codes) && body.error_codes.includes(90033);
    if (kind === 'arm read') return body.error?.code === 'ServiceUnavailable' && ARM_UNAVAILABLE_MESSAGES.includes(body.error.message);
    return JSON.stringify(body) === JSON.stringify(FENCED_DATA_PLANE);
  };
  const health = async (k: KeylessProcess): Promise<number> =>
    (await request(k.info.caPath, 'GET', `${k.info.baseUrl}/healthz`, { timeoutMs: REQUEST_TIMEOUT_MS })).status;

  /**
   * Data-plane requests in a loop on every instance (each credential on its own keep-alive connection) until
   * stopped; each answer judged as it comes.
   */
  function startLoad(): { stop: () => Promise<{ tally: Map<string, number>; problems: string[] }> } {
    let running = true;
    const tally = new Map<string, number>();
    const problems: string[] = [];
    const agents: https.Agent[] = [];
    const loops: Promise<void>[] = [];
    for (const [index, k] of instances.entries()) {
      for (const kind of ['valid key', 'revoked key', 'valid token', 'token request', 'arm read'] as const) {
        const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: fs.readFileSync(k.info.caPath) });
        agents.push(agent);
        loops.push(
          (async () => {
            while (running) {
              const started = performance.now();
              try {
                const answer = await send(k, kind, agent);
                const name = `${'ABC'[index]} ${kind} ${answer.status}`;
                tally.set(name, (tally.get(name) ?? 0) + 1);
                const normal = kind === 'revoked key' ? 401 : 200;
                if (answer.status === 503) {
                  if (!isUnavailable(kind, answer)) problems.push(`${name}: ${answer.text} retry-after ${String(answer.headers['retry-after'])}`);
                } else if (answer.status !== normal) {
                  problems.push(`${name}: ${answer.text}`);
                }
              } catch (error) {
                problems.push(`${'ABC'[index]} ${kind}: ${(error as Error).message} after ${(performance.now() - started).toFixed(0)} ms`);
              }
              await new Promise((resolve) => setTimeout(resolve, 5));
            }
          })(),
        );
      }
    }
    return {
      async stop() {
        running = false;
        await Promise.all(loops);
        for (const agent of agents) agent.destroy();
        return { tally, problems };
      },
    };
  }

  /** Waits until every instance says it is healthy and serves the valid key; returns how long that took. */
  async function recovery(): Promise<number> {
    const started = performance.now();
    for (;;) {
      const states = await Promise.all(instances.map(async (k) => (await health(k)) === 200 && (await call(k, 'valid key')).status === 200));
      if (states.every(Boolean)) return performance.now() - started;
      if (performance.now() - started > RECOVERY_MS) throw new Error(`not every instance serves again ${RECOVERY_MS} ms after PostgreSQL is back: ${states.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Writes work through each instance, a key regenerated through one is refused by the others on the first request, all live. */
  async function assertClusterWorks(round: string): Promise<void> {
    for (const [index, k] of instances.entries()) {
      const result = await cluster.arm(k, 'PUT', `${GROUP}${GROUP_API}`, { location: 'eastus', tags: { round, through: 'ABC'[index] as string } });
      statusOf(result, 200, `a write through ${'ABC'[index]} after ${round}`);
    }
    for (const [index, via] of instances.entries()) {
      const old = (await cluster.arm(via, 'POST', `${ACCOUNT}/listKeys${ARM_API}`)).json().key2 as string;
      statusOf(await cluster.arm(via, 'POST', `${ACCOUNT}/regenerateKey${ARM_API}`, { keyName: 'Key2' }), 200, `regenerate through ${'ABC'[index]}`);
      for (const other of instances) {
        if (other === via) continue;
        const answer = await request(other.info.caPath, 'GET', `${other.info.baseUrl}/accounts/restart-openai${DEPLOYMENTS}`, { headers: { 'api-key': old } });
        statusOf(answer, 401, `a key regenerated through ${'ABC'[index]}, on another instance after ${round}`);
      }
    }
    const run = await runCli((instances[0] as KeylessProcess).dataDir, ['cluster', 'status', '-o', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const status = JSON.parse(run.stdout) as { value: { live: boolean; lag: number }[] };
    assert.equal(status.value.length, 3);
    assert.deepEqual(status.value.map((i) => i.live), [true, true, true], `every instance live after ${round}`);
  }

  /** The output of every instance that has exited (none should: Keyless survives its database's faults). */
  function exited(): string {
    return instances
      .filter((k) => k.child.exitCode !== null || k.child.signalCode !== null)
      .map((k) => `\n${k.info.baseUrl} exited (${k.child.exitCode ?? k.child.signalCode}):\n${k.output().slice(-4000)}`)
      .join('');
  }

  function report(what: string, tally: Map<string, number>): void {
    const lines = [...tally.entries()].sort(([x], [y]) => x.localeCompare(y)).map(([name, n]) => `${name}: ${n}`);
    process.stdout.write(`# ${what}: ${lines.join('; ')}\n`);
  }

  test('pg_ctl restart -m fast under load: no revoked key allowed, no 500, no hang; the instances recover by themselves', async () => {
    const load = startLoad();
    try {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const restarting = performance.now();
      await postgres.restart();
      const restartMs = performance.now() - restarting;
      const recoveredIn = await recovery();
      process.stdout.write(`# pg_ctl restart took ${restartMs.toFixed(0)} ms; every instance served again ${recoveredIn.toFixed(0)} ms later\n`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    } finally {
      const { tally, problems } = await load.stop();
      report('answers during the restart', tally);
      assert.deepEqual(problems.slice(0, 20), [], `${problems.length} wrong answers${exited()}`);
      for (const [name, n] of tally) if (name.includes('revoked key 200')) assert.fail(`the revoked key was allowed ${n} times (${name})`);
    }
    await assertClusterWorks('the restart');
  });

  test('every connection of the instances dropped (pg_terminate_backend) under load: the same, without a restart', async () => {
    const load = startLoad();
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const admin = new pg.Client({ connectionString: postgres.url });
      await admin.connect();
      try {
        // Pools, feeds and all: every backend but this one, twice (a pool may open a new connection in between).
        for (let i = 0; i < 2; i++) {
          const { rowCount } = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where backend_type = $1 and pid <> pg_backend_pid()', ['client backend']);
          if (i === 0) assert.ok((rowCount ?? 0) >= 6, `terminated ${rowCount} connections`);
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
      } finally {
        await admin.end();
      }
      const recoveredIn = await recovery();
      process.stdout.write(`# connections dropped; every instance served ${recoveredIn.toFixed(0)} ms later\n`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      const { tally, problems } = await load.stop();
      report('answers while the connections were dropped', tally);
      assert.deepEqual(problems.slice(0, 20), [], `${problems.length} wrong answers${exited()}`);
      for (const [name, n] of tally) if (name.includes('revoked key 200')) assert.fail(`the revoked key was allowed ${n} times (${name})`);
    }
    await assertClusterWorks('the dropped connections');
  });

  test('PostgreSQL down for longer than the lease: writes get ARM 503, the instances fence, and come back once it is', async () => {
    const [a, b] = instances as [KeylessProcess, KeylessProcess];
    const load = startLoad();
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await postgres.stop('fast');
      const down = performance.now();
      // Writes through ARM while the database is down: ARM's 503, not a 500, and promptly.
      const attempts: HttpResult[] = [];
      const writeStarted = performance.now();
      attempts.push(await cluster.arm(a, 'PUT', `${GROUP}${GROUP_API}`, { location: 'eastus', tags: { during: 'outage' } }));
      attempts.push(await cluster.arm(b, 'POST', `${ACCOUNT}/regenerateKey${ARM_API}`, { keyName: 'Key1' }));
      const writeMs = performance.now() - writeStarted;
      assert.ok(writeMs < REQUEST_TIMEOUT_MS, `two writes while the database is down took ${writeMs.toFixed(0)} ms`);
      // Past the lease, every instance has fenced itself (it cannot confirm it is current): 503 everywhere, /healthz says so.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, LEASE_MS + 1000 - (performance.now() - down))));
      attempts.push(await cluster.arm(a, 'PUT', `${GROUP}${GROUP_API}`, { location: 'eastus', tags: { during: 'outage' } }));
      for (const attempt of attempts) {
        assert.equal(attempt.status, 503, attempt.text);
        const body = attempt.json();
        assert.equal(body.error.code, 'ServiceUnavailable', attempt.text);
        assert.ok(ARM_UNAVAILABLE_MESSAGES.includes(body.error.message), attempt.text);
        assert.equal(attempt.headers['retry-after'], '1');
      }
      for (const k of instances) {
        const fenced = await request(k.info.caPath, 'GET', `${k.info.baseUrl}/healthz`, { timeoutMs: REQUEST_TIMEOUT_MS });
        assert.equal(fenced.status, 503, `healthz of an instance cut off from its database for longer than the lease: ${fenced.text}`);
        assert.deepEqual(fenced.json(), { status: 'fenced' });
        const refused = await call(k, 'valid key');
        assert.equal(refused.status, 503);
        assert.deepEqual(refused.json(), FENCED_DATA_PLANE);
      }
      await postgres.start();
      const recoveredIn = await recovery();
      process.stdout.write(`# PostgreSQL down ${(performance.now() - down - recoveredIn).toFixed(0)} ms; every instance served again ${recoveredIn.toFixed(0)} ms after it was back\n`);
    } finally {
      const { tally, problems } = await load.stop();
      report('answers during the outage', tally);
      assert.deepEqual(problems.slice(0, 20), [], `${problems.length} wrong answers${exited()}`);
      for (const [name, n] of tally) if (name.includes('revoked key 200')) assert.fail(`the revoked key was allowed ${n} times (${name})`);
    }
    // The valid key was not regenerated by the refused write.
    for (const k of instances) statusOf(await call(k, 'valid key'), 200, 'the valid key after the outage');
    await assertClusterWorks('the outage');
  });
});
