import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuthenticationError, AzureOpenAI } from 'openai';
import { cliJson, runCli, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { adminToken, request } from '../fixtures/http.js';
import { trustingFetch } from '../fixtures/trusting-fetch.js';

/**
 * `keyless drill leak` with real CLI runs: a leaked key and a leaked client
 * secret before and after --remediate (what worked, for how long, the
 * remediation; afterwards nothing works, as the openai package confirms), a
 * bare client id, the audit's drill records, and the flags' usage errors.
 */
let keyless: InProcessKeyless;
let account: { id: string; properties: { endpoint: string } };
let dir: string;
const json = cliJson(() => keyless.dataDir);
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(keyless.dataDir, args, env);

type Attempt = { attempt: string; target: string; worked: boolean; outcome: string; lasts: string };
type Drill = { drillId: string; item: string; target: string; before: Attempt[]; remediation: { command: string; why: string }[]; remediated: boolean; after?: Attempt[] };

const drill = async (args: string[], env: NodeJS.ProcessEnv = {}): Promise<Drill> => {
  const run = await cli(['drill', 'leak', ...args, '-o', 'json'], env);
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as Drill;
};
const rows = (attempts: readonly Attempt[]) => attempts.map((a) => [a.attempt, a.target, a.outcome]);
const chat = (openai: AzureOpenAI) => openai.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] });

