import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, runAdminScenario, runCli, startKeyless, type KeylessProcess } from '../fixtures/server.js';
// Set-up commands run on the test's CLI thread; `keyless run` (which starts the app under test) stays a real process.
import { cliJson, runCli as runCliOnThread } from '../fixtures/cli-thread.js';

/**
 * Custom roles end to end (issue 11): written with `keyless role definition`
 * in az's file shape, enforced by the same authorize() for the openai
 * package's AzureOpenAI with a managed identity's token, and round-tripped
 * by @azure/arm-authorization.
 */
const SCENARIO = path.join(ROOT, 'dist/test/clients/scenarios/openai-call.js');
const OPENAI = 'Microsoft.CognitiveServices/accounts/OpenAI';
const CHAT = `${OPENAI}/deployments/chat/completions/action`;
const EMBEDDINGS = `${OPENAI}/deployments/embeddings/action`;

let keyless: KeylessProcess;
let endpoint: string;
let sub: string;
let account: string;
let principalId: string;
let files: string;
const json = cliJson(() => keyless.dataDir);
const cli = (...args: string[]) => runCliOnThread(keyless.dataDir, args);

const denied = (action: string, operation: string) => ({
  status: 401,
  error: {
    code: 'PermissionDenied',
    message: `The principal \`${principalId}\` lacks the required data action \`${action}\` to perform \`POST /openai/deployments/{deployment-id}/${operation}\` operation.`,
  },
});
/** The failure as the openai package reports it, without its request id (a fresh GUID each time). */
const failedWith = (step: { failed?: { status: number; error: unknown; requestId: unknown } }) => {
  assert.match(String(step.failed?.requestId), /^[0-9a-f-]{36}$/);
  return { status: step.failed?.status, error: step.failed?.error };
};

/** Chat then embeddings from inside the web app, with ManagedIdentityCredential and AzureOpenAI. */
async function chatAndEmbed(): Promise<{ chat: any; embeddings: any }> {
  const run = await runCli(keyless.dataDir, ['run', '--as', 'chat-app', '-g', 'cr', '--', process.execPath, SCENARIO], {
    KEYLESS_ENDPOINT: endpoint,
    KEYLESS_DEPLOYMENT: 'chat',
    KEYLESS_EMBEDDINGS_DEPLOYMENT: 'embed',
    KEYLESS_CREDENTIAL: 'managed',
    KEYLESS_STEPS: 'chat,embeddings',
  });
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout);
  assert.deepEqual(result.nonLoopback, [], 'no request may leave loopback');
  return result;
}

function roleFile(name: string, content: object): string {
  const file = path.join(files, name);
  fs.writeFileSync(file, JSON.stringify(content));
  return file;
}

before(async () => {
  keyless = await startKeyless();
  files = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-roles-'));
  sub = `/subscriptions/${keyless.info.subscriptionId}`;
  await json('group', 'create', '-n', 'cr');
  endpoint = (await json('openai', 'create', '-g', 'cr', '-n', 'cr-openai')).properties.endpoint;
  account = `${sub}/resourceGroups/cr/providers/Microsoft.CognitiveServices/accounts/cr-openai`;
  await json('openai', 'deployment', 'create', '-g', 'cr', '-n', 'cr-openai', '--deployment-name', 'chat', '--model-name', 'gpt-4o-mini');
  await json('openai', 'deployment', 'create', '-g', 'cr', '-n', 'cr-openai', '--deployment-name', 'embed', '--model-name', 'text-embedding-3-small');
  principalId = (await json('webapp', 'create', '-g', 'cr', '-n', 'chat-app', '--assign-identity', 'system')).identity.principalId;
});
after(async () => {
  await keyless.stop();
  fs.rmSync(files, { recursive: true, force: true });
});

