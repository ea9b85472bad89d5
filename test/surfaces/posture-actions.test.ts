import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cliJson, runCli, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { adminToken, request } from '../fixtures/http.js';

/**
 * Posture's `action`: the one API call that fixes a finding, as data (method, path, api-version, body, summary).
 * Each is checked exactly, sent as given with the admin's own token, and its finding is gone from the next report.
 */
let keyless: InProcessKeyless;
let sub: string;
let admin: string;
const json = cliJson(() => keyless.dataDir);

type Action = { id: string; method: string; path: string; apiVersion: string | null; body?: unknown; summary: string };
type Finding = { code: string; resource: string; summary: string; fix: string[]; action?: Action };

before(async () => {
  keyless = await startInProcess();
  sub = `/subscriptions/${keyless.info.subscriptionId}`;
  admin = await adminToken(keyless.info.caPath, keyless.info.baseUrl, keyless.admin());
  await json('group', 'create', '-n', 'pa');
});
after(async () => keyless.stop());

/** The documented id: the first 12 hex digits of SHA-256 of `METHOD path-in-lowercase JSON(body)`. */
const fixId = (method: string, path: string, body: unknown = null): string =>
  createHash('sha256').update(`${method} ${path.toLowerCase()} ${JSON.stringify(body)}`).digest('hex').slice(0, 12);

