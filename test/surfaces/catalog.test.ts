import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Agent, fetch as undiciFetch } from 'undici';
import OpenAI, { AzureOpenAI } from 'openai';
import { cliJson, runCli, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { adminToken, request, type HttpResult } from '../fixtures/http.js';

/**
 * The model catalog and what the data plane checks against it: Azure's
 * `GET /openai/models` (and v1's), the old deployment list, OperationNotSupported,
 * the operations Keyless refuses, api-versions, and the deployment models ARM
 * accepts. With the openai package where a client would be involved.
 */
let keyless: InProcessKeyless;
let endpoint: string;
let key: string;
let agent: Agent;
let accountId: string;
const json = cliJson(() => keyless.dataDir);
const Q = '?api-version=2024-10-21';
const CHAT = { messages: [{ role: 'user', content: 'hi' }] };
const LINK = 'Please choose different model and try again. You can learn more about which models can be used with each operation here: https://go.microsoft.com/fwlink/?linkid=2197993.';
const notSupported = (operation: string, model: string) => ({
  error: { code: 'OperationNotSupported', message: `The ${operation} operation does not work with the specified model, ${model}. ${LINK}` },
});
const NOT_FOUND = { error: { code: '404', message: 'Resource not found' } };

/** The catalog's entry for gpt-4o-mini 2024-07-18, as Keyless lists it. */
const GPT_4O_MINI = {
  status: 'succeeded',
  capabilities: { fine_tune: true, inference: true, completion: false, chat_completion: true, embeddings: false },
  lifecycle_status: 'generally-available',
  deprecation: { fine_tune: 1774915200, inference: 1774915200 },
  id: 'gpt-4o-mini-2024-07-18',
  created_at: 1721260800,
  object: 'model',
};
const ADA_002 = {
  status: 'succeeded',
  capabilities: { fine_tune: false, inference: true, completion: false, chat_completion: false, embeddings: true },
  lifecycle_status: 'generally-available',
  deprecation: { inference: 1777507200 },
  id: 'text-embedding-ada-002-2',
  created_at: 1680480000,
  object: 'model',
};
const IDS = [
  'gpt-4o-2024-05-13', 'gpt-4o-2024-08-06', 'gpt-4o-2024-11-20', 'gpt-4o-mini-2024-07-18', 'gpt-4.1-2025-04-14', 'gpt-4.1-mini-2025-04-14',
  'gpt-4.1-nano-2025-04-14', 'gpt-4-turbo-2024-04-09', 'gpt-35-turbo-0125', 'gpt-35-turbo-1106', 'gpt-35-turbo-instruct-0914', 'o1-2024-12-17',
  'o3-mini-2025-01-31', 'o4-mini-2025-04-16', 'gpt-5-2025-08-07', 'gpt-5-mini-2025-08-07', 'gpt-5-nano-2025-08-07', 'gpt-5-chat-2025-08-07',
  'text-embedding-3-small-1', 'text-embedding-3-large-1', 'text-embedding-ada-002-2',
];

const call = (method: string, path: string, headers: Record<string, string> = { 'api-key': key }, body?: object): Promise<HttpResult> =>
  request(keyless.info.caPath, method, `${endpoint}${path}`, { headers, ...(body === undefined ? {} : { body }) });

/** The openai package's own fetch, trusting only the Keyless CA. */
const fetchWithCa = ((url: string, init: object) => undiciFetch(url, { ...init, dispatcher: agent })) as unknown as typeof fetch;
const azure = (apiVersion = '2024-10-21') => new AzureOpenAI({ endpoint, apiKey: key, apiVersion, maxRetries: 0, fetch: fetchWithCa });
const v1 = () => new OpenAI({ baseURL: `${endpoint}openai/v1/`, apiKey: key, maxRetries: 0, fetch: fetchWithCa });

/** What the openai package throws, as status and body. */
async function refusal(promise: Promise<unknown>): Promise<{ status: number; error: unknown }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { status?: number; error?: unknown };
    if (e.status !== undefined) return { status: e.status, error: e.error };
    throw error;
  }
  throw new Error('the call succeeded');
}

const deploymentUrl = (name: string) =>
  `${keyless.info.baseUrl}${accountId}/deployments/${name}?api-version=2024-10-01`;

