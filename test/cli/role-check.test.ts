import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readAdminCredential, startKeyless, type KeylessProcess } from '../fixtures/server.js';
import { cliJson, runCli } from '../fixtures/cli-thread.js';
import { adminToken, request } from '../fixtures/http.js';

/**
 * `keyless role check`, `keyless role who-can` and `keyless audit list --denied`
 * against a real `keyless up`: allowed, denied (with the exact fix command,
 * which works when run), orphaned, and who can grant themselves.
 */
let keyless: KeylessProcess;
let sub: string;
let account: { id: string; properties: { endpoint: string } };
let chatApp: { appId: string; password: string; id: string };
let deployer: { appId: string; password: string; id: string };
let orphanId: string;
let adminId: string;
const json = cliJson(() => keyless.dataDir);
const cli = (...args: string[]) => runCli(keyless.dataDir, args);
const CHAT = 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action';
const EMBEDDINGS = 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/embeddings/action';

async function app(name: string, role: string, scope: string): Promise<{ appId: string; password: string; id: string }> {
  const created = await json('ad', 'sp', 'create-for-rbac', '-n', name, '--role', role, '--scopes', scope);
  const { id } = (await json('ad', 'sp', 'show', '--id', created.appId)) as { id: string };
  return { appId: created.appId, password: created.password, id };
}

/** A command line as the fix prints it (double quotes around the role name) split into arguments. */
const argsOf = (command: string): string[] => [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');

before(async () => {
  keyless = await startKeyless();
  sub = `/subscriptions/${keyless.info.subscriptionId}`;
  adminId = ((await json('ad', 'sp', 'show', '--id', readAdminCredential(keyless.dataDir).clientId)) as { id: string }).id;
  await json('group', 'create', '-n', 'ai');
  account = await json('openai', 'create', '-g', 'ai', '-n', 'aoai');
  await json('openai', 'deployment', 'create', '-g', 'ai', '-n', 'aoai', '--deployment-name', 'chat', '--model-name', 'gpt-4o-mini');
  chatApp = await app('chat-app', 'Cognitive Services OpenAI User', account.id);
  deployer = await app('deployer', 'Contributor', sub);
  const gone = await app('gone-app', 'Cognitive Services OpenAI Contributor', `${sub}/resourceGroups/ai`);
  orphanId = gone.id;
  assert.equal((await cli('ad', 'sp', 'delete', '--id', gone.appId)).code, 0);
});
after(async () => {
  await keyless?.stop();
});

describe('keyless role check', () => {
  test('allowed: by display name, for a deployment given as its data-plane URL', async () => {
    const url = `${account.properties.endpoint}openai/deployments/chat/chat/completions?api-version=2024-10-21`;
    const res = await cli('role', 'check', '--assignee', 'chat-app', '--deployment', url, '--operation', 'chat');
    assert.equal(res.code, 0, res.stderr);
    const lines = res.stdout.split('\n');
    assert.equal(lines[0], `Allowed: ${chatApp.id} (chat-app), data action ${CHAT} at ${account.id}`);
    assert.match(lines[2] ?? '', /^Effect +Role +AssignmentScope +Why +Assignment$/);
    assert.match(lines[4] ?? '', new RegExp(`^grants +Cognitive Services OpenAI User +${account.id} +matches '${CHAT}' +${account.id}/providers/Microsoft.Authorization/roleAssignments/[0-9a-f-]{36}$`));
    assert.ok(!res.stdout.includes('Fix'));
  });

  test('denied: by client id, account/deployment; the exact fix command, which works when run', async () => {
    const res = await cli('role', 'check', '--assignee', deployer.appId, '--deployment', 'aoai/chat', '--operation', 'embeddings', '-o', 'json');
    assert.equal(res.code, 0, res.stderr);
    const answer = JSON.parse(res.stdout);
    assert.equal(answer.allowed, false);
    assert.equal(answer.action, EMBEDDINGS);
    assert.deepEqual(answer.principal, { id: deployer.id, displayName: 'deployer', exists: true });
    const command = `keyless role assignment create --assignee ${deployer.id} --role "Cognitive Services OpenAI User" --scope ${account.id}`;
    assert.equal(answer.fix.command, command);

    const table = await cli('role', 'check', '--assignee', deployer.id, '--scope', account.id, '--data-action', EMBEDDINGS);
    assert.equal(table.code, 0, table.stderr);
    assert.ok(table.stdout.startsWith(`Denied: ${deployer.id} (deployer), data action ${EMBEDDINGS} at ${account.id}\n`), table.stdout);
    assert.match(table.stdout, new RegExp(`does not grant +Contributor +${sub} +only its actions \\('\\*'\\) match, and those never grant a data action`));
    assert.ok(table.stdout.endsWith(`Fix (the narrowest built-in role, Cognitive Services OpenAI User):\n  ${command}\n`), table.stdout);

    const [keyless_, ...args] = argsOf(command);
    assert.equal(keyless_, 'keyless');
    assert.equal((await runCli(keyless.dataDir, args)).code, 0);
    const after = JSON.parse((await cli('role', 'check', '--assignee', deployer.id, '--scope', account.id, '--data-action', EMBEDDINGS, '-o', 'json')).stdout);
    assert.equal(after.allowed, true);
    assert.equal(after.grantedBy[0].roleName, 'Cognitive Services OpenAI User');
  });

  test('orphaned: a deleted principal\'s object id, whose assignment still grants', async () => {
    const res = await cli('role', 'check', '--assignee', orphanId, '--scope', account.id, '--data-action', CHAT);
    assert.equal(res.code, 0, res.stderr);
    assert.ok(res.stdout.startsWith(`Allowed: ${orphanId} (no such principal: its assignments are orphaned), data action ${CHAT} at ${account.id}\n`), res.stdout);
    assert.match(res.stdout, /grants +Cognitive Services OpenAI Contributor +\/subscriptions\/[^ ]+\/resourceGroups\/ai +matches 'Microsoft.CognitiveServices\/accounts\/OpenAI\/\*'/);
  });

  test('usage errors exit 2; an unknown name or account exits 1', async () => {
    const both = await cli('role', 'check', '--assignee', chatApp.id, '--scope', account.id, '--action', 'a/b', '--data-action', CHAT);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /give exactly one of --action, --data-action and --deployment/);
    const noOperation = await cli('role', 'check', '--assignee', chatApp.id, '--deployment', 'aoai/chat');
    assert.equal(noOperation.code, 2);
    assert.match(noOperation.stderr, /--operation must be one of: chat, completions, embeddings, responses, images, audio/);
    const scoped = await cli('role', 'check', '--assignee', chatApp.id, '--deployment', 'aoai/chat', '--operation', 'chat', '--scope', account.id);
    assert.equal(scoped.code, 2);
    const nobody = await cli('role', 'check', '--assignee', 'no-such-app', '--scope', account.id, '--data-action', CHAT);
    assert.equal(nobody.code, 1);
    assert.match(nobody.stderr, /No service principal is named 'no-such-app'/);
    const noAccount = await cli('role', 'check', '--assignee', chatApp.id, '--deployment', 'nope/chat', '--operation', 'chat');
    assert.equal(noAccount.code, 1);
    assert.match(noAccount.stderr, /No Azure OpenAI account has the endpoint name 'nope'/);
    const noDeployment = await cli('role', 'check', '--assignee', chatApp.id, '--deployment', 'aoai/nope', '--operation', 'chat');
    assert.equal(noDeployment.code, 1);
  });
});

