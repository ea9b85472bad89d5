import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { cliJson, runCli, startKeyless, tempDataDir } from '../fixtures/server.js';
import { request } from '../fixtures/http.js';

/** `keyless up`: first start, the data folder, the lock, clean stops and clear start-up failures. */

test('first start creates the data folder with private modes and serves /healthz on both listeners', async () => {
  const keyless = await startKeyless();
  try {
    const dir = keyless.dataDir;
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    for (const secret of ['ca-key.pem', 'server-key.pem', 'kek', 'admin-credential.json', 'keyless.db', 'runtime.json']) {
      assert.equal(fs.statSync(path.join(dir, secret)).mode & 0o077, 0, `${secret} must not be readable by others`);
    }
    const out = keyless.output();
    assert.match(out, /^Keyless ready/m);
    assert.ok(out.includes(keyless.info.tenantId) && out.includes(keyless.info.subscriptionId));
    assert.ok(out.includes(`export NODE_EXTRA_CA_CERTS=${path.join(dir, 'ca.pem')}`));
    const health = await request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}/healthz`);
    assert.equal(health.status, 200);
    const identity = await fetch(`${keyless.info.identityUrl}/healthz`);
    assert.equal(identity.status, 200);
    assert.match(keyless.info.identityUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    // The identity port never answers 404: the client libraries would retry it for a minute.
    const unknown = await fetch(`${keyless.info.identityUrl}/no/such/path`);
    assert.equal(unknown.status, 400);
  } finally {
    assert.equal(await keyless.stop(), 0);
  }
});

test('a second up on the same data folder is refused while the first runs; SIGINT stops it cleanly', async () => {
  const keyless = await startKeyless();
  try {
    const second = await runCli(keyless.dataDir, ['up', '--data', keyless.dataDir, '--port', '0', '--identity-port', '0']);
    assert.equal(second.code, 1);
    assert.match(second.stderr, /already running with this data folder \(pid \d+\)/);
    assert.equal(second.stderr.trim().split('\n').length, 1);
  } finally {
    const started = Date.now();
    assert.equal(await keyless.stop('SIGINT'), 0);
    assert.ok(Date.now() - started < 10_000);
  }
  assert.equal(fs.existsSync(path.join(keyless.dataDir, 'runtime.json')), false);
  assert.equal(fs.existsSync(path.join(keyless.dataDir, 'keyless.lock')), false);
});

test('a clean stop writes every audit record still queued (SIGTERM right after the requests)', async () => {
  const keyless = await startKeyless();
  const json = cliJson(() => keyless.dataDir);
  const REQUESTS = 300;
  try {
    await json('group', 'create', '-n', 'stop');
    const endpoint = (await json('openai', 'create', '-g', 'stop', '-n', 'stop-openai')).properties.endpoint;
    const key = (await json('openai', 'keys', 'list', '-g', 'stop', '-n', 'stop-openai')).key1;
    const answers = await Promise.all(
      Array.from({ length: REQUESTS }, (_, i) =>
        request(keyless.info.caPath, 'POST', `${endpoint}openai/deployments/none/chat/completions?api-version=2024-10-21`, {
          headers: { 'api-key': key, 'x-n': String(i) },
          body: { messages: [{ role: 'user', content: 'hi' }] },
        }),
      ),
    );
    assert.ok(answers.every((a) => a.status === 404));
  } finally {
    // Within the 250 ms flush interval: most records are still queued here.
    assert.equal(await keyless.stop(), 0);
  }
  const again = await startKeyless({ dataDir: keyless.dataDir });
  try {
    const records = await cliJson(() => again.dataDir)('audit', 'list', '--top', '1000');
    assert.equal(records.filter((r: { surface: string; reason: string }) => r.surface === 'openai' && r.reason === 'unknown deployment').length, REQUESTS);
  } finally {
    await again.stop();
  }
});

test('a taken port is one clear line and exit 1', async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const dir = tempDataDir();
    const run = await runCli(dir, ['up', '--data', dir, '--port', String(port), '--identity-port', '0']);
    assert.equal(run.code, 1);
    assert.equal(run.stderr, `keyless: Port ${port} on 127.0.0.1 is already in use; choose another with --port (0 picks a free one).\n`);
  } finally {
    blocker.close();
  }
});

test('a data folder readable by others is refused', async () => {
  const dir = tempDataDir();
  fs.chmodSync(dir, 0o755);
  const run = await runCli(dir, ['up', '--data', dir, '--port', '0', '--identity-port', '0']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^keyless: .*chmod 700/);
  assert.equal(run.stderr.trim().split('\n').length, 1);
});

test('an unreachable database is one clear line and exit 1, with no password shown', async () => {
  const dir = tempDataDir();
  const run = await runCli(dir, ['up', '--data', dir, '--port', '0', '--identity-port', '0', '--database', 'postgres://keyless:hunter2@127.0.0.1:1/none']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^keyless: Could not connect to the database at postgres:\/\/keyless:\*\*\*@127\.0\.0\.1:1\/none/);
  assert.ok(!run.stderr.includes('hunter2'));
  assert.equal(run.stderr.trim().split('\n').length, 1);
});

test('a --redis that is not a Redis URL, or a Redis that does not answer, is one clear line and exit 1, with no password shown', async () => {
  const dir = tempDataDir();
  const args = ['up', '--data', dir, '--port', '0', '--identity-port', '0', '--redis'];
  const notUrl = await runCli(dir, [...args, 'http://127.0.0.1:6379']);
  assert.equal(notUrl.code, 1);
  assert.equal(notUrl.stderr, 'keyless: --redis must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379 (without it, each instance counts quotas alone).\n');
  const unreachable = await runCli(dir, [...args, 'redis://:hunter2@127.0.0.1:1']);
  assert.equal(unreachable.code, 1);
  assert.equal(
    unreachable.stderr,
    'keyless: Could not connect to Redis at redis://:***@127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1. Start Redis, fix --redis, or leave --redis out to count quotas in this instance alone.\n',
  );
  // Nothing is left running or locked: the folder starts again.
  const again = await runCli(dir, [...args, 'redis://127.0.0.1:1']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /^keyless: Could not connect to Redis/);
});

test('logs never contain secrets: client secrets, bearer tokens, api keys, identity headers', async () => {
  const keyless = await startKeyless({ args: ['--log-level', 'trace'] });
  const admin = JSON.parse(fs.readFileSync(path.join(keyless.dataDir, 'admin-credential.json'), 'utf8'));
  const token = await (await import('../fixtures/http.js')).adminToken(keyless.info.caPath, keyless.info.baseUrl, admin);
  const sub = `/subscriptions/${keyless.info.subscriptionId}`;
  await request(keyless.info.caPath, 'PUT', `${keyless.info.baseUrl}${sub}/resourcegroups/logs?api-version=2021-04-01`, {
    headers: { authorization: `Bearer ${token}`, 'api-key': 'k'.repeat(40), 'x-identity-header': 's'.repeat(40) },
    body: { location: 'eastus' },
  });
  await request(keyless.info.caPath, 'POST', `${keyless.info.baseUrl}/${admin.tenantId}/oauth2/token?client_secret=${admin.clientSecret}`, {
    form: { grant_type: 'client_credentials', client_id: admin.clientId, client_secret: admin.clientSecret, resource: keyless.info.baseUrl },
  });
  await fetch(`${keyless.info.identityUrl}/0123456789abcdef0123456789abcdef/metadata/identity/oauth2/token`);
  // An unknown path on the HTTPS port: fastify's default 404 would log the raw URL.
  await request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}/nope/fedcba9876543210fedcba9876543210?client_secret=${admin.clientSecret}`);
  await keyless.stop();
  const logs = keyless.output();
  assert.match(logs, /incoming request/, 'request logging is on at trace level');
  for (const secret of [admin.clientSecret, token, token.split('.')[2] as string, 'k'.repeat(40), 's'.repeat(40), '0123456789abcdef0123456789abcdef', 'fedcba9876543210fedcba9876543210']) {
    assert.ok(!logs.includes(secret), `a secret leaked into the logs: ${secret.slice(0, 8)}…`);
  }
});
