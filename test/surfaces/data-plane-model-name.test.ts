import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cliJson, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { request } from '../fixtures/http.js';

/**
 * The `model` a simulated answer names: Azure's name for the deployed model
 * and version (gpt-4o-mini 2024-07-18 answers `gpt-4o-mini-2024-07-18`,
 * gpt-35-turbo-instruct `gpt-35-turbo-instruct`, text-embedding-ada-002 `ada`),
 * in every kind of answer and in each streamed chunk.
 */
let keyless: InProcessKeyless;
let endpoint: string;
let key: string;
const json = cliJson(() => keyless.dataDir);
const Q = '?api-version=2024-10-21';

const post = (path: string, body: object) =>
  request(keyless.info.caPath, 'POST', `${endpoint}${path}`, { headers: { 'api-key': key }, body });
/** The `data:` lines of an SSE answer, parsed (without `[DONE]`). */
const events = (text: string) =>
  text.split('\n').filter((l) => l.startsWith('data: ') && l !== 'data: [DONE]').map((l) => JSON.parse(l.slice(6)) as Record<string, unknown>);

before(async () => {
  keyless = await startInProcess();
  await json('group', 'create', '-n', 'mn');
  endpoint = (await json('openai', 'create', '-g', 'mn', '-n', 'mn-openai')).properties.endpoint;
  const deploy = (name: string, model: string, ...version: string[]) =>
    json('openai', 'deployment', 'create', '-g', 'mn', '-n', 'mn-openai', '--deployment-name', name, '--model-name', model, ...version);
  await deploy('mini', 'gpt-4o-mini');
  await deploy('four-o', 'gpt-4o', '--model-version', '2024-08-06');
  await deploy('turbo', 'gpt-35-turbo');
  await deploy('instruct', 'gpt-35-turbo-instruct');
  await deploy('ada', 'text-embedding-ada-002');
  await deploy('small', 'text-embedding-3-small');
  key = (await json('openai', 'keys', 'list', '-g', 'mn', '-n', 'mn-openai')).key1;
});
after(async () => {
  await keyless.stop();
});

test('chat completions name the model and its dated version, or the name alone for other versions', async () => {
  const chat = { messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 };
  for (const [deployment, model] of [['mini', 'gpt-4o-mini-2024-07-18'], ['four-o', 'gpt-4o-2024-08-06'], ['turbo', 'gpt-35-turbo']]) {
    const res = await post(`openai/deployments/${deployment}/chat/completions${Q}`, chat);
    assert.equal(res.status, 200);
    const body = res.json();
    assert.deepEqual(Object.keys(body), ['id', 'object', 'created', 'model', 'system_fingerprint', 'choices', 'usage', 'prompt_filter_results']);
    assert.equal(body.model, model, deployment);
  }
  // The v1 API names the deployment in `model` and answers Azure's model name.
  const v1 = await post('openai/v1/chat/completions', { ...chat, model: 'mini' });
  assert.equal(v1.json().model, 'gpt-4o-mini-2024-07-18');
});

test("streamed chunks name it too, after the prompt filter chunk's empty model", async () => {
  const res = await post(`openai/deployments/mini/chat/completions${Q}`, { messages: [{ role: 'user', content: 'hi' }], max_tokens: 3, stream: true });
  const chunks = events(res.text);
  assert.equal(chunks[0]?.['model'], '');
  assert.ok(chunks.length > 2);
  for (const chunk of chunks.slice(1)) assert.equal(chunk['model'], 'gpt-4o-mini-2024-07-18');
});

test('completions, embeddings and responses', async () => {
  assert.equal((await post(`openai/deployments/instruct/completions${Q}`, { prompt: 'hi', max_tokens: 3 })).json().model, 'gpt-35-turbo-instruct');
  const ada = (await post(`openai/deployments/ada/embeddings${Q}`, { input: 'hi' })).json();
  assert.deepEqual({ ...ada, data: [] }, { object: 'list', data: [], model: 'ada', usage: { prompt_tokens: 1, total_tokens: 1 } });
  assert.equal((await post(`openai/deployments/small/embeddings${Q}`, { input: 'hi' })).json().model, 'text-embedding-3-small');
  assert.equal((await post('openai/v1/responses', { model: 'four-o', input: 'hi' })).json().model, 'gpt-4o-2024-08-06');
});
