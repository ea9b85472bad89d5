import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { AzureOpenAI } from 'openai';
import { zodResponseFormat, zodFunction } from 'openai/helpers/zod';
import { Agent, fetch as undiciFetch } from 'undici';
import { z } from 'zod';
import { cliJson, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';

/**
 * Structured outputs, tools and logprobs through the data plane, driven by the
 * unmodified openai package and its helpers (zod response formats, the
 * stream helpers that assemble tool calls), against the simulator.
 */
let keyless: InProcessKeyless;
let client: AzureOpenAI;
let agent: Agent;
const json = cliJson(() => keyless.dataDir);
const model = 'chat';

before(async () => {
  keyless = await startInProcess();
  await json('group', 'create', '-n', 'so');
  const account = await json('openai', 'create', '-g', 'so', '-n', 'so-openai');
  await json('openai', 'deployment', 'create', '-g', 'so', '-n', 'so-openai', '--deployment-name', model, '--model-name', 'gpt-4o-mini');
  const key = (await json('openai', 'keys', 'list', '-g', 'so', '-n', 'so-openai')).key1;
  // The client trusts only Keyless's CA, through a fetch of its own.
  agent = new Agent({ connect: { ca: fs.readFileSync(keyless.info.caPath) } });
  client = new AzureOpenAI({
    endpoint: account.properties.endpoint,
    apiKey: key,
    apiVersion: '2024-10-21',
    maxRetries: 0,
    fetch: ((url: string, init: Record<string, unknown>) => undiciFetch(url, { ...init, dispatcher: agent } as never)) as never,
  });
});
after(async () => {
  await agent.close();
  await keyless.stop();
});

const Step = z.object({ explanation: z.string(), output: z.string() });
const MathAnswer = z.object({
  steps: z.array(Step),
  final_answer: z.string(),
  confidence: z.number().min(0).max(1),
  checked_at: z.string().datetime().nullable(),
  kind: z.enum(['algebra', 'arithmetic']),
});
/** The id, name and arguments of a message's function calls. */
const functionCalls = (message: { tool_calls?: unknown[] | null }) =>
  (message.tool_calls ?? []).map((c: any) => ({ id: c.id as string, name: c.function.name as string, arguments: c.function.arguments as string }));
const GetWeather = z.object({ city: z.string(), unit: z.enum(['celsius', 'fahrenheit']) });

describe('structured outputs', () => {
  test('chat.completions.parse with a zod schema: the parsed answer satisfies the schema', async () => {
    const completion = await client.chat.completions.parse({
      model,
      messages: [{ role: 'user', content: 'Solve 8x + 7 = -23, step by step.' }],
      response_format: zodResponseFormat(MathAnswer, 'math_answer'),
    });
    const message = completion.choices[0]!.message;
    assert.equal(completion.choices[0]!.finish_reason, 'stop');
    assert.equal(message.refusal, null);
    assert.deepEqual(message.parsed, MathAnswer.parse(JSON.parse(message.content ?? '')));
    assert.ok(message.parsed !== null && message.parsed.steps.every((s) => typeof s.output === 'string'));
  });

  test("a strict schema OpenAI would refuse gets OpenAI's 400 through the client", async () => {
    const error = await client.chat.completions
      .create({
        model,
        messages: [{ role: 'user', content: 'x' }],
        response_format: { type: 'json_schema', json_schema: { name: 'loose', strict: true, schema: { type: 'object', properties: { a: { type: 'string' } } } } },
      })
      .then(() => assert.fail('expected a 400'), (e: unknown) => e as { status: number; error: unknown });
    assert.equal(error.status, 400);
    assert.deepEqual(error.error, {
      message: "Invalid schema for response_format 'loose': In context=(), 'additionalProperties' is required to be supplied and to be false.",
      type: 'invalid_request_error',
      param: 'response_format',
      code: 'invalid_json_schema',
    });
  });
});

describe('tools', () => {
  const tools = [zodFunction({ name: 'get_weather', description: 'Get the weather in a city', parameters: GetWeather })];

  test('a forced tool call, parsed by the client', async () => {
    const completion = await client.chat.completions.parse({
      model,
      messages: [{ role: 'user', content: 'Hello' }],
      tools,
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    const choice = completion.choices[0]!;
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.content, null);
    const [call] = choice.message.tool_calls ?? [];
    assert.ok(call !== undefined && call.type === 'function');
    assert.equal(call.function.name, 'get_weather');
    assert.deepEqual(call.function.parsed_arguments, GetWeather.parse(JSON.parse(call.function.arguments)));
  });

  test('auto: the question calls the tool, the tool result is answered with text', async () => {
    const messages: any[] = [{ role: 'user', content: 'What is the weather in Paris?' }];
    const first = await client.chat.completions.create({ model, messages, tools });
    assert.equal(first.choices[0]!.finish_reason, 'tool_calls');
    const assistant = first.choices[0]!.message;
    const call = assistant.tool_calls![0]!;
    messages.push(assistant, { role: 'tool', tool_call_id: call.id, content: JSON.stringify({ temperature: 21 }) });
    const second = await client.chat.completions.create({ model, messages, tools });
    assert.equal(second.choices[0]!.finish_reason, 'stop');
    assert.ok((second.choices[0]!.message.content ?? '').length > 0);
    assert.equal(second.choices[0]!.message.tool_calls, undefined);
  });

  test("streamed tool calls, assembled by the client's stream helper, equal the plain answer", async () => {
    const body = {
      model,
      messages: [{ role: 'user' as const, content: 'Weather in Oslo, please' }],
      tools,
      tool_choice: 'required' as const,
    };
    const plain = await client.chat.completions.create(body);
    const stream = client.chat.completions.stream(body);
    const argumentDeltas: string[] = [];
    stream.on('tool_calls.function.arguments.delta', (event) => argumentDeltas.push(event.arguments_delta));
    const final = await stream.finalChatCompletion();
    assert.equal(final.choices[0]!.finish_reason, 'tool_calls');
    const streamed = functionCalls(final.choices[0]!.message);
    const expected = functionCalls(plain.choices[0]!.message);
    assert.deepEqual(streamed, expected);
    assert.ok(argumentDeltas.length > 3, 'arguments arrive in fragments');
    assert.equal(argumentDeltas.join(''), expected[0]!.arguments);
    assert.deepEqual((final.choices[0]!.message.tool_calls![0] as any).function.parsed_arguments, GetWeather.parse(JSON.parse(expected[0]!.arguments)));
  });

  test("an unknown function in tool_choice gets OpenAI's 400", async () => {
    const error = await client.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'x' }], tools, tool_choice: { type: 'function', function: { name: 'nope' } } })
      .then(() => assert.fail('expected a 400'), (e: unknown) => e as { status: number; error: unknown });
    assert.equal(error.status, 400);
    assert.deepEqual(error.error, {
      message: "Invalid value for 'function_call': no function named 'nope' was specified in the 'functions' parameter.",
      type: 'invalid_request_error',
      param: 'function_call',
      code: null,
    });
  });
});

