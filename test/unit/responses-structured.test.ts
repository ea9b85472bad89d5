import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSimulator, createSimulatorBackend, ModelInputError, type CallContext, type ModelRequest } from '../../src/models/index.js';
import { tokenizer } from '../../src/models/tokenizer.js';
import { validate } from '../fixtures/json-schema-validator.js';

/** The Responses API's `text.format` and function tools in the simulator: what the Vercel AI SDK's responses model sends for generateObject and tools. */
const sim = createSimulator();
type Json = Record<string, any>;
const ctx = (id = 'resp_struct'): CallContext => ({ deployment: 'dep', modelName: 'gpt-4o', created: 1_700_000_000, id });
const respond = (body: unknown, c = ctx()): Json => sim.response(body, c) as Json;
const events = (body: unknown, c = ctx()): Json[] => [...sim.responseStream(body, c)] as Json[];
const chat = (body: unknown): Json => sim.chat(body, { ...ctx(), id: 'chatcmpl-x' }) as Json;
const o200k = () => tokenizer('o200k_base');

const RECIPE = {
  type: 'object',
  properties: { name: { type: 'string' }, steps: { type: 'array', items: { type: 'string' }, minItems: 1 }, minutes: { type: 'integer', minimum: 1, maximum: 90 } },
  required: ['name', 'steps', 'minutes'],
  additionalProperties: false,
};
const WEATHER = { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['city', 'unit'], additionalProperties: false };
const weather = { type: 'function', name: 'get_weather', description: 'Get the weather in a city', parameters: WEATHER, strict: false };
const stocks = { type: 'function', name: 'get_stock_price', description: 'Get a stock price', parameters: { type: 'object', properties: { ticker: { type: 'string' } }, required: ['ticker'] } };
const FC_ID = /^fc_[0-9a-f]{48}$/;
const CALL_ID = /^call_[A-Za-z0-9]{24}$/;

function refusal(body: unknown): { message: string; param: string | null; code: string | null } {
  try {
    sim.response(body, ctx());
  } catch (error) {
    assert.ok(error instanceof ModelInputError, String(error));
    return { message: error.message, param: error.param, code: error.openaiCode };
  }
  assert.fail('expected a 400');
}

describe('responses: text.format', () => {
  const body = { input: 'A recipe for soup', text: { format: { type: 'json_schema', name: 'recipe', schema: RECIPE, strict: true } } };

  test('json_schema: the output text is compact JSON valid against the schema, counted as chat counts response_format', () => {
    const r = respond(body);
    const text: string = r['output'][0].content[0].text;
    assert.deepEqual(validate(JSON.parse(text), RECIPE), []);
    assert.equal(text, JSON.stringify(JSON.parse(text)));
    assert.equal(r['status'], 'completed');
    assert.deepEqual(r['text'], { format: body.text.format, verbosity: 'medium' });
    const same = chat({ messages: [{ role: 'user', content: 'A recipe for soup' }], response_format: { type: 'json_schema', json_schema: { name: 'recipe', schema: RECIPE, strict: true } } });
    assert.equal(r['usage'].input_tokens, same['usage'].prompt_tokens);
    assert.equal(r['usage'].output_tokens, o200k().encode(text).length);
    assert.deepEqual(respond(body, ctx('resp_again'))['output'][0].content, r['output'][0].content, 'deterministic');
  });

  test('streamed: the text deltas make the same JSON', () => {
    const stream = events(body);
    const text = stream.filter((e) => e['type'] === 'response.output_text.delta').map((e) => e['delta']).join('');
    assert.equal(text, respond(body)['output'][0].content[0].text);
    assert.equal(stream.at(-1)?.['type'], 'response.completed');
  });

  test('json_object needs "json" in the input messages (instructions do not count)', () => {
    const format = { text: { format: { type: 'json_object' } } };
    const expected = { message: "Response input messages must contain the word 'json' in some form to use 'text.format' of type 'json_object'.", param: 'input', code: null };
    assert.deepEqual(refusal({ input: 'Hello', ...format }), expected);
    assert.deepEqual(refusal({ input: 'Hello', instructions: 'Answer in JSON.', ...format }), expected);
    const r = respond({ input: 'Hello, answer in JSON', ...format });
    const value = JSON.parse(r['output'][0].content[0].text);
    assert.equal(typeof value, 'object');
    assert.ok(value !== null && !Array.isArray(value));
  });

  test("OpenAI's refusals, with the Responses API's param names", () => {
    const format = (f: Json) => ({ input: 'x', text: { format: f } });
    assert.deepEqual(refusal(format({ type: 'json_schema', schema: RECIPE })), { message: "Missing required parameter: 'text.format.name'.", param: 'text.format.name', code: 'missing_required_parameter' });
    assert.deepEqual(refusal(format({ type: 'json_schema', name: 'r' })), { message: "Missing required parameter: 'text.format.schema'.", param: 'text.format.schema', code: 'missing_required_parameter' });
    assert.deepEqual(refusal(format({ type: 'xml' })), { message: "Invalid value: 'xml'. Supported values are: 'text', 'json_schema', and 'json_object'.", param: 'text.format.type', code: 'invalid_value' });
    assert.deepEqual(refusal(format({ type: 'json_schema', name: 'loose', strict: true, schema: { type: 'object', properties: { a: { type: 'string' } } } })), {
      message: "Invalid schema for response_format 'loose': In context=(), 'additionalProperties' is required to be supplied and to be false.",
      param: 'text.format.schema',
      code: 'invalid_json_schema',
    });
  });
});

