import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { modelRefusal } from '../fixtures/model-refusal.js';
import { createSimulator, createSimulatorBackend, type CallContext, type ModelRequest } from '../../src/models/index.js';
import { keywords } from '../../src/models/tool-decision.js';
import { tokenizer } from '../../src/models/tokenizer.js';
import { validate } from '../fixtures/json-schema-validator.js';

/** Function tools: when the simulator calls which function, the exact shapes (plain, streamed, legacy), and OpenAI's refusals. */
const sim = createSimulator();
const ctx: CallContext = { deployment: 'dep', modelName: 'gpt-4o', created: 1_700_000_000, id: 'chatcmpl-test' };
type Json = Record<string, any>;
const chat = (body: unknown): Json => sim.chat(body, ctx) as Json;
const chunks = (body: unknown): Json[] => [...sim.chatStream(body, ctx)] as Json[];
const user = (content: string) => [{ role: 'user', content }];

const WEATHER_PARAMS = {
  type: 'object',
  properties: {
    location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' },
    unit: { type: 'string', description: 'The unit of temperature to return', enum: ['celsius', 'fahrenheit'] },
  },
  required: ['location', 'unit'],
  additionalProperties: false,
};
const weather = { type: 'function', function: { name: 'get_current_weather', description: 'Get the current weather in a given location', parameters: WEATHER_PARAMS, strict: true } };
const TIME_PARAMS = { type: 'object', properties: { timezone: { type: 'string' } }, required: ['timezone'] };
const time = { type: 'function', function: { name: 'get_time', description: 'Get the time in a timezone', parameters: TIME_PARAMS } };
const noArgs = { type: 'function', function: { name: 'list_stations', description: 'List the weather stations' } };

/** OpenAI's 400 for a chat body. */
const refusal = (body: unknown) => modelRefusal(() => sim.chat(body, ctx));

function calls(r: Json): { name: string; args: any }[] {
  return (r['choices'][0].message.tool_calls ?? []).map((c: Json) => ({ name: c.function.name, args: JSON.parse(c.function.arguments) }));
}

describe('a forced tool call', () => {
  const body = { messages: user('Hello there'), tools: [weather, time], tool_choice: { type: 'function', function: { name: 'get_current_weather' } } };

  test("OpenAI's exact message shape, finish_reason tool_calls, arguments valid against the parameters", () => {
    const r = chat(body);
    const [choice] = r['choices'];
    const [call] = choice.message.tool_calls;
    assert.match(call.id, /^call_[A-Za-z0-9]{24}$/);
    assert.deepEqual(choice.message, {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: call.id, type: 'function', function: { name: 'get_current_weather', arguments: call.function.arguments } }],
      refusal: null,
      annotations: [],
    });
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.logprobs, null);
    assert.deepEqual(validate(JSON.parse(call.function.arguments), WEATHER_PARAMS), []);
    assert.equal(call.function.arguments, JSON.stringify(JSON.parse(call.function.arguments)));
  });

  test('deterministic: the same body gives the same id and arguments', () => {
    assert.deepEqual(chat(body)['choices'][0].message, chat(structuredClone(body))['choices'][0].message);
  });

  test('usage: the prompt counts the definitions by the cookbook rule; the completion counts name and arguments', () => {
    const tok = tokenizer('o200k_base');
    const r = chat({ ...body, tools: [weather] });
    const plain = chat({ messages: body.messages })['usage'].prompt_tokens;
    // func_init 7, "name:description" (final dot dropped), prop_init 3, per property 3 + "key:type:description", enum -3 + 3 + value per value, func_end 12.
    const definitions =
      7 +
      tok.count('get_current_weather:Get the current weather in a given location') +
      3 +
      3 +
      tok.count('location:string:The city and state, e.g. San Francisco, CA') +
      3 -
      3 +
      (3 + tok.count('celsius')) +
      (3 + tok.count('fahrenheit')) +
      tok.count('unit:string:The unit of temperature to return') +
      12;
    assert.equal(r['usage'].prompt_tokens, plain + definitions);
    const [call] = r['choices'][0].message.tool_calls;
    assert.equal(r['usage'].completion_tokens, tok.count('get_current_weather') + tok.encode(call.function.arguments).length);
  });

  test('a function without parameters is called with {}', () => {
    const r = chat({ messages: user('hi'), tools: [noArgs], tool_choice: { type: 'function', function: { name: 'list_stations' } } });
    assert.deepEqual(calls(r), [{ name: 'list_stations', args: {} }]);
  });

  test('with n > 1 every choice calls the function, with its own arguments', () => {
    const r = chat({ ...body, n: 3 });
    assert.deepEqual(r['choices'].map((c: Json) => c.finish_reason), ['tool_calls', 'tool_calls', 'tool_calls']);
    assert.equal(new Set(r['choices'].map((c: Json) => c.message.tool_calls[0].id)).size, 3);
  });
});