before(async () => {
  keyless = await startInProcess();
  agent = new Agent({ connect: { ca: fs.readFileSync(keyless.info.caPath) } });
  await json('group', 'create', '-n', 'cat');
  const account = await json('openai', 'create', '-g', 'cat', '-n', 'cat-openai');
  endpoint = account.properties.endpoint;
  accountId = account.id;
  await json('openai', 'deployment', 'create', '-g', 'cat', '-n', 'cat-openai', '--deployment-name', 'chat', '--model-name', 'gpt-4o-mini');
  await json('openai', 'deployment', 'create', '-g', 'cat', '-n', 'cat-openai', '--deployment-name', 'embed', '--model-name', 'text-embedding-ada-002');
  await json('openai', 'deployment', 'create', '-g', 'cat', '-n', 'cat-openai', '--deployment-name', 'instruct', '--model-name', 'gpt-35-turbo-instruct');
  key = (await json('openai', 'keys', 'list', '-g', 'cat', '-n', 'cat-openai')).key1;
});
after(async () => {
  await agent?.close();
  await keyless.stop();
});

describe('the model catalog', () => {
  test("AzureOpenAI's models.list() and retrieve() read Azure's catalog", async () => {
    const models = await azure().models.list();
    assert.deepEqual(models.data.map((m) => m.id), IDS);
    assert.deepEqual(models.data.find((m) => m.id === 'gpt-4o-mini-2024-07-18'), GPT_4O_MINI);
    assert.deepEqual(await azure('2024-02-01').models.retrieve('text-embedding-ada-002-2'), ADA_002);
  });

  test("the v1 API lists the same catalog to OpenAI's client, with no api-version", async () => {
    const models = await v1().models.list();
    assert.deepEqual(models.data.map((m) => m.id), IDS);
    assert.deepEqual(await v1().models.retrieve('gpt-4o-mini-2024-07-18'), GPT_4O_MINI);
  });

  test('the exact wire answers, and 404 for a model the catalog lacks', async () => {
    const list = await call('GET', `openai/models${Q}`);
    assert.equal(list.status, 200);
    assert.equal(list.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(Object.keys(list.json()), ['data', 'object']);
    assert.equal(list.json().object, 'list');
    const one = await call('GET', `openai/models/text-embedding-ada-002-2${Q}`);
    assert.equal(one.text, JSON.stringify(ADA_002));
    for (const path of [`openai/models/gpt-4o${Q}`, 'openai/v1/models/llama-3']) {
      const missing = await call('GET', path);
      assert.equal(missing.status, 404, path);
      assert.deepEqual(missing.json(), NOT_FOUND);
    }
    assert.deepEqual(await refusal(v1().models.retrieve('nope')), { status: 404, error: NOT_FOUND.error });
  });

  test('the deployment list exists only in the api-versions that had it', async () => {
    const old = await call('GET', 'openai/deployments?api-version=2022-12-01');
    assert.equal(old.status, 200);
    const [chat] = old.json().data;
    assert.equal(typeof chat.created_at, 'number');
    assert.deepEqual(old.json(), {
      data: ['chat', 'embed', 'instruct'].map((id, i) => ({
        scale_settings: { scale_type: 'standard' },
        model: ['gpt-4o-mini-2024-07-18', 'text-embedding-ada-002-2', 'gpt-35-turbo-instruct-0914'][i],
        owner: 'organization-owner',
        id,
        status: 'succeeded',
        created_at: old.json().data[i].created_at,
        updated_at: old.json().data[i].created_at,
        object: 'deployment',
      })),
      object: 'list',
    });
    const single = await call('GET', 'openai/deployments/EMBED?api-version=2023-03-15-preview');
    assert.deepEqual(single.json(), old.json().data[1]);
    for (const path of ['openai/deployments?api-version=2024-10-21', 'openai/deployments?api-version=2023-05-15', 'openai/deployments/chat?api-version=2024-06-01']) {
      const gone = await call('GET', path);
      assert.equal(gone.status, 404, path);
      assert.deepEqual(gone.json(), NOT_FOUND);
    }
    const unknown = await call('GET', 'openai/deployments/nope?api-version=2022-12-01');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json().error.code, 'DeploymentNotFound');
  });

  test('reads need authentication first, then the models/read or deployments/read data action', async () => {
    assert.deepEqual((await call('GET', `openai/models${Q}`, {})).json().error.code, '401');
    const token = await adminToken(keyless.info.caPath, keyless.info.baseUrl, keyless.admin(), 'https://cognitiveservices.azure.com');
    const oid = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).oid as string;
    const bearer = { authorization: `Bearer ${token}` };
    // The admin is Owner, which carries no data actions.
    const denied = await call('GET', 'openai/v1/models', bearer);
    assert.equal(denied.status, 401);
    assert.deepEqual(denied.json(), {
      error: {
        code: 'PermissionDenied',
        message: `The principal \`${oid}\` lacks the required data action \`Microsoft.CognitiveServices/accounts/OpenAI/models/read\` to perform \`GET /openai/v1/models\` operation.`,
      },
    });
    const list = await call('GET', 'openai/deployments?api-version=2022-12-01', bearer);
    assert.equal(list.json().error.message.includes('`Microsoft.CognitiveServices/accounts/OpenAI/deployments/read` to perform `GET /openai/deployments`'), true);
    await json('role', 'assignment', 'create', '--assignee', oid, '--role', 'Cognitive Services OpenAI User', '--scope', accountId);
    assert.equal((await call('GET', `openai/models${Q}`, bearer)).status, 200);
    assert.equal((await call('GET', 'openai/deployments?api-version=2022-12-01', bearer)).status, 200);
  });
});

