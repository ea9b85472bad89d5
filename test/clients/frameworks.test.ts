import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ROOT, runCli, startKeyless, type KeylessProcess } from '../fixtures/server.js';
import { cliJson } from '../fixtures/cli-thread.js';

/**
 * The how-to's Vercel AI SDK example (docs/how-to/frameworks.md) as a user
 * runs it: its own process under `keyless run`, which sets the identity
 * endpoint variables and the CA trust; nothing Keyless-specific in the code
 * but the endpoint. The process refuses non-loopback connections.
 */
const SCENARIO = path.join(ROOT, 'dist/test/clients/scenarios/ai-sdk-app.js');
let keyless: KeylessProcess;
let endpoint: string;
const json = cliJson(() => keyless.dataDir);

async function runApp(host: string): Promise<any> {
  const run = await runCli(keyless.dataDir, ['run', '--as', host, '-g', 'fx', '--', process.execPath, SCENARIO], { KEYLESS_ENDPOINT: endpoint });
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout);
  assert.deepEqual(result.nonLoopback, [], 'no request may leave loopback');
  return result;
}

before(async () => {
  keyless = await startKeyless();
  await json('group', 'create', '-n', 'fx');
  endpoint = (await json('openai', 'create', '-g', 'fx', '-n', 'fx-openai')).properties.endpoint;
  await json('openai', 'deployment', 'create', '-g', 'fx', '-n', 'fx-openai', '--deployment-name', 'chat', '--model-name', 'gpt-4o-mini');
});
after(async () => {
  await keyless.stop();
});

test('a web app with a system identity: PermissionDenied until granted, then text and an object from the AI SDK', async () => {
  const app = await json('webapp', 'create', '-g', 'fx', '-n', 'fx-app', '--assign-identity', 'system');
  const denied = await runApp('fx-app');
  assert.deepEqual(denied.failed, {
    name: 'AI_APICallError',
    message: `The principal \`${app.identity.principalId}\` lacks the required data action \`Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action\` to perform \`POST /openai/v1/chat/completions\` operation.`,
    statusCode: 401,
  });

  await json('role', 'assignment', 'create', '--assignee', app.identity.principalId, '--role', 'Cognitive Services OpenAI User', '--scope', `/subscriptions/${keyless.info.subscriptionId}/resourceGroups/fx`);
  const allowed = await runApp('fx-app');
  assert.equal(allowed.failed, undefined);
  assert.equal(typeof allowed.text, 'string');
  assert.ok(allowed.text.length > 0);
  assert.deepEqual(Object.keys(allowed.object), ['city', 'population']);
  assert.ok(Number.isInteger(allowed.object.population));
});