describe('the response cache', () => {
  test('serves tool calls, structured content and logprobs from the cache, with each call\'s id and time', () => {
    const backend = createSimulatorBackend(sim);
    const bodies = [
      { messages: user('Weather in Paris?'), tools: [weather] },
      { messages: user('json'), response_format: { type: 'json_object' }, logprobs: true, top_logprobs: 2 },
    ];
    for (const body of bodies) {
      const request = (id: string, created: number): ModelRequest => ({ body, text: JSON.stringify(body), deploymentKey: 'dep-key', ctx: { ...ctx, id, created } });
      const first = backend.chat(request('chatcmpl-one', 100));
      const again = backend.chat(request('chatcmpl-two', 200));
      assert.deepEqual(JSON.parse(first as string), sim.chat(body, { ...ctx, id: 'chatcmpl-one', created: 100 }));
      assert.deepEqual(JSON.parse(again as string), sim.chat(body, { ...ctx, id: 'chatcmpl-two', created: 200 }));
    }
  });
});

describe('tool_choice auto: the deterministic rule', () => {
  test('the last user message shares a word with a tool → that tool is called', () => {
    assert.deepEqual(calls(chat({ messages: user("What's the weather like in Paris?"), tools: [time, weather] })).map((c) => c.name), ['get_current_weather']);
    assert.deepEqual(calls(chat({ messages: user('Which timezone is Tokyo in?'), tools: [time, weather] })).map((c) => c.name), ['get_time']);
  });

  test('no shared word → a text answer, as without tools', () => {
    const r = chat({ messages: user('Tell me a joke'), tools: [weather, time] });
    assert.equal(r['choices'][0].finish_reason, 'stop');
    assert.equal(typeof r['choices'][0].message.content, 'string');
    assert.equal(r['choices'][0].message.tool_calls, undefined);
  });

  test('common words do not count ("what", "current", "the")', () => {
    assert.equal(chat({ messages: user('What is the current state of the art?'), tools: [weather] })['choices'][0].finish_reason, 'stop');
    assert.deepEqual([...keywords('getCurrentWeather get_time Stations')], ['weather', 'time', 'station']);
  });

  test('several matching tools: all called with parallel_tool_calls (the default), the best one without', () => {
    const ask = user('Weather and time in Tokyo timezone please');
    assert.deepEqual(calls(chat({ messages: ask, tools: [weather, time] })).map((c) => c.name), ['get_time', 'get_current_weather']);
    assert.deepEqual(calls(chat({ messages: ask, tools: [weather, time], parallel_tool_calls: false })).map((c) => c.name), ['get_time']);
    const ids = chat({ messages: ask, tools: [weather, time] })['choices'][0].message.tool_calls.map((c: Json) => c.id);
    assert.equal(new Set(ids).size, 2);
  });

  test('after a tool result the answer is text, so an agent loop ends', () => {
    const first = chat({ messages: user('Weather in Paris?'), tools: [weather] });
    const call = first['choices'][0].message.tool_calls[0];
    const r = chat({
      messages: [...user('Weather in Paris?'), first['choices'][0].message, { role: 'tool', tool_call_id: call.id, content: '{"temperature": 21}' }],
      tools: [weather],
    });
    assert.equal(r['choices'][0].finish_reason, 'stop');
    assert.equal(typeof r['choices'][0].message.content, 'string');
  });

  test('required calls a tool even without a shared word; none never calls one', () => {
    const r = chat({ messages: user('Tell me a joke'), tools: [weather, time], tool_choice: 'required' });
    assert.equal(r['choices'][0].finish_reason, 'tool_calls');
    assert.equal(r['choices'][0].message.tool_calls.length, 1);
    const none = chat({ messages: user('Weather in Paris?'), tools: [weather], tool_choice: 'none' });
    assert.equal(none['choices'][0].finish_reason, 'stop');
  });
});