async function findings(): Promise<Finding[]> {
  const res = await request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}${sub}/providers/Keyless/posture?api-version=2026-01-01`, { headers: { authorization: `Bearer ${admin}` } });
  assert.equal(res.status, 200, res.text);
  return res.json().value as Finding[];
}

/** Sends an action exactly as a client would: its path, its api-version when it has one, its body. */
async function apply(action: Action): Promise<number> {
  const url = `${keyless.info.baseUrl}${action.path}${action.apiVersion === null ? '' : `?api-version=${action.apiVersion}`}`;
  const res = await request(keyless.info.caPath, action.method, url, { headers: { authorization: `Bearer ${admin}` }, ...(action.body === undefined ? {} : { body: action.body as object }) });
  assert.ok(res.status >= 200 && res.status < 300, `${res.status} ${res.text}`);
  return res.status;
}

test('an account: disabling local auth and regenerating a key are actions; an open network (its addresses are yours to give) is not', async () => {
  const account = (await json('openai', 'create', '-g', 'pa', '-n', 'pa-acct')).id as string;
  let report = await findings();
  const keyAuth = report.find((f) => f.code === 'KeyAuthenticationEnabled')!;
  assert.deepEqual(keyAuth.action, {
    id: fixId('PATCH', account, { properties: { disableLocalAuth: true } }),
    method: 'PATCH',
    path: account,
    apiVersion: '2024-10-01',
    body: { properties: { disableLocalAuth: true } },
    summary: "Sets disableLocalAuth on account 'pa-acct': from then on every call that sends an API key gets 401; only Microsoft Entra tokens are accepted.",
  });
  const key1 = report.find((f) => f.code === 'KeyNeverRegenerated' && f.summary.startsWith('key1'))!;
  assert.deepEqual(key1.action, {
    id: fixId('POST', `${account}/regenerateKey`, { keyName: 'Key1' }),
    method: 'POST',
    path: `${account}/regenerateKey`,
    apiVersion: '2024-10-01',
    body: { keyName: 'Key1' },
    summary: "Replaces key1 of account 'pa-acct' with a new value: whatever still sends the old key1 gets 401 at once.",
  });
  assert.equal(report.find((f) => f.code === 'NetworkOpenToAll')!.action, undefined);

  assert.equal(await apply(key1.action!), 200);
  report = await findings();
  assert.deepEqual(report.filter((f) => f.code === 'KeyNeverRegenerated').map((f) => f.summary.slice(0, 4)), ['key2']);
  assert.equal(await apply(keyAuth.action!), 200);
  assert.deepEqual((await findings()).map((f) => f.code), ['NetworkOpenToAll']);
  assert.equal((await json('openai', 'show', '-g', 'pa', '-n', 'pa-acct')).properties.disableLocalAuth, true);
});

test('an unattached identity is deleted by its action; its assignment, now orphaned, is deleted by its own', async () => {
  const account = `${sub}/resourceGroups/pa/providers/Microsoft.CognitiveServices/accounts/pa-acct`;
  const uai = await json('identity', 'create', '-g', 'pa', '-n', 'pa-uai');
  await json('role', 'assignment', 'create', '--assignee', uai.properties.principalId, '--role', 'Cognitive Services OpenAI User', '--scope', account);
  const unattached = (await findings()).find((f) => f.code === 'UnattachedUserAssignedIdentity')!;
  assert.deepEqual(unattached.action, {
    id: fixId('DELETE', uai.id),
    method: 'DELETE',
    path: uai.id,
    apiVersion: '2023-01-31',
    summary: "Deletes user-assigned identity 'pa-uai' with its federated credentials; its role assignments stay behind as orphans.",
  });
  await apply(unattached.action!);
  const orphan = (await findings()).find((f) => f.code === 'OrphanedRoleAssignment')!;
  assert.deepEqual(orphan.action, {
    id: fixId('DELETE', orphan.resource),
    method: 'DELETE',
    path: orphan.resource,
    apiVersion: '2022-04-01',
    summary: `Deletes the role assignment (Cognitive Services OpenAI User of deleted principal ${uai.properties.principalId} at ${account}): the principal loses that access at once.`,
  });
  await apply(orphan.action!);
  assert.deepEqual((await findings()).map((f) => f.code), ['NetworkOpenToAll']);
});

test("a client secret: no action while it is the app's only credential; with a federated credential, removePassword on Graph", async () => {
  const app = await json('ad', 'sp', 'create-for-rbac', '-n', 'pa-ci');
  const [credential] = await json('ad', 'sp', 'credential', 'list', '--id', app.appId);
  const only = (await findings()).find((f) => f.code === 'ApplicationUsesClientSecret')!;
  assert.equal(only.action, undefined);
  await json('ad', 'app', 'federated-credential', 'create', '--id', app.appId, '-n', 'github-main', '--issuer', 'https://token.actions.githubusercontent.com', '--subject', 'repo:o/r:ref:refs/heads/main');
  const application = await json('ad', 'app', 'show', '--id', app.appId);
  const secret = (await findings()).find((f) => f.code === 'ApplicationUsesClientSecret')!;
  assert.deepEqual(secret.action, {
    id: fixId('POST', `/v1.0/applications/${application.id}/removePassword`, { keyId: credential.keyId }),
    method: 'POST',
    path: `/v1.0/applications/${application.id}/removePassword`,
    apiVersion: null,
    body: { keyId: credential.keyId },
    summary: `Removes client secret ${credential.keyId} of application 'pa-ci': whatever signs in with it gets AADSTS7000215 from then on.`,
  });
  assert.equal(await apply(secret.action!), 204);
  assert.deepEqual((await findings()).map((f) => f.code), ['NetworkOpenToAll']);
});

test('keyless posture --fix ID applies that one-call fix and prints what it changed; an unknown id fails, --fix with --fail-on is a usage error', async () => {
  const account = (await json('openai', 'create', '-g', 'pa', '-n', 'pa-cli')).id as string;
  const keyAuth = (await findings()).find((f) => f.code === 'KeyAuthenticationEnabled' && f.resource === account)!;
  const table = await runCli(keyless.dataDir, ['posture']);
  assert.match(table.stdout, new RegExp(`^medium\\s+KeyAuthenticationEnabled\\s+${account}\\s.*\\s${keyAuth.action!.id}$`, 'm'));
  const fixed = await json('posture', '--fix', keyAuth.action!.id.toUpperCase());
  assert.deepEqual(fixed, keyAuth);
  assert.equal((await json('openai', 'show', '-g', 'pa', '-n', 'pa-cli')).properties.disableLocalAuth, true);
  assert.equal((await findings()).some((f) => f.code === 'KeyAuthenticationEnabled'), false);

  const again = await runCli(keyless.dataDir, ['posture', '--fix', keyAuth.action!.id]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, new RegExp(`No finding has a one-call fix with id '${keyAuth.action!.id}'; \`keyless posture\` lists the current ones \\(FixId\\)\\.`));
  const both = await runCli(keyless.dataDir, ['posture', '--fix', keyAuth.action!.id, '--fail-on', 'high']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--fix and --fail-on exclude each other/);
});
