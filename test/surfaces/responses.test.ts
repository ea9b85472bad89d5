import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertTypedEvents } from '../fixtures/typed-events.js';
import fs from 'node:fs';
import OpenAI, { AzureOpenAI } from 'openai';
import { zodResponsesFunction, zodTextFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import { Agent, fetch as undiciFetch } from 'undici';
import { cliJson, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { request } from '../fixtures/http.js';

/**
 * The Responses API on the data plane, driven by the real openai package:
 * `AzureOpenAI` with an Entra token (`/openai/responses?api-version`), the
 * plain `OpenAI` client on `/openai/v1/`, stored responses per account, and
 * Azure's PermissionDenied naming each operation's path.
 */
let keyless: InProcessKeyless;
let endpoint: string;
let otherEndpoint: string;
let key: string;
let otherKey: string;
let userToken: string;
let readerToken: string;
let readerId: string;
const json = cliJson(() => keyless.dataDir);
const API_VERSION = '2025-04-01-preview';
let fetchWithCa: typeof fetch;

async function tokenOf(app: { appId: string; password: string }): Promise<string> {
  const res = await request(keyless.info.caPath, 'POST', `${keyless.info.baseUrl}/${keyless.info.tenantId}/oauth2/v2.0/token`, {
    form: { grant_type: 'client_credentials', client_id: app.appId, client_secret: app.password, scope: 'https://cognitiveservices.azure.com/.default' },
  });
  assert.equal(res.status, 200, res.text);
  return res.json().access_token as string;
}

before(async () => {
  keyless = await startInProcess();
  // The openai package uses fetch: give it one that trusts the Keyless CA (and nothing else).
  const dispatcher = new Agent({ connect: { ca: fs.readFileSync(keyless.info.caPath) } });
  fetchWithCa = ((url: string, init?: RequestInit) => undiciFetch(url, { ...(init as object), dispatcher })) as unknown as typeof fetch;
  await json('group', 'create', '-n', 'resp');
  const account = await json('openai', 'create', '-g', 'resp', '-n', 'resp-openai');
  const other = await json('openai', 'create', '-g', 'resp', '-n', 'resp-other');
  endpoint = account.properties.endpoint;
  otherEndpoint = other.properties.endpoint;
  for (const name of ['resp-openai', 'resp-other']) {
    await json('openai', 'deployment', 'create', '-g', 'resp', '-n', name, '--deployment-name', 'chat', '--model-name', 'gpt-4o-mini');
  }
  key = (await json('openai', 'keys', 'list', '-g', 'resp', '-n', 'resp-openai')).key1;
  otherKey = (await json('openai', 'keys', 'list', '-g', 'resp', '-n', 'resp-other')).key1;
  const user = await json('ad', 'sp', 'create-for-rbac', '-n', 'resp-user', '--role', 'Cognitive Services OpenAI User', '--scopes', account.id);
  const reader = await json('ad', 'sp', 'create-for-rbac', '-n', 'resp-reader', '--role', 'Reader', '--scopes', account.id);
  userToken = await tokenOf(user);
  readerToken = await tokenOf(reader);
  readerId = (await json('ad', 'sp', 'show', '--id', reader.appId)).id;
});
after(async () => {
  await keyless.stop();
});

const azure = (token: string) => new AzureOpenAI({ endpoint, apiVersion: API_VERSION, azureADTokenProvider: async () => token, fetch: fetchWithCa, maxRetries: 0 });
const v1 = (apiKey: string, base = endpoint) => new OpenAI({ baseURL: `${base}openai/v1/`, apiKey, fetch: fetchWithCa, maxRetries: 0 });
const call = (method: string, path: string, headers: Record<string, string>, body?: object) =>
  request(keyless.info.caPath, method, `${endpoint}${path}`, body === undefined ? { headers } : { headers, body });

describe('responses with the AzureOpenAI client and an Entra token (OpenAI User)', () => {
  test('create, retrieve, chain and delete', async () => {
    const client = azure(userToken);
    const created = await client.responses.create({ model: 'chat', input: 'What is a managed identity?', instructions: 'Answer briefly.' });
    assert.match(created.id, /^resp_[0-9a-f]{48}$/);
    assert.equal(created.object, 'response');
    assert.equal(created.status, 'completed');
    assert.equal(created.model, 'gpt-4o-mini-2024-07-18');
    assert.equal(created.instructions, 'Answer briefly.');
    assert.equal(created.output.length, 1);
    assert.ok(created.output_text.length > 0);

    const retrieved = await client.responses.retrieve(created.id);
    assert.deepEqual(retrieved, created);

    const chained = await client.responses.create({ model: 'chat', input: 'Shorter, please.', previous_response_id: created.id });
    assert.equal(chained.previous_response_id, created.id);
    assert.ok((chained.usage?.input_tokens ?? 0) > (created.usage?.output_tokens ?? 0), 'the earlier turn is part of the prompt');

    await client.responses.delete(created.id);
    await assert.rejects(client.responses.retrieve(created.id), (error: unknown) => {
      assert.ok(error instanceof OpenAI.NotFoundError);
      assert.deepEqual(error.error, { message: `Response with id '${created.id}' not found.`, type: 'invalid_request_error', param: null, code: null });
      return true;
    });
  });

  test('stream: true yields OpenAI\'s events, whose deltas make the stored text', async () => {
    const stream = await azure(userToken).responses.create({ model: 'chat', input: 'Stream a short answer', stream: true });
    const types: string[] = [];
    let text = '';
    let id = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') id = event.response.id;
    }
    const deltas = types.filter((t) => t === 'response.output_text.delta').length;
    assert.ok(deltas > 1);
    assert.deepEqual(types, [
      'response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added',
      ...Array.from({ length: deltas }, () => 'response.output_text.delta'),
      'response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed',
    ]);
    assert.equal((await azure(userToken).responses.retrieve(id)).output_text, text);
  });
});

describe('responses with the plain OpenAI client on /openai/v1/', () => {
  test('a token or a key as the bearer; responses belong to their account', async () => {
    const created = await v1(userToken).responses.create({ model: 'chat', input: [{ role: 'user', content: [{ type: 'input_text', text: 'Hello from v1' }] }] });
    assert.equal(created.status, 'completed');
    const byKey = await v1(key).responses.retrieve(created.id);
    assert.deepEqual(byKey, created);
    // Another account, with its own valid key, does not see it (Azure keeps responses per resource).
    await assert.rejects(v1(otherKey, otherEndpoint).responses.retrieve(created.id), OpenAI.NotFoundError);
    await assert.rejects(v1(otherKey, otherEndpoint).responses.delete(created.id), OpenAI.NotFoundError);
    await assert.rejects(
      v1(otherKey, otherEndpoint).responses.create({ model: 'chat', input: 'x', previous_response_id: created.id }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.code === 'previous_response_not_found',
    );
    await v1(key).responses.delete(created.id);
  });
});

describe('structured outputs and function tools, with the openai package\'s zod helpers', () => {
  const Recipe = z.object({ name: z.string(), steps: z.array(z.string()), minutes: z.number().int() });
  const GetWeather = z.object({ city: z.string(), unit: z.enum(['celsius', 'fahrenheit']) });

  test('responses.parse with zodTextFormat: output_parsed satisfies the schema', async () => {
    const parsed = await v1(key).responses.parse({ model: 'chat', input: 'A soup recipe', text: { format: zodTextFormat(Recipe, 'recipe') } });
    assert.equal(parsed.status, 'completed');
    assert.deepEqual(parsed.output_parsed, Recipe.parse(JSON.parse(parsed.output_text)));
    assert.deepEqual(parsed.text?.format, zodTextFormat(Recipe, 'recipe'));
  });

  test('a forced function: one function_call item whose arguments parse, then a text answer to its output', async () => {
    const tool = zodResponsesFunction({ name: 'get_weather', parameters: GetWeather });
    const first = await v1(key).responses.parse({ model: 'chat', input: 'Paris?', tools: [tool], tool_choice: { type: 'function', name: 'get_weather' } });
    const [item] = first.output;
    assert.equal(first.output.length, 1);
    assert.ok(item?.type === 'function_call');
    assert.match(item.id ?? '', /^fc_[0-9a-f]{48}$/);
    assert.deepEqual(item, { id: item.id, type: 'function_call', status: 'completed', arguments: item.arguments, call_id: item.call_id, name: 'get_weather', parsed_arguments: GetWeather.parse(JSON.parse(item.arguments)) });
    const next = await v1(key).responses.create({
      model: 'chat',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: item.call_id, output: '{"temperature":21}' }],
      tools: [tool],
    });
    assert.equal(next.output[0]?.type, 'message');
    assert.ok(next.output_text.length > 0);
  });
});