describe('streamed tool calls', () => {
  const body = { messages: user('Weather and time in Tokyo timezone'), tools: [weather, time], stream: true };

  test("OpenAI's sequence: role with the first call's header, argument fragments, the next header, finish_reason tool_calls", () => {
    const list = chunks(body);
    const plain = chat(body)['choices'][0].message.tool_calls;
    const deltas = list.slice(1).map((c) => c['choices'][0]);
    assert.deepEqual(deltas[0], {
      index: 0,
      delta: {
        role: 'assistant',
        content: null,
        tool_calls: [{ index: 0, id: plain[0].id, type: 'function', function: { name: plain[0].function.name, arguments: '' } }],
        refusal: null,
      },
      finish_reason: null,
      logprobs: null,
      content_filter_results: {},
    });
    assert.deepEqual(deltas[1].delta, { tool_calls: [{ index: 0, function: { arguments: '{"' } }] });
    const second = deltas.findIndex((d) => d.delta.tool_calls?.[0]?.index === 1);
    assert.deepEqual(deltas[second].delta, {
      tool_calls: [{ index: 1, id: plain[1].id, type: 'function', function: { name: plain[1].function.name, arguments: '' } }],
    });
    assert.deepEqual(deltas.at(-1), { index: 0, delta: {}, finish_reason: 'tool_calls', logprobs: null, content_filter_results: {} });
    // Assembled as a client does, the fragments are the plain answer's calls.
    const assembled: Json[] = [];
    for (const d of deltas) {
      for (const t of d.delta.tool_calls ?? []) {
        assembled[t.index] ??= { id: t.id, type: t.type, function: { name: t.function.name, arguments: '' } };
        assembled[t.index]!.function.arguments += t.function.arguments;
      }
    }
    assert.deepEqual(assembled, plain);
  });
});

describe('the legacy functions / function_call', () => {
  const functions = [weather.function];

  test('answered with message.function_call and finish_reason function_call', () => {
    const r = chat({ messages: user('Weather in Paris?'), functions });
    const message = r['choices'][0].message;
    assert.deepEqual(Object.keys(message), ['role', 'content', 'function_call', 'refusal', 'annotations']);
    assert.equal(message.content, null);
    assert.equal(message.function_call.name, 'get_current_weather');
    assert.deepEqual(validate(JSON.parse(message.function_call.arguments), WEATHER_PARAMS), []);
    assert.equal(r['choices'][0].finish_reason, 'function_call');
  });

  test('function_call by name forces it; "none" answers text; streaming sends function_call deltas', () => {
    assert.equal(chat({ messages: user('hi'), functions, function_call: { name: 'get_current_weather' } })['choices'][0].finish_reason, 'function_call');
    assert.equal(chat({ messages: user('Weather?'), functions, function_call: 'none' })['choices'][0].finish_reason, 'stop');
    const list = chunks({ messages: user('Weather?'), functions, stream: true }).slice(1).map((c) => c['choices'][0].delta);
    assert.deepEqual(list[0], { role: 'assistant', content: null, function_call: { name: 'get_current_weather', arguments: '' }, refusal: null });
    assert.deepEqual(list[1], { function_call: { arguments: '{"' } });
  });
});