describe('responses: function tools', () => {
  const forced = { input: 'Hello there', tools: [weather, stocks], tool_choice: { type: 'function', name: 'get_weather' } };

  test('a forced call: one function_call item in OpenAI\'s shape, arguments valid against the parameters', () => {
    const r = respond(forced);
    const [item] = r['output'];
    assert.equal(r['output'].length, 1);
    assert.match(item.id, FC_ID);
    assert.match(item.call_id, CALL_ID);
    assert.deepEqual(item, { id: item.id, type: 'function_call', status: 'completed', arguments: item.arguments, call_id: item.call_id, name: 'get_weather' });
    assert.deepEqual(validate(JSON.parse(item.arguments), WEATHER), []);
    assert.equal(r['status'], 'completed');
    assert.deepEqual(r['tools'], forced.tools);
    assert.deepEqual(r['tool_choice'], forced.tool_choice);
    const tok = o200k();
    assert.equal(r['usage'].output_tokens, tok.count('get_weather') + tok.encode(item.arguments).length);
    // The functions count in the input as chat counts the same functions as tools.
    const asChat = chat({ messages: [{ role: 'user', content: 'Hello there' }], tools: [weather, stocks].map(({ type, ...fn }) => ({ type, function: fn })), tool_choice: 'none' });
    assert.equal(r['usage'].input_tokens, asChat['usage'].prompt_tokens);
  });

  test('streamed: each item added, its argument deltas, arguments done with the name, item done', () => {
    const final = respond(forced);
    const stream = events(forced);
    const item = final['output'][0];
    const deltas = stream.filter((e) => e['type'] === 'response.function_call_arguments.delta');
    assert.ok(deltas.length > 1);
    assert.deepEqual(stream.map((e) => e['sequence_number']), stream.map((_, i) => i));
    const at = { item_id: item.id, output_index: 0 };
    assert.deepEqual(stream.slice(2), [
      { type: 'response.output_item.added', sequence_number: 2, output_index: 0, item: { ...item, status: 'in_progress', arguments: '' } },
      ...deltas.map((d, i) => ({ type: 'response.function_call_arguments.delta', sequence_number: 3 + i, ...at, delta: d['delta'] })),
      { type: 'response.function_call_arguments.done', sequence_number: 3 + deltas.length, ...at, arguments: item.arguments, name: 'get_weather' },
      { type: 'response.output_item.done', sequence_number: 4 + deltas.length, output_index: 0, item },
      { type: 'response.completed', sequence_number: 5 + deltas.length, response: final },
    ]);
    assert.equal(deltas.map((d) => d['delta']).join(''), item.arguments);
  });

  test('auto calls the functions the user names, none with "none", and answers text after a function_call_output', () => {
    const asked = respond({ input: 'What is the weather in Paris?', tools: [weather, stocks] });
    assert.deepEqual(asked['output'].map((i: Json) => [i.type, i.name]), [['function_call', 'get_weather']]);
    assert.equal(respond({ input: 'What is the weather in Paris?', tools: [weather, stocks], tool_choice: 'none' })['output'][0].type, 'message');
    assert.equal(respond({ input: 'Hello', tools: [weather, stocks] })['output'][0].type, 'message');
    const call = asked['output'][0];
    const after = respond({
      input: [
        { role: 'user', content: 'What is the weather in Paris?' },
        { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments },
        { type: 'function_call_output', call_id: call.call_id, output: '{"temperature":21}' },
      ],
      tools: [weather, stocks],
    });
    assert.equal(after['output'][0].type, 'message');
  });

  test('a chained response after a call continues with the call in its history', () => {
    const backend = createSimulatorBackend(sim);
    const request = (body: Json, id: string): ModelRequest => ({ body, text: JSON.stringify(body), deploymentKey: 'a/deployments/dep', ctx: ctx(id), scope: 'a' });
    const first = JSON.parse(backend.responses(request(forced, 'resp_call')) as string);
    const call = first.output[0];
    const next = JSON.parse(backend.responses(request({ previous_response_id: 'resp_call', input: [{ type: 'function_call_output', call_id: call.call_id, output: 'sunny' }], tools: [weather] }, 'resp_next')) as string);
    assert.equal(next.output[0].type, 'message');
    assert.ok(next.usage.input_tokens > first.usage.input_tokens);
  });

  test('max_output_tokens cuts the arguments: the item and the response are incomplete', () => {
    const save = { input: 'Soup', tools: [{ type: 'function', name: 'save_recipe', parameters: RECIPE }], tool_choice: { type: 'function', name: 'save_recipe' } };
    const r = respond({ ...save, max_output_tokens: 16 });
    const full = respond(save);
    assert.ok(full['usage'].output_tokens > 16, 'the full call is longer than 16 tokens');
    assert.equal(r['status'], 'incomplete');
    assert.deepEqual(r['incomplete_details'], { reason: 'max_output_tokens' });
    assert.equal(r['output'][0].status, 'incomplete');
    assert.equal(r['usage'].output_tokens, 16);
  });

  test('other tool types are echoed and never called; a named choice of an unknown function is refused', () => {
    const r = respond({ input: 'Search the web for soup', tools: [{ type: 'web_search_preview' }], tool_choice: 'auto' });
    assert.equal(r['output'][0].type, 'message');
    assert.deepEqual(r['tools'], [{ type: 'web_search_preview' }]);
    assert.deepEqual(refusal({ input: 'x', tools: [weather], tool_choice: { type: 'function', name: 'get_time' } }), {
      message: "Tool choice 'get_time' not found in 'tools' parameter.",
      param: 'tool_choice',
      code: null,
    });
    assert.deepEqual(refusal({ input: 'x', tools: [{ type: 'function', parameters: WEATHER }] }), { message: "Missing required parameter: 'tools[0].name'.", param: 'tools[0].name', code: 'missing_required_parameter' });
    assert.deepEqual(refusal({ input: 'x', tools: [{ ...weather, strict: true, parameters: { type: 'object', properties: { a: { type: 'string' } } } }] }), {
      message: "Invalid schema for function 'get_weather': In context=(), 'additionalProperties' is required to be supplied and to be false.",
      param: 'tools[0].parameters',
      code: 'invalid_function_parameters',
    });
  });
});