describe('responses on the wire', () => {
  test('the stream: typed events numbered from 0, no [DONE], Azure\'s request ids', async () => {
    const res = await call('POST', 'openai/v1/responses', { 'api-key': key }, { model: 'chat', input: 'Hi', stream: true });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8');
    assert.equal(res.headers['apim-request-id'], res.headers['x-request-id']);
    const frames = assertTypedEvents(res.text);
    assert.equal(JSON.parse(frames.at(-1)?.split('\ndata: ')[1] ?? '{}').response.status, 'completed');
  });

  test('GET and DELETE of a stored response: 200 with OpenAI\'s bodies, then 404', async () => {
    const created = (await call('POST', `openai/responses?api-version=${API_VERSION}`, { 'api-key': key }, { model: 'chat', input: 'Keep this' })).json();
    const got = await call('GET', `openai/responses/${created.id}?api-version=${API_VERSION}`, { 'api-key': key });
    assert.equal(got.status, 200);
    assert.equal(got.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(got.json(), created);
    const deleted = await call('DELETE', `openai/v1/responses/${created.id}`, { 'api-key': key });
    assert.equal(deleted.status, 200);
    assert.deepEqual(deleted.json(), { id: created.id, object: 'response', deleted: true });
    const notFound = { error: { message: `Response with id '${created.id}' not found.`, type: 'invalid_request_error', param: null, code: null } };
    for (const method of ['GET', 'DELETE']) {
      const gone = await call(method, `openai/v1/responses/${created.id}`, { 'api-key': key });
      assert.equal(gone.status, 404);
      assert.deepEqual(gone.json(), notFound);
    }
  });

  test('an unknown previous_response_id, a bad body, no api-version, other methods', async () => {
    const chained = await call('POST', 'openai/v1/responses', { 'api-key': key }, { model: 'chat', input: 'x', previous_response_id: 'resp_nope' });
    assert.equal(chained.status, 400);
    assert.deepEqual(chained.json(), {
      error: { message: "Previous response with id 'resp_nope' not found.", type: 'invalid_request_error', param: 'previous_response_id', code: 'previous_response_not_found' },
    });
    const noInput = await call('POST', 'openai/v1/responses', { 'api-key': key }, { model: 'chat' });
    assert.equal(noInput.status, 400);
    assert.deepEqual(noInput.json(), { error: { message: "Missing required parameter: 'input'.", type: 'invalid_request_error', param: 'input', code: 'missing_required_parameter' } });
    const noDeployment = await call('POST', 'openai/v1/responses', { 'api-key': key }, { model: 'nope', input: 'x' });
    assert.equal(noDeployment.status, 404);
    assert.equal(noDeployment.json().error.code, 'DeploymentNotFound');
    for (const [method, path] of [['POST', 'openai/responses'], ['GET', 'openai/responses/resp_x']] as const) {
      const missing = await call(method, path, { 'api-key': key }, method === 'POST' ? { model: 'chat', input: 'x' } : undefined);
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.json(), { error: { code: '404', message: 'Resource not found' } });
    }
    for (const [method, path] of [['PATCH', 'openai/v1/responses/resp_x'], ['GET', 'openai/v1/responses'], ['POST', 'openai/v1/responses/resp_x']] as const) {
      const other = await call(method, path, { 'api-key': key });
      assert.equal(other.status, 404, `${method} ${path}`);
      assert.deepEqual(other.json(), { error: { code: 'NotFound', message: 'No Keyless endpoint serves this path.' } });
    }
  });

  test('a principal without the data action: Azure\'s PermissionDenied naming the action and the path template', async () => {
    const denied = (action: string, operation: string) => ({
      error: {
        code: 'PermissionDenied',
        message: `The principal \`${readerId}\` lacks the required data action \`Microsoft.CognitiveServices/accounts/OpenAI/responses/${action}\` to perform \`${operation}\` operation.`,
      },
    });
    const bearer = { authorization: `Bearer ${readerToken}` };
    const cases: [string, string, object | undefined, object][] = [
      ['POST', 'openai/v1/responses', { model: 'chat', input: 'x' }, denied('write', 'POST /openai/v1/responses')],
      ['POST', `openai/responses?api-version=${API_VERSION}`, { model: 'chat', input: 'x' }, denied('write', 'POST /openai/responses')],
      ['GET', 'openai/v1/responses/resp_x', undefined, denied('read', 'GET /openai/v1/responses/{response_id}')],
      ['DELETE', `openai/responses/resp_x?api-version=${API_VERSION}`, undefined, denied('delete', 'DELETE /openai/responses/{response_id}')],
    ];
    for (const [method, path, body, expected] of cases) {
      const res = await call(method, path, bearer, body);
      assert.equal(res.status, 401, `${method} ${path}`);
      assert.deepEqual(res.json(), expected);
    }
    await assert.rejects(azure(readerToken).responses.create({ model: 'chat', input: 'x' }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.AuthenticationError);
      assert.deepEqual(error.error, denied('write', 'POST /openai/responses').error);
      return true;
    });
  });
});
