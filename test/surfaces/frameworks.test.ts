import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAzure } from '@ai-sdk/azure';
import { APICallError, embed, generateObject, generateText, stepCountIs, streamText, tool, type LanguageModel } from 'ai';
import { z } from 'zod';
import { cliJson, runCli, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { request } from '../fixtures/http.js';
import { trustingFetch } from '../fixtures/trusting-fetch.js';

/**
 * The Vercel AI SDK's Azure provider (`@ai-sdk/azure` 2, `ai` 5), unmodified,
 * against Keyless with a VM's managed identity token: the chat model (the
 * default `azure('chat')` in AI SDK 5) and the Responses model, text, streams,
 * objects from zod schemas, forced tool calls, embeddings, and Azure's
 * PermissionDenied for a principal without the data action. Every request
 * the SDK sends is recorded, so the wire it speaks is pinned too.
 */
let keyless: InProcessKeyless;
let endpoint: string;
let token: string;
let readerToken: string;
let readerId: string;
const json = cliJson(() => keyless.dataDir);

interface Sent {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: any;
}
const sent: Sent[] = [];
const lastSent = (): Sent => sent.at(-1) ?? assert.fail('no request was sent');

/** A VM's token from its IMDS endpoint, as `keyless env --as` points the client libraries at it. */
async function imdsToken(vm: string): Promise<string> {
  const env = await runCli(keyless.dataDir, ['env', '--as', vm, '-g', 'fw']);
  const imds = /AZURE_POD_IDENTITY_AUTHORITY_HOST=(\S+)/.exec(env.stdout)?.[1] ?? assert.fail(env.stdout);
  const res = await fetch(`${imds}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://cognitiveservices.azure.com`, { headers: { metadata: 'true' } });
  assert.equal(res.status, 200);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** A fetch that trusts Keyless's CA and records what the SDK sends. */
function recordingFetch(): typeof fetch {
  const inner = trustingFetch(keyless.info.caPath);
  return async (url, init) => {
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : init?.body;
    sent.push({ url: String(url), headers: Object.fromEntries(new Headers(init?.headers).entries()), body });
    return inner(url, init);
  };
}

/** The provider as the how-to configures it: the account's v1 base URL and a token provider (no api-key). */
const provider = (bearer = () => token) => createAzure({ baseURL: `${endpoint}openai/v1`, tokenProvider: async () => bearer(), fetch: recordingFetch() });

const raw = async (path: string, body: object) => {
  const res = await request(keyless.info.caPath, 'POST', `${endpoint}openai/v1/${path}`, { headers: { authorization: `Bearer ${token}` }, body });
  assert.equal(res.status, 200, res.text);
  return res.json();
};

before(async () => {
  keyless = await startInProcess();
  await json('group', 'create', '-n', 'fw');
  endpoint = (await json('openai', 'create', '-g', 'fw', '-n', 'fw-openai')).properties.endpoint;
  await json('openai', 'deployment', 'create', '-g', 'fw', '-n', 'fw-openai', '--deployment-name', 'chat', '--model-name', 'gpt-4o-mini');
  await json('openai', 'deployment', 'create', '-g', 'fw', '-n', 'fw-openai', '--deployment-name', 'embed', '--model-name', 'text-embedding-3-small');
  const group = `/subscriptions/${keyless.info.subscriptionId}/resourceGroups/fw`;
  const vm = await json('vm', 'create', '-g', 'fw', '-n', 'fw-vm', '--assign-identity', 'system');
  await json('role', 'assignment', 'create', '--assignee', vm.identity.principalId, '--role', 'Cognitive Services OpenAI User', '--scope', group);
  const reader = await json('vm', 'create', '-g', 'fw', '-n', 'fw-reader', '--assign-identity', 'system');
  readerId = reader.identity.principalId;
  await json('role', 'assignment', 'create', '--assignee', readerId, '--role', 'Reader', '--scope', group);
  [token, readerToken] = await Promise.all([imdsToken('fw-vm'), imdsToken('fw-reader')]);
});
after(async () => {
  await keyless?.stop();
});

const Recipe = z.object({
  name: z.string(),
  servings: z.number().int().min(1).max(12),
  diet: z.enum(['vegan', 'vegetarian', 'omnivore']),
  ingredients: z.array(z.object({ item: z.string(), grams: z.number() })).min(1),
});
/** What the SDK sends for Recipe: zod 4's JSON Schema (draft 7), every property required, no others. */
const RECIPE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: {
    name: { type: 'string' },
    servings: { type: 'integer', minimum: 1, maximum: 12 },
    diet: { type: 'string', enum: ['vegan', 'vegetarian', 'omnivore'] },
    ingredients: {
      minItems: 1,
      type: 'array',
      items: { type: 'object', properties: { item: { type: 'string' }, grams: { type: 'number' } }, required: ['item', 'grams'], additionalProperties: false },
    },
  },
  required: ['name', 'servings', 'diet', 'ingredients'],
  additionalProperties: false,
};
const Weather = z.object({ city: z.string(), unit: z.enum(['celsius', 'fahrenheit']) });
/** Two tools whose calls (executed by the SDK) are recorded in `calls`. */
const weatherTools = (calls: unknown[] = []) => ({
  get_weather: tool({
    description: 'Get the weather in a city',
    inputSchema: Weather,
    execute: async (input) => (calls.push(input), { temperature: 21 }),
  }),
  get_time: tool({
    description: 'Get the time in a timezone',
    inputSchema: z.object({ timezone: z.string() }),
    execute: async (input) => (calls.push(input), { time: '12:00' }),
  }),
});

describe('azure(deployment): the chat completions model in AI SDK 5', () => {
  test('generateText: POST /openai/v1/chat/completions with the bearer token, no api-key, no api-version; the simulator\'s answer', async () => {
    const result = await generateText({ model: provider()('chat'), prompt: 'Hello from the AI SDK' });
    const wire = lastSent();
    assert.equal(wire.url, `${endpoint}openai/v1/chat/completions`);
    assert.equal(wire.headers['authorization'], `Bearer ${token}`);
    assert.equal(wire.headers['api-key'], undefined);
    assert.deepEqual(wire.body, { model: 'chat', messages: [{ role: 'user', content: 'Hello from the AI SDK' }] });
    const expected = await raw('chat/completions', wire.body);
    assert.equal(result.text, expected.choices[0].message.content);
    assert.equal(result.finishReason, 'stop');
    // The answer's `model` as Azure gives it: the deployment's model with its version (compatibility.md).
    assert.equal(result.response.modelId, 'gpt-4o-mini-2024-07-18');
    assert.deepEqual(result.usage, { inputTokens: expected.usage.prompt_tokens, outputTokens: expected.usage.completion_tokens, totalTokens: expected.usage.total_tokens, reasoningTokens: 0, cachedInputTokens: 0 });
  });

  test('azure.chat(deployment) is the same model; streamText delivers the same text in parts, with usage', async () => {
    const whole = await generateText({ model: provider().chat('chat'), prompt: 'Stream this, please' });
    const stream = streamText({ model: provider().chat('chat'), prompt: 'Stream this, please' });
    const parts: string[] = [];
    for await (const part of stream.textStream) parts.push(part);
    assert.deepEqual(lastSent().body, { model: 'chat', messages: [{ role: 'user', content: 'Stream this, please' }], stream: true, stream_options: { include_usage: true } });
    assert.ok(parts.length > 1, 'the text arrives in several parts');
    assert.equal(parts.join(''), whole.text);
    assert.deepEqual(await stream.usage, whole.usage);
    assert.equal(await stream.finishReason, 'stop');
  });
});

describe('azure.responses(deployment): the Responses API (the default model of AI SDK 6)', () => {
  test('generateText and streamText: POST /openai/v1/responses, a stored response, the same text streamed in parts', async () => {
    const result = await generateText({ model: provider().responses('chat'), prompt: 'Hello, Responses' });
    const wire = lastSent();
    assert.equal(wire.url, `${endpoint}openai/v1/responses`);
    assert.equal(wire.headers['authorization'], `Bearer ${token}`);
    assert.equal(wire.headers['api-key'], undefined);
    assert.deepEqual(wire.body, { model: 'chat', input: [{ role: 'user', content: [{ type: 'input_text', text: 'Hello, Responses' }] }] });
    const expected = await raw('responses', wire.body);
    assert.equal(result.text, expected.output[0].content[0].text);
    assert.equal(result.finishReason, 'stop');
    assert.match(String(result.providerMetadata?.['azure']?.['responseId']), /^resp_[0-9a-f]{48}$/);

    const stream = streamText({ model: provider().responses('chat'), prompt: 'Hello, Responses' });
    const parts: string[] = [];
    for await (const part of stream.textStream) parts.push(part);
    assert.equal(lastSent().body.stream, true);
    assert.ok(parts.length > 1);
    assert.equal(parts.join(''), result.text);
    assert.deepEqual(await stream.usage, result.usage);
  });
});

describe('generateObject with a zod schema', () => {
  for (const [api, model, format] of [
    ['chat completions', () => provider()('chat'), (body: any) => body.response_format],
    ['responses', () => provider().responses('chat'), (body: any) => body.text.format],
  ] as const) {
    test(`${api}: the SDK asks for json_schema (not strict) and gets JSON valid against the schema`, async () => {
      const result = await generateObject({ model: model(), schema: Recipe, schemaName: 'recipe', prompt: 'A soup for four' });
      const sentFormat = format(lastSent().body);
      const expected = api === 'responses'
        ? { type: 'json_schema', strict: false, name: 'recipe', schema: RECIPE_SCHEMA }
        : { type: 'json_schema', json_schema: { schema: RECIPE_SCHEMA, strict: false, name: 'recipe' } };
      assert.deepEqual(sentFormat, expected);
      assert.deepEqual(Recipe.parse(result.object), result.object);
      assert.ok(result.object.ingredients.length >= 1);
      assert.equal(result.finishReason, 'stop');
    });
  }
});

describe('tools', () => {
  const cases: [string, () => LanguageModel, unknown][] = [
    ['chat completions', () => provider()('chat'), { type: 'function', function: { name: 'get_weather' } }],
    ['responses', () => provider().responses('chat'), { type: 'function', name: 'get_weather' }],
  ];
  for (const [api, model, toolChoice] of cases) {
    test(`${api}: a forced tool choice gives one call of that tool, its input valid against the zod schema`, async () => {
      const result = await generateText({ model: model(), tools: weatherTools(), toolChoice: { type: 'tool', toolName: 'get_weather' }, prompt: 'Hello' });
      assert.deepEqual(lastSent().body.tool_choice, toolChoice);
      assert.equal(result.finishReason, 'tool-calls');
      assert.equal(result.toolCalls.length, 1);
      const [call] = result.toolCalls;
      assert.equal(call?.toolName, 'get_weather');
      assert.match(call?.toolCallId ?? '', /^call_[A-Za-z0-9]{24}$/);
      assert.deepEqual(Weather.parse(call?.input), call?.input);
    });

    test(`${api}: an agent loop calls the tool the user asks about, sends its result back, and ends with text`, async () => {
      const inputs: unknown[] = [];
      const result = await generateText({
        model: model(),
        tools: weatherTools(inputs),
        stopWhen: stepCountIs(5),
        prompt: 'What is the weather in Paris?',
      });
      assert.deepEqual(result.steps.map((s) => s.finishReason), ['tool-calls', 'stop']);
      assert.equal(inputs.length, 1);
      assert.deepEqual(Weather.parse(inputs[0]), inputs[0]);
      assert.ok(result.text.length > 0);
      // The second request carries the call and its result in full (no item_reference on the Responses API).
      const second = lastSent().body;
      const items = api === 'responses' ? second.input.map((i: any) => i.type ?? i.role) : second.messages.map((m: any) => m.role);
      assert.deepEqual(items, api === 'responses' ? ['user', 'function_call', 'function_call_output'] : ['user', 'assistant', 'tool']);
    });
  }
});

test('embed: POST /openai/v1/embeddings, 1536 dimensions', async () => {
  const result = await embed({ model: provider().textEmbeddingModel('embed'), value: 'keyless' });
  assert.equal(lastSent().url, `${endpoint}openai/v1/embeddings`);
  assert.deepEqual(lastSent().body, { model: 'embed', input: ['keyless'], encoding_format: 'float' });
  assert.equal(result.embedding.length, 1536);
});

test('older @ai-sdk/azure (no tokenProvider): a fetch that replaces the api-key header with the bearer token works the same', async () => {
  const inner = recordingFetch();
  const azure = createAzure({
    baseURL: `${endpoint}openai/v1`,
    apiKey: 'unused',
    fetch: async (url, init) => {
      const headers = new Headers(init?.headers);
      headers.delete('api-key');
      headers.set('authorization', `Bearer ${token}`);
      return inner(url, { ...init, headers });
    },
  });
  const result = await generateText({ model: azure('chat'), prompt: 'Hello from the AI SDK' });
  assert.equal(lastSent().headers['api-key'], undefined);
  assert.equal(result.text, (await generateText({ model: provider()('chat'), prompt: 'Hello from the AI SDK' })).text);
});

test('useDeploymentBasedUrls with a dated apiVersion: the classic deployment route', async () => {
  const azure = createAzure({ baseURL: `${endpoint}openai`, useDeploymentBasedUrls: true, apiVersion: '2024-10-21', tokenProvider: async () => token, fetch: recordingFetch() });
  const result = await generateText({ model: azure('chat'), prompt: 'Hello from the AI SDK' });
  assert.equal(lastSent().url, `${endpoint}openai/deployments/chat/chat/completions?api-version=2024-10-21`);
  assert.ok(result.text.length > 0);
});

describe('a principal without the data action', () => {
  const denied = (action: string, operation: string) =>
    `The principal \`${readerId}\` lacks the required data action \`Microsoft.CognitiveServices/accounts/OpenAI/${action}\` to perform \`${operation}\` operation.`;
  for (const [api, model, action, operation] of [
    ['chat completions', () => provider(() => readerToken)('chat'), 'deployments/chat/completions/action', 'POST /openai/v1/chat/completions'],
    ['responses', () => provider(() => readerToken).responses('chat'), 'responses/write', 'POST /openai/v1/responses'],
  ] as const) {
    test(`${api}: APICallError 401 with Azure's PermissionDenied message, not retried`, async () => {
      const before = sent.length;
      await assert.rejects(generateText({ model: model(), prompt: 'Hello' }), (error: unknown) => {
        assert.ok(APICallError.isInstance(error), String(error));
        assert.equal(error.statusCode, 401);
        assert.equal(error.message, denied(action, operation));
        assert.deepEqual(JSON.parse(error.responseBody ?? ''), { error: { code: 'PermissionDenied', message: denied(action, operation) } });
        assert.equal(error.isRetryable, false);
        return true;
      });
      assert.equal(sent.length - before, 1, 'one request: the SDK does not retry a 401');
    });
  }
});