before(async () => {
  keyless = await startInProcess();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-drill-'));
  await json('group', 'create', '-n', 'dr');
  account = await json('openai', 'create', '-g', 'dr', '-n', 'dr-acct');
  await json('openai', 'deployment', 'create', '-g', 'dr', '-n', 'dr-acct', '--deployment-name', 'chat', '--model-name', 'gpt-4o-mini');
  await json('openai', 'deployment', 'create', '-g', 'dr', '-n', 'dr-acct', '--deployment-name', 'embed', '--model-name', 'text-embedding-3-small');
});
after(async () => {
  await keyless.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('keyless drill leak', () => {
  test('--key: every deployment answers the key until key1 is regenerated; --remediate regenerates it and then nothing works', async () => {
    const { key1, key2 } = await json('openai', 'keys', 'list', '-g', 'dr', '-n', 'dr-acct');
    const openai = (apiKey: string) => new AzureOpenAI({ endpoint: account.properties.endpoint, apiKey, apiVersion: '2024-10-21', maxRetries: 0, fetch: trustingFetch(keyless.info.caPath) });

    const dry = await drill(['--key', 'dr-acct']);
    assert.equal(dry.item, 'key');
    assert.equal(dry.target, 'dr-acct/key1');
    assert.deepEqual(rows(dry.before), [
      ['call chat/completions with key1 of dr-acct', 'dr-acct/chat', 'worked (200)'],
      ['call embeddings with key1 of dr-acct', 'dr-acct/embed', 'worked (200)'],
    ]);
    assert.ok(dry.before.every((a) => a.worked && a.lasts === 'until key1 of dr-acct is regenerated'));
    assert.deepEqual(dry.remediation, [{ command: 'keyless openai keys regenerate -g dr -n dr-acct --key-name key1', why: 'ends key1 of dr-acct at once' }]);
    assert.equal(dry.remediated, false);
    assert.equal(dry.after, undefined);
    assert.ok(!JSON.stringify(dry).includes(key1), 'the key is never printed');
    assert.equal((await chat(openai(key1))).object, 'chat.completion', 'without --remediate nothing changed');

    const table = await cli(['drill', 'leak', '--key', 'dr-acct/key1']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^Phase\s+Attempt\s+Target\s+Outcome\s+For how long$/m);
    assert.match(table.stdout, /^leak\s+call chat\/completions with key1 of dr-acct\s+dr-acct\/chat\s+worked \(200\)\s+until key1 of dr-acct is regenerated$/m);
    assert.match(table.stdout, /^remediation \(to run\)\s+keyless openai keys regenerate -g dr -n dr-acct --key-name key1\s+ends key1 of dr-acct at once$/m);

    const fixed = await drill(['--key', 'dr-acct/key1', '--remediate']);
    assert.equal(fixed.remediated, true);
    assert.deepEqual(rows(fixed.after!), [
      ['call chat/completions with key1 of dr-acct', 'dr-acct/chat', 'refused (401)'],
      ['call embeddings with key1 of dr-acct', 'dr-acct/embed', 'refused (401)'],
    ]);
    await assert.rejects(chat(openai(key1)), (e: unknown) => e instanceof AuthenticationError && e.status === 401);
    assert.equal((await chat(openai(key2))).object, 'chat.completion', 'key2 was not part of the leak');

    // The drill announced itself, and its requests carried its id: `audit list --drill` gives them all, newest first.
    const trail = await json('audit', 'list', '--drill', fixed.drillId);
    assert.ok(trail.every((r: { drill: string }) => r.drill === fixed.drillId));
    assert.deepEqual([trail[0].surface, trail[0].operation, trail[0].requestId], ['drill', 'POST /providers/Keyless/drills/end', fixed.drillId]);
    assert.deepEqual([trail.at(-1).surface, trail.at(-1).operation, trail.at(-1).requestId], ['drill', 'POST /providers/Keyless/drills/start', fixed.drillId]);
    assert.equal(trail.at(-1).reason, `leak drill ${fixed.drillId} started: key dr-acct/key1`);
    assert.equal(trail[0].reason, `leak drill ${fixed.drillId} ended: key dr-acct/key1: 2 of 2 attempts worked; remediated (keyless openai keys regenerate -g dr -n dr-acct --key-name key1); afterwards 0 of 2 worked`);
    const calls = trail.slice(1, -1).map((r: { surface: string; decision: string; keyName: string; deployment?: string }) => [r.surface, r.decision, r.keyName, r.deployment ?? null]);
    assert.deepEqual(calls.sort(), [
      ['openai', 'allowed', 'key1', 'chat'],
      ['openai', 'allowed', 'key1', 'embed'],
      ['openai', 'denied', null, null],
      ['openai', 'denied', null, null],
    ]);
    assert.ok(!JSON.stringify(trail).includes(key1), 'the audit never holds the key');
  });

  test('--client-secret: tokens, deployments and what ARM allows; --remediate removes the secret and revokes the tokens, then nothing works', async () => {
    const app = await json('ad', 'sp', 'create-for-rbac', '-n', 'dr-leaky', '--role', 'Cognitive Services OpenAI User', '--scopes', account.id);
    const secretFile = path.join(dir, 'secret');
    fs.writeFileSync(secretFile, `${app.password}\n`);
    const [credential] = await json('ad', 'sp', 'credential', 'list', '--id', app.appId);

    const dry = await drill(['--client-secret', app.appId, '--secret-env', 'LEAKED_SECRET'], { LEAKED_SECRET: app.password });
    assert.equal(dry.target, app.appId);
    assert.deepEqual(rows(dry.before), [
      ['get a data-plane token with the client secret', 'token endpoint', 'token issued'],
      ['get a control-plane (ARM) token with the client secret', 'token endpoint', 'token issued'],
      ['call chat/completions with the data-plane token from the secret', 'dr-acct/chat', 'worked (200)'],
      ['call embeddings with the data-plane token from the secret', 'dr-acct/embed', 'worked (200)'],
      ['list resource groups with the data-plane token from the secret', 'ARM', 'refused (401 InvalidAuthenticationTokenAudience)'],
      ['list the keys with the data-plane token from the secret', 'dr-acct', 'refused (401 InvalidAuthenticationTokenAudience)'],
      ['call chat/completions with the control-plane (ARM) token from the secret', 'dr-acct/chat', 'refused (401)'],
      ['call embeddings with the control-plane (ARM) token from the secret', 'dr-acct/embed', 'refused (401)'],
      ['list resource groups with the control-plane (ARM) token from the secret', 'ARM', 'sees nothing (200, an empty list)'],
      ['list the keys with the control-plane (ARM) token from the secret', 'dr-acct', 'refused (403 AuthorizationFailed)'],
    ]);
    assert.match(dry.before[0]!.lasts, /^this token until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \((59|[6-8]\d|90) min left\); new ones until the secret is removed$/);
    assert.match(dry.before[2]!.lasts, /^until \d{4}-.*Z \(\d+ min left\)$/);
    assert.deepEqual(dry.remediation.map((s) => s.command), [
      `keyless ad sp credential delete --id ${app.appId} --key-id ${credential.keyId}`,
      'keyless signing-key rotate --emergency',
    ]);
    assert.ok(!JSON.stringify(dry).includes(app.password), 'the secret is never printed');

    // A token the app (or the attacker) got before the remediation, used by the openai package.
    const issued = await request(keyless.info.caPath, 'POST', `${keyless.info.baseUrl}/${keyless.info.tenantId}/oauth2/v2.0/token`, {
      form: { grant_type: 'client_credentials', client_id: app.appId, client_secret: app.password, scope: 'https://cognitiveservices.azure.com/.default' },
    });
    const token = issued.json().access_token as string;
    const withToken = new AzureOpenAI({ endpoint: account.properties.endpoint, azureADTokenProvider: async () => token, apiVersion: '2024-10-21', maxRetries: 0, fetch: trustingFetch(keyless.info.caPath) });
    assert.equal((await chat(withToken)).object, 'chat.completion');

    const fixed = await drill(['--client-secret', app.appId, '--secret-file', secretFile, '--remediate']);
    assert.equal(fixed.after!.filter((a) => a.worked).length, 0, JSON.stringify(fixed.after, null, 1));
    assert.deepEqual(rows(fixed.after!).slice(0, 2), [
      ['get a data-plane token with the client secret', 'token endpoint', 'refused (401 invalid_client AADSTS7000215)'],
      ['get a control-plane (ARM) token with the client secret', 'token endpoint', 'refused (401 invalid_client AADSTS7000215)'],
    ]);
    // The tokens the attacker got before the remediation were tried again, and refused.
    assert.ok(fixed.after!.some((a) => a.attempt === 'call chat/completions with the data-plane token from the secret' && a.outcome === 'refused (401)'));
    await assert.rejects(chat(withToken), (e: unknown) => e instanceof AuthenticationError && e.status === 401);
    assert.deepEqual(await json('ad', 'sp', 'credential', 'list', '--id', app.appId), []);
    // The token endpoint's decisions carry the drill's id too: the two tokens issued before the remediation, the two refusals after it.
    const entra = (await json('audit', 'list', '--drill', fixed.drillId)).filter((r: { surface: string }) => r.surface === 'entra');
    assert.deepEqual(entra.map((r: { decision: string; reason: string }) => [r.decision, r.reason]), [
      ['denied', `client ${app.appId}: InvalidSecret`],
      ['denied', `client ${app.appId}: InvalidSecret`],
      ['allowed', `secret for ${keyless.info.baseUrl}`],
      ['allowed', 'secret for https://cognitiveservices.azure.com'],
    ]);
  });

  test('--token: used on the data plane and ARM until its exp; --remediate rotates the signing keys in an emergency, then it is refused', async () => {
    const app = await json('ad', 'sp', 'create-for-rbac', '-n', 'dr-token', '--role', 'Cognitive Services OpenAI User', '--scopes', account.id);
    const issued = await request(keyless.info.caPath, 'POST', `${keyless.info.baseUrl}/${keyless.info.tenantId}/oauth2/v2.0/token`, {
      form: { grant_type: 'client_credentials', client_id: app.appId, client_secret: app.password, scope: 'https://cognitiveservices.azure.com/.default' },
    });
    const tokenFile = path.join(dir, 'token');
    fs.writeFileSync(tokenFile, issued.json().access_token);
    const result = await drill(['--token', tokenFile, '--remediate']);
    assert.equal(result.target, `token file ${tokenFile}`);
    assert.deepEqual(result.before.filter((a) => a.worked).map((a) => a.target), ['dr-acct/chat', 'dr-acct/embed']);
    assert.match(result.before[0]!.lasts, /^until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(\d+ min left\)$/);
    assert.deepEqual(result.remediation, [{ command: 'keyless signing-key rotate --emergency', why: 'tokens already issued stop working (every app must get new ones)' }]);
    assert.deepEqual(result.after!.filter((a) => a.worked), []);
    assert.equal(result.after![0]!.outcome, 'refused (401)');
  });

  test('--client-id alone: no identity endpoint and not the token endpoint give anything; nothing to remediate', async () => {
    const identity = await json('identity', 'create', '-g', 'dr', '-n', 'dr-uai');
    const result = await drill(['--client-id', identity.properties.clientId, '--remediate']);
    assert.deepEqual(result.before.map((a) => [a.target, a.worked]), [
      ['App Service endpoint', false],
      ['App Service endpoint', false],
      ['IMDS endpoint', false],
      ['token endpoint', false],
    ]);
    assert.deepEqual(result.remediation, []);
    assert.equal(result.after!.filter((a) => a.worked).length, 0);
  });

  test('--key of an account that refuses keys: nothing to try, nothing to remediate', async () => {
    await json('openai', 'create', '-g', 'dr', '-n', 'dr-keyless', '--disable-local-auth', 'true');
    const result = await drill(['--key', 'dr-keyless/key2']);
    assert.deepEqual(result.before, [{ attempt: 'use key2 of dr-keyless', target: 'dr-keyless', worked: false, outcome: 'refused: the account refuses keys (disableLocalAuth)', lasts: '' }]);
    assert.deepEqual(result.remediation, []);
  });

  test('the drills API: ARM error bodies for a bad item or id, AuthorizationFailed without Keyless/drills/write', async () => {
    const base = `${keyless.info.baseUrl}/subscriptions/${keyless.info.subscriptionId}/providers/Keyless`;
    const admin = await adminToken(keyless.info.caPath, keyless.info.baseUrl, keyless.admin());
    const post = (url: string, token: string, body: object) => request(keyless.info.caPath, 'POST', `${url}?api-version=2026-01-01`, { headers: { authorization: `Bearer ${token}` }, body });
    const badItem = await post(`${base}/drills/start`, admin, { item: 'password', target: 'x' });
    assert.equal(badItem.status, 400);
    assert.deepEqual(badItem.json(), { error: { code: 'InvalidRequestContent', message: "'item' must be one of key, clientId, clientSecret, token." } });
    const badId = await post(`${base}/drills/end`, admin, { drillId: 'nope', summary: '' });
    assert.deepEqual(badId.json(), { error: { code: 'InvalidRequestContent', message: "'drillId' must be the id that drills/start returned." } });
    const badFilter = await request(keyless.info.caPath, 'GET', `${base}/auditRecords?api-version=2026-01-01&drill=nope`, { headers: { authorization: `Bearer ${admin}` } });
    assert.deepEqual(badFilter.json(), { error: { code: 'InvalidRequestContent', message: "The 'drill' parameter must be a drill id (a GUID)." } });

    const reader = await json('ad', 'sp', 'create-for-rbac', '-n', 'dr-reader', '--role', 'Reader', '--scopes', `/subscriptions/${keyless.info.subscriptionId}`);
    const readerToken = await adminToken(keyless.info.caPath, keyless.info.baseUrl, { tenantId: keyless.info.tenantId, clientId: reader.appId, clientSecret: reader.password });
    const refused = await post(`${base}/drills/start`, readerToken, { item: 'key', target: 'dr-acct/key1' });
    assert.equal(refused.status, 403);
    assert.equal(refused.json().error.code, 'AuthorizationFailed');
    assert.match(refused.json().error.message, /'Keyless\/drills\/write'/);
  });

  test('usage: exactly one item; a client secret only from a file or a variable; an unknown account', async () => {
    const none = await cli(['drill', 'leak']);
    assert.equal(none.code, 2);
    assert.equal(none.stderr, 'ERROR: give exactly one of --key, --client-id, --client-secret and --token.\n');
    const two = await cli(['drill', 'leak', '--key', 'dr-acct', '--client-id', 'x']);
    assert.equal(two.code, 2);
    const noValue = await cli(['drill', 'leak', '--client-secret', 'x']);
    assert.equal(noValue.code, 2);
    assert.equal(noValue.stderr, 'ERROR: --client-secret needs the value from exactly one of --secret-file FILE and --secret-env VARIABLE.\n');
    const wrongKey = await cli(['drill', 'leak', '--key', 'dr-acct/key3']);
    assert.equal(wrongKey.code, 2);
    assert.equal(wrongKey.stderr, "ERROR: --key 'dr-acct/key3': expected ACCOUNT, ACCOUNT/key1 or ACCOUNT/key2.\n");
    const admin = keyless.admin();
    const own = await cli(['drill', 'leak', '--client-secret', admin.clientId, '--secret-env', 'ADMIN_SECRET', '--remediate'], { ADMIN_SECRET: admin.clientSecret });
    assert.equal(own.code, 1);
    assert.equal(own.stderr, `ERROR: ${admin.clientId} is Keyless's own admin application, whose secret the CLI signs in with: drill it without --remediate.\n`);
    const unknown = await cli(['drill', 'leak', '--key', 'nope']);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, "ERROR: No Azure OpenAI account named 'nope' in the subscription.\n");
  });
});