describe('keyless role who-can', () => {
  test('holders, the orphan, and who can grant themselves', async () => {
    const res = await cli('role', 'who-can', '--scope', account.id, '--data-action', CHAT);
    assert.equal(res.code, 0, res.stderr);
    const rows = res.stdout.trimEnd().split('\n');
    assert.match(rows[0] ?? '', /^Principal +Name +Access +Role +AssignmentScope +Pattern$/);
    const body = rows.slice(2);
    assert.ok(body.some((r) => r.startsWith(chatApp.id) && /chat-app +holds it +Cognitive Services OpenAI User/.test(r)), res.stdout);
    assert.ok(body.some((r) => r.startsWith(orphanId) && /\(deleted: orphaned assignment\) +holds it +Cognitive Services OpenAI Contributor/.test(r)), res.stdout);
    assert.ok(body.some((r) => r.startsWith(adminId) && /can grant itself +Owner +\/subscriptions\/[^ ]+ +\*$/.test(r)), res.stdout);
    const answer = JSON.parse((await cli('role', 'who-can', '--scope', account.id, '--data-action', CHAT, '-o', 'json')).stdout);
    assert.ok(answer.value.some((p: { principalId: string; orphaned: boolean }) => p.principalId === orphanId && p.orphaned));
    const none = await cli('role', 'who-can', '--scope', account.id);
    assert.equal(none.code, 2);
  });
});

describe('keyless audit list --denied', () => {
  test('only denials, each with why and the fix; the data plane answered Azure\'s body', async () => {
    // A principal of its own: the test above granted the deployer a data role by running its fix.
    const builder = await app('builder', 'Contributor', `${sub}/resourceGroups/ai`);
    const token = await adminToken(keyless.info.caPath, keyless.info.baseUrl, { tenantId: keyless.info.tenantId, clientId: builder.appId, clientSecret: builder.password }, 'https://cognitiveservices.azure.com');
    const res = await request(keyless.info.caPath, 'POST', `${account.properties.endpoint}openai/deployments/chat/chat/completions?api-version=2024-10-21`, {
      headers: { authorization: `Bearer ${token}` },
      body: { messages: [{ role: 'user', content: 'hi' }] },
    });
    assert.equal(res.status, 401);
    assert.deepEqual(res.json(), {
      error: {
        code: 'PermissionDenied',
        message: `The principal \`${builder.id}\` lacks the required data action \`${CHAT}\` to perform \`POST /openai/deployments/{deployment-id}/chat/completions\` operation.`,
      },
    });
    const listed = JSON.parse((await cli('audit', 'list', '--denied', '-o', 'json')).stdout) as Record<string, unknown>[];
    assert.ok(listed.length > 0 && listed.every((r) => r['decision'] === 'denied'));
    const fix = `keyless role assignment create --assignee ${builder.id} --role "Cognitive Services OpenAI User" --scope ${account.id}`;
    assert.ok(listed.some((r) => r['principalId'] === builder.id && r['fix'] === fix));
    const table = await cli('audit', 'list', '--denied');
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout.split('\n')[0] ?? '', /^Time +Surface +Operation +Principal +Why +Fix$/);
    assert.ok(table.stdout.includes(fix), table.stdout);
    assert.ok(table.stdout.includes(`principal ${builder.id} lacks data action ${CHAT} at ${account.id}: Contributor at ${sub}/resourceGroups/ai`), table.stdout);
  });
});