describe('operations checked against the deployment model', () => {
  test("Azure's OperationNotSupported for each operation the model cannot do", async () => {
    const client = azure();
    assert.deepEqual(await refusal(client.embeddings.create({ model: 'chat', input: 'hi' })), { status: 400, error: notSupported('embeddings', 'gpt-4o-mini').error });
    assert.deepEqual(await refusal(client.completions.create({ model: 'chat', prompt: 'hi' })), { status: 400, error: notSupported('completion', 'gpt-4o-mini').error });
    assert.deepEqual(await refusal(client.chat.completions.create({ model: 'embed', ...CHAT } as never)), { status: 400, error: notSupported('chatCompletion', 'text-embedding-ada-002').error });
    assert.deepEqual(await refusal(client.chat.completions.create({ model: 'instruct', ...CHAT } as never)), { status: 400, error: notSupported('chatCompletion', 'gpt-35-turbo-instruct').error });
    assert.deepEqual(await refusal(v1().embeddings.create({ model: 'chat', input: 'hi' })), { status: 400, error: notSupported('embeddings', 'gpt-4o-mini').error });
    // What the model does serve still works.
    assert.equal((await client.completions.create({ model: 'instruct', prompt: 'hi', max_tokens: 3 })).object, 'text_completion');
    assert.equal((await client.embeddings.create({ model: 'embed', input: 'hi' })).data.length, 1);
  });

  test('images and audio: OperationNotSupported for every catalog model, after authentication', async () => {
    const images = await call('POST', `openai/deployments/chat/images/generations${Q}`, { 'api-key': key }, { prompt: 'a cat' });
    assert.equal(images.status, 400);
    assert.deepEqual(images.json(), notSupported('imageGeneration', 'gpt-4o-mini'));
    assert.deepEqual(await refusal(azure().images.generate({ model: 'chat', prompt: 'a cat' })), { status: 400, error: notSupported('imageGeneration', 'gpt-4o-mini').error });
    const speech = await call('POST', `openai/deployments/embed/audio/speech${Q}`, { 'api-key': key }, { input: 'hi' });
    assert.deepEqual(speech.json(), notSupported('audioSpeech', 'text-embedding-ada-002'));
    // A multipart body is not read: the deployment's model decides.
    const transcription = await request(keyless.info.caPath, 'POST', `${endpoint}openai/deployments/chat/audio/transcriptions${Q}`, {
      headers: { 'api-key': key, 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x--',
    });
    assert.deepEqual(transcription.json(), notSupported('audioTranscription', 'gpt-4o-mini'));
    assert.equal((await call('POST', `openai/deployments/nope/images/generations${Q}`, { 'api-key': key }, {})).json().error.code, 'DeploymentNotFound');
    const anonymous = await call('POST', `openai/deployments/chat/images/generations${Q}`, {}, { prompt: 'a cat' });
    assert.equal(anonymous.status, 401);
  });

  test('account-level APIs Keyless does not serve: 401 without a credential, then 404', async () => {
    const paths: readonly (readonly [string, string])[] = [
      ['GET', `openai/files${Q}`], ['POST', `openai/batches${Q}`], ['DELETE', `openai/assistants/asst_1${Q}`],
      ['GET', 'openai/v1/vector_stores'], ['POST', 'openai/v1/fine_tuning/jobs'], ['POST', 'openai/v1/images/generations'],
    ];
    for (const [method, path] of paths) {
      const anonymous = await call(method, path, {});
      assert.equal(anonymous.status, 401, path);
      const served = await call(method, path);
      assert.equal(served.status, 404, path);
      assert.deepEqual(served.json(), NOT_FOUND);
    }
    assert.deepEqual(await refusal(v1().files.list()), { status: 404, error: NOT_FOUND.error });
  });
});

describe('api-versions', () => {
  test('a dated or unknown api-version on the v1 API: 400 "API version not supported"', async () => {
    for (const version of ['2024-10-21', '2025-04-01-preview', 'nonsense']) {
      const res = await call('POST', `openai/v1/chat/completions?api-version=${version}`, { 'api-key': key }, { ...CHAT, model: 'chat' });
      assert.equal(res.status, 400, version);
      assert.deepEqual(res.json(), { error: { code: 'BadRequest', message: 'API version not supported' } });
    }
    for (const version of ['v1', 'preview', 'latest']) {
      assert.equal((await call('POST', `openai/v1/chat/completions?api-version=${version}`, { 'api-key': key }, { ...CHAT, model: 'chat' })).status, 200, version);
    }
  });

  test('chat completions came with 2023-03-15-preview; GA and preview versions after it work', async () => {
    assert.deepEqual(await refusal(azure('2022-12-01').chat.completions.create({ model: 'chat', ...CHAT } as never)), { status: 404, error: NOT_FOUND.error });
    assert.equal((await azure('2022-12-01').completions.create({ model: 'instruct', prompt: 'hi', max_tokens: 1 })).object, 'text_completion');
    for (const version of ['2023-05-15', '2024-06-01', '2024-12-01-preview', '2025-04-01-preview']) {
      assert.equal((await azure(version).chat.completions.create({ model: 'chat', ...CHAT } as never)).object, 'chat.completion', version);
    }
  });
});

describe('deployment models at creation', () => {
  test('a model the catalog lacks is refused with DeploymentModelNotSupported, through ARM and the CLI', async () => {
    const token = await adminToken(keyless.info.caPath, keyless.info.baseUrl, keyless.admin());
    const put = (name: string, model: object, extra: object = {}) =>
      request(keyless.info.caPath, 'PUT', deploymentUrl(name), { headers: { authorization: `Bearer ${token}` }, body: { sku: { name: 'Standard', capacity: 1 }, properties: { model, ...extra } } });
    const refused = await put('llama', { format: 'OpenAI', name: 'llama-3', version: '1' });
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.json(), {
      error: { code: 'DeploymentModelNotSupported', message: "The model 'Format:OpenAI,Name:llama-3,Version:1' of account deployment is not supported." },
    });
    const wrongVersion = await put('old', { format: 'OpenAI', name: 'gpt-4o', version: '0613' });
    assert.equal(wrongVersion.json().error.message, "The model 'Format:OpenAI,Name:gpt-4o,Version:0613' of account deployment is not supported.");
    const cli = await runCli(keyless.dataDir, ['openai', 'deployment', 'create', '-g', 'cat', '-n', 'cat-openai', '--deployment-name', 'llama', '--model-name', 'llama-3']);
    assert.notEqual(cli.code, 0);
    assert.match(cli.stderr, /DeploymentModelNotSupported/);
    assert.match(cli.stderr, /The model 'Format:OpenAI,Name:llama-3,Version:' of account deployment is not supported\./);
    // Nothing was created.
    assert.equal((await request(keyless.info.caPath, 'GET', deploymentUrl('llama'), { headers: { authorization: `Bearer ${token}` } })).status, 404);
    // With an upstream, any model name is accepted.
    const upstream = await put('llama', { format: 'OpenAI', name: 'llama-3' }, { upstream: { url: 'http://127.0.0.1:9/v1' } });
    assert.equal(upstream.status, 201, upstream.text);
    assert.deepEqual(upstream.json().properties.model, { format: 'OpenAI', name: 'llama-3', version: '1' });
  });

  test("a deployment without a version gets the model's default version", async () => {
    const created = await json('openai', 'deployment', 'create', '-g', 'cat', '-n', 'cat-openai', '--deployment-name', 'four', '--model-name', 'gpt-4o');
    assert.deepEqual(created.properties.model, { format: 'OpenAI', name: 'gpt-4o', version: '2024-11-20' });
    const pinned = await json('openai', 'deployment', 'create', '-g', 'cat', '-n', 'cat-openai', '--deployment-name', 'four-old', '--model-name', 'gpt-4o', '--model-version', '2024-05-13');
    assert.deepEqual(pinned.properties.model, { format: 'OpenAI', name: 'gpt-4o', version: '2024-05-13' });
  });
});