describe("refusals, in OpenAI's words", () => {
  const cases: [string, Json, { message: string; param: string | null; code: string | null }][] = [
    ['tools as a string', { tools: 'none' }, { message: "Invalid type for 'tools': expected an array of objects, but got a string instead.", param: 'tools', code: 'invalid_type' }],
    ['a tool with no function', { tools: [{ type: 'function' }] }, { message: "Missing required parameter: 'tools[0].function'.", param: 'tools[0].function', code: 'missing_required_parameter' }],
    [
      'a function with no name',
      { tools: [{ type: 'function', function: { parameters: {} } }] },
      { message: "Missing required parameter: 'tools[0].function.name'.", param: 'tools[0].function.name', code: 'missing_required_parameter' },
    ],
    [
      'a blank name',
      { tools: [{ type: 'function', function: { name: '' } }] },
      { message: "Invalid 'tools[0].function.name': empty string. Expected a string with minimum length 1, but got an empty string instead.", param: 'tools[0].function.name', code: 'empty_string' },
    ],
    [
      'a name with colons',
      { tools: [weather, { type: 'function', function: { name: 'mcp::github::get_me' } }] },
      {
        message: "Invalid 'tools[1].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
        param: 'tools[1].function.name',
        code: 'invalid_value',
      },
    ],
    [
      'an unknown tool_choice string',
      { tools: [weather], tool_choice: 'bogus' },
      { message: "Invalid value: 'bogus'. Supported values are: 'none', 'auto', and 'required'.", param: 'tool_choice', code: 'invalid_value' },
    ],
    [
      'an integer tool_choice',
      { tools: [weather], tool_choice: 7 },
      { message: "Invalid type for 'tool_choice': expected one of one of 'none', 'auto', or 'required' or object, but got an integer instead.", param: 'tool_choice', code: 'invalid_type' },
    ],
    [
      'a tool_choice with no function',
      { tools: [weather], tool_choice: { type: 'bogus' } },
      { message: "Missing required parameter: 'tool_choice.function'.", param: 'tool_choice.function', code: 'missing_required_parameter' },
    ],
    [
      'a tool_choice naming an undeclared function',
      { tools: [weather], tool_choice: { type: 'function', function: { name: 'never_declared' } } },
      { message: "Invalid value for 'function_call': no function named 'never_declared' was specified in the 'functions' parameter.", param: 'function_call', code: null },
    ],
    [
      'tool_choice without tools',
      { tool_choice: 'auto' },
      { message: "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", param: 'tool_choice', code: null },
    ],
    [
      'parallel_tool_calls as an object',
      { tools: [weather], parallel_tool_calls: { a: 1 } },
      { message: "Invalid type for 'parallel_tool_calls': expected a boolean, but got an object instead.", param: 'parallel_tool_calls', code: 'invalid_type' },
    ],
    [
      'a strict function whose schema leaves a property out of required',
      { tools: [{ type: 'function', function: { name: 'get_tables', strict: true, parameters: { type: 'object', properties: { schema: { type: 'string' } }, required: [], additionalProperties: false } } }] },
      {
        message: "Invalid schema for function 'get_tables': In context=(), 'required' is required to be supplied and to be an array including every key in properties. Missing 'schema'.",
        param: 'tools[0].function.parameters',
        code: 'invalid_function_parameters',
      },
    ],
    [
      'parameters that are not an object schema',
      { tools: [{ type: 'function', function: { name: 'getWeather', parameters: { properties: { city: { type: 'string' } } } } }] },
      {
        message: `Invalid schema for function 'getWeather': schema must be a JSON Schema of 'type: "object"', got 'type: "None"'.`,
        param: 'tools[0].function.parameters',
        code: 'invalid_function_parameters',
      },
    ],
    [
      'functions as a string',
      { functions: 'x' },
      { message: "Invalid type for 'functions': expected an array of function definitions, but got a string instead.", param: 'functions', code: 'invalid_type' },
    ],
    [
      'a function_call object with no name',
      { functions: [{ name: 'f', parameters: {} }], function_call: { x: 1 } },
      { message: "Missing required parameter: 'function_call.name'.", param: 'function_call.name', code: 'missing_required_parameter' },
    ],
  ];
  for (const [name, extra, expected] of cases) {
    test(name, () => assert.deepEqual(refusal({ messages: user('Weather?'), ...extra }), expected));
  }

  test('a tool message that answers no call', () => {
    assert.deepEqual(refusal({ messages: [...user('hi'), { role: 'assistant', content: 'hello' }, { role: 'tool', tool_call_id: 'call_1', content: '4' }] }), {
      message: "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
      param: 'messages.[2].role',
      code: null,
    });
  });

  test('calls left unanswered', () => {
    const assistant = {
      role: 'assistant',
      tool_calls: [
        { id: 'call_a', type: 'function', function: { name: 'f', arguments: '{}' } },
        { id: 'call_b', type: 'function', function: { name: 'f', arguments: '{}' } },
      ],
    };
    assert.deepEqual(refusal({ messages: [...user('hi'), assistant, { role: 'tool', tool_call_id: 'call_a', content: '1' }, ...user('next')] }), {
      message:
        "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: call_b",
      param: 'messages.[1].role',
      code: null,
    });
  });

  test('a tool message without tool_call_id', () => {
    const assistant = { role: 'assistant', tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'f', arguments: '{}' } }] };
    assert.deepEqual(refusal({ messages: [...user('hi'), assistant, { role: 'tool', content: '1' }] }), {
      message: "Missing parameter 'tool_call_id': messages with role 'tool' must have a 'tool_call_id'.",
      param: 'messages.[2].tool_call_id',
      code: null,
    });
  });
});