test('a custom role with only chat completions: the identity chats, and gets the exact 401 PermissionDenied for embeddings', async () => {
  const file = roleFile('chat-only.json', {
    Name: 'Chat Only',
    IsCustom: true,
    Description: 'Chat completions, nothing else',
    Actions: [],
    NotActions: [],
    DataActions: [CHAT],
    NotDataActions: [],
    AssignableScopes: [sub],
  });
  const created = await json('role', 'definition', 'create', '--role-definition', file);
  assert.equal(created.properties.roleName, 'Chat Only');
  assert.equal(created.properties.type, 'CustomRole');
  assert.deepEqual(created.properties.permissions, [{ actions: [], notActions: [], dataActions: [CHAT], notDataActions: [] }]);
  const listed = await json('role', 'definition', 'list', '--custom-role-only');
  assert.deepEqual(listed.map((d: { name: string }) => d.name), [created.name]);
  await json('role', 'assignment', 'create', '--assignee', principalId, '--role', 'Chat Only', '--scope', account);

  const result = await chatAndEmbed();
  assert.equal(typeof result.chat.content, 'string');
  assert.ok(result.chat.content.length > 0);
  assert.deepEqual(failedWith(result.embeddings), denied(EMBEDDINGS, 'embeddings'));
});

test('an update takes effect on the next request: notDataActions subtract from the same role', async () => {
  // The file as `role definition list` prints it (ARM names, its id), edited: all deployment actions but chat.
  const [current] = await json('role', 'definition', 'list', '--name', 'Chat Only');
  current.properties.permissions = [{ actions: [], notActions: [], dataActions: [`${OPENAI}/deployments/*`], notDataActions: [CHAT] }];
  const updated = await json('role', 'definition', 'update', '--role-definition', roleFile('edited.json', current));
  assert.equal(updated.name, current.name);
  assert.equal(updated.properties.createdOn, current.properties.createdOn);

  const result = await chatAndEmbed();
  assert.deepEqual(failedWith(result.chat), denied(CHAT, 'chat/completions'));
  assert.equal(result.embeddings.count, 2);
});

test('role definition delete is refused while the role is assigned, and works once it is not', async () => {
  const refused = await cli('role', 'definition', 'delete', '--name', 'Chat Only');
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /\(RoleDefinitionHasAssignments\) There are existing role assignments referencing role\./);
  const assignments = await json('role', 'assignment', 'list', '--assignee', principalId, '--all');
  assert.equal((await cli('role', 'assignment', 'delete', '--ids', ...assignments.map((a: { id: string }) => a.id))).code, 0);
  const deleted = await cli('role', 'definition', 'delete', '--name', 'Chat Only');
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.deepEqual(await json('role', 'definition', 'list', '--custom-role-only'), []);
  const again = await cli('role', 'definition', 'delete', '--name', 'Chat Only');
  assert.equal(again.code, 1);
  assert.match(again.stderr, /Role 'Chat Only' doesn't exist\./);
});

test("@azure/arm-authorization's roleDefinitions: createOrUpdate, get, list, update, an invalid action, delete", async () => {
  const result = await runAdminScenario(keyless, 'arm-role-definitions');
  const expected = (description: string) => ({
    id: `${sub}/providers/Microsoft.Authorization/roleDefinitions/${result.id}`,
    name: result.id,
    roleName: 'SDK Chat',
    roleType: 'CustomRole',
    permissions: [{ actions: [], notActions: [], dataActions: [CHAT], notDataActions: [] }],
    assignableScopes: [sub],
    description,
  });
  assert.deepEqual(result.created, expected('from the SDK'));
  assert.deepEqual(result.got, expected('from the SDK'));
  assert.deepEqual(result.listed, ['SDK Chat']);
  assert.deepEqual(result.updated, expected('updated'));
  assert.deepEqual(result.invalid, { statusCode: 400, code: 'InvalidActionOrNotAction' });
  assert.deepEqual(result.deleted, expected('updated'));
  assert.deepEqual(result.afterDelete, { statusCode: 404, code: 'RoleDefinitionDoesNotExist' });
});
