import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cliJson, runCli, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { adminToken, request } from '../fixtures/http.js';

/** The audit API's surface, account and decision filters (what the portal's audit page and `keyless audit list` send), and their 400s. */
let keyless: InProcessKeyless;
let admin: string;
let first: string;
let second: string;
let app: { appId: string; password: string };
let appObjectId: string;
const json = cliJson(() => keyless.dataDir);

const audit = async (query: string) => {
  const res = await request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}/subscriptions/${keyless.info.subscriptionId}/providers/Keyless/auditRecords?api-version=2026-01-01&top=1000${query}`, {
    headers: { authorization: `Bearer ${admin}` },
  });
  return { status: res.status, body: res.json() };
};
const records = async (query: string): Promise<Record<string, any>[]> => {
  const res = await audit(query);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.value;
};
const chat = (account: string, headers: Record<string, string>) =>
  request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}/accounts/${account}/openai/deployments?api-version=2022-12-01`, { headers });

before(async () => {
  keyless = await startInProcess();
  admin = await adminToken(keyless.info.caPath, keyless.info.baseUrl, keyless.admin());
  await json('group', 'create', '-n', 'af');
  first = (await json('openai', 'create', '-g', 'af', '-n', 'af-one')).id;
  second = (await json('openai', 'create', '-g', 'af', '-n', 'af-two')).id;
  app = await json('ad', 'sp', 'create-for-rbac', '-n', 'af-app');
  appObjectId = (await json('ad', 'sp', 'show', '--id', app.appId)).id;
  const key = (await json('openai', 'keys', 'list', '-g', 'af', '-n', 'af-one')).key1;
  assert.equal((await chat('af-one', { 'api-key': key })).status, 200);
  assert.equal((await chat('af-one', { 'api-key': 'not-the-key' })).status, 401);
  assert.equal((await chat('af-two', { 'api-key': 'not-the-key' })).status, 401);
  // A token without a role on the account: the data plane's 401 PermissionDenied (as Azure OpenAI answers), with the app's principal id.
  const token = await adminToken(keyless.info.caPath, keyless.info.baseUrl, { tenantId: keyless.info.tenantId, clientId: app.appId, clientSecret: app.password }, 'https://cognitiveservices.azure.com');
  const refused = await chat('af-two', { authorization: `Bearer ${token}` });
  assert.equal(refused.status, 401, refused.text);
});
after(async () => keyless.stop());

test('surface=openai&account=… keeps that account’s data-plane records only, whatever the id’s case', async () => {
  const one = await records(`&surface=openai&account=${encodeURIComponent(first.toUpperCase())}`);
  assert.deepEqual(one.map((r) => [r['surface'], r['account'].toLowerCase(), r['decision']]), [
    ['openai', first.toLowerCase(), 'denied'],
    ['openai', first.toLowerCase(), 'allowed'],
  ]);
  const two = await records(`&account=${encodeURIComponent(second)}`);
  assert.deepEqual(two.map((r) => r['decision']), ['denied', 'denied']);
  assert.ok((await records('&surface=entra')).every((r) => r['surface'] === 'entra'));
});

test('decision=allowed, and principalId with surface narrow together', async () => {
  const allowed = await records('&decision=allowed');
  assert.ok(allowed.length > 0 && allowed.every((r) => r['decision'] === 'allowed'));
  const mine = await records(`&surface=openai&principalId=${appObjectId}`);
  assert.equal(mine.length, 1);
  assert.equal(mine[0]!['decision'], 'denied');
  assert.equal(mine[0]!['account'].toLowerCase(), second.toLowerCase());
  assert.deepEqual(await records(`&surface=drill&principalId=${appObjectId}`), []);
});

test('a bad surface, decision or account is ARM’s 400 InvalidRequestContent', async () => {
  assert.deepEqual(await audit('&surface=portal'), {
    status: 400,
    body: { error: { code: 'InvalidRequestContent', message: "The 'surface' parameter must be one of openai, identity, entra, arm, graph, drill." } },
  });
  assert.deepEqual(await audit('&decision=maybe'), {
    status: 400,
    body: { error: { code: 'InvalidRequestContent', message: "The 'decision' parameter must be one of allowed, denied, injected." } },
  });
  assert.deepEqual(await audit('&account=af-one'), {
    status: 400,
    body: {
      error: {
        code: 'InvalidRequestContent',
        message: "The 'account' parameter must be an account's ARM id (/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.CognitiveServices/accounts/{name}).",
      },
    },
  });
});

test('keyless audit list --surface --account --allowed send the same filters', async () => {
  const listed = await json('audit', 'list', '--surface', 'openai', '--account', first, '--allowed');
  assert.deepEqual(listed.map((r: Record<string, any>) => [r['surface'], r['decision']]), [['openai', 'allowed']]);
  const both = await runCli(keyless.dataDir, ['audit', 'list', '--allowed', '--denied']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--allowed and --denied exclude each other/);
  const bad = await runCli(keyless.dataDir, ['audit', 'list', '--surface', 'portal']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /allowed values are openai, identity, entra, arm, graph, drill, got 'portal'/);
});