describe('logprobs', () => {
  test('chat logprobs with top_logprobs, plain and streamed, describe the same tokens', async () => {
    const body = { model, messages: [{ role: 'user' as const, content: 'Hello' }], logprobs: true, top_logprobs: 2 };
    const plain = await client.chat.completions.create(body);
    const content = plain.choices[0]!.logprobs!.content!;
    assert.equal(content.map((t) => t.token).join(''), plain.choices[0]!.message.content);
    assert.ok(content.every((t) => t.top_logprobs.length === 2 && t.top_logprobs[0]!.token === t.token));
    const stream = await client.chat.completions.create({ ...body, stream: true });
    const streamed: unknown[] = [];
    for await (const chunk of stream) streamed.push(...(chunk.choices[0]?.logprobs?.content ?? []));
    assert.deepEqual(streamed, content);
  });

  test('legacy completion logprobs', async () => {
    await json('openai', 'deployment', 'create', '-g', 'so', '-n', 'so-openai', '--deployment-name', 'instruct', '--model-name', 'gpt-35-turbo-instruct');
    const completion = await client.completions.create({ model: 'instruct', prompt: 'Say this is a test', logprobs: 1, max_tokens: 5 });
    const lp = completion.choices[0]!.logprobs!;
    assert.equal(lp.tokens!.join(''), completion.choices[0]!.text);
    assert.equal(lp.text_offset![0], 'Say this is a test'.length);
  });
});
