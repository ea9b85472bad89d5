import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSimulator, createSimulatorBackend, ModelInputError, ResponseStore, type CallContext, type ModelRequest } from '../../src/models/index.js';
import { tokenizer } from '../../src/models/tokenizer.js';

/** The simulator's Responses API: OpenAI's Response object and event stream, deterministic, with stored responses per owner. */
const sim = createSimulator();
type Json = Record<string, any>;
const ctx = (id = 'resp_test', created = 1_700_000_000, modelName = 'gpt-4o'): CallContext => ({ deployment: 'dep', modelName, created, id });
const respond = (body: unknown, c = ctx()): Json => sim.response(body, c) as Json;
const events = (body: unknown, c = ctx()): Json[] => [...sim.responseStream(body, c)] as Json[];
const chatUsage = (messages: unknown[]): Json => (sim.chat({ messages }, ctx()) as Json)['usage'];
const o200k = () => tokenizer('o200k_base');
const MESSAGE_ID = /^msg_[0-9a-f]{48}$/;

function expectError(fn: () => unknown, param: string | null, message: string, code: string | null): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ModelInputError);
    assert.equal(error.message, message);
    assert.equal(error.param, param);
    assert.equal(error.openaiCode, code);
    return true;
  });
}

describe('responses: the Response object', () => {
  test('the whole object, as OpenAI answers a plain text request', () => {
    const r = respond({ model: 'ignored', input: 'Hello, world!' }, ctx('resp_abc', 123));
    const message = r['output'][0];
    const text: string = message.content[0].text;
    assert.ok(text.length > 0);
    assert.match(message.id, MESSAGE_ID);
    const outputTokens = o200k().encode(text).length;
    assert.deepEqual(r, {
      id: 'resp_abc',
      object: 'response',
      created_at: 123,
      status: 'completed',
      background: false,
      completed_at: 123,
      error: null,
      incomplete_details: null,
      instructions: null,
      max_output_tokens: null,
      max_tool_calls: null,
      model: 'gpt-4o',
      output: [{ id: message.id, type: 'message', status: 'completed', content: [{ type: 'output_text', annotations: [], logprobs: [], text }], role: 'assistant' }],
      parallel_tool_calls: true,
      previous_response_id: null,
      prompt_cache_key: null,
      reasoning: { effort: null, summary: null },
      safety_identifier: null,
      service_tier: 'default',
      store: true,
      temperature: 1,
      text: { format: { type: 'text' }, verbosity: 'medium' },
      tool_choice: 'auto',
      tools: [],
      top_logprobs: 0,
      top_p: 1,
      truncation: 'disabled',
      // The same count as a chat request with the one user message: 3 + (3 + 1 + 4) = 11.
      usage: { input_tokens: 11, input_tokens_details: { cached_tokens: 0 }, output_tokens: outputTokens, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 11 + outputTokens },
      user: null,
      metadata: {},
    });
  });

  test('request settings are echoed', () => {
    const body = {
      input: 'x as json', instructions: 'Be brief.', temperature: 0.5, top_p: 0.9, store: false, metadata: { k: 'v' }, user: 'u1',
      text: { format: { type: 'json_object' } }, tools: [{ type: 'function', name: 'f', parameters: {} }], tool_choice: 'none', reasoning: { effort: 'low' },
    };
    const r = respond(body);
    assert.equal(r['instructions'], 'Be brief.');
    assert.equal(r['temperature'], 0.5);
    assert.equal(r['top_p'], 0.9);
    assert.equal(r['store'], false);
    assert.deepEqual(r['metadata'], { k: 'v' });
    assert.equal(r['user'], 'u1');
    assert.deepEqual(r['text'], { format: { type: 'json_object' }, verbosity: 'medium' });
    assert.deepEqual(r['tools'], body.tools);
    assert.equal(r['tool_choice'], 'none');
    assert.deepEqual(r['reasoning'], { effort: 'low', summary: null });
  });

  test('a string input reads as one user message; message items with input_text parts read the same', () => {
    const plain = respond({ input: 'Tell me about tokens.' });
    const items = respond({ input: [{ role: 'user', content: [{ type: 'input_text', text: 'Tell me about tokens.' }] }] });
    const typed = respond({ input: [{ type: 'message', role: 'user', content: 'Tell me about tokens.' }] });
    assert.deepEqual(items['output'][0].content, plain['output'][0].content);
    assert.deepEqual(typed['usage'], plain['usage']);
    // Another input, another reply.
    assert.notEqual(respond({ input: 'Something else entirely.' })['output'][0].content[0].text, plain['output'][0].content[0].text);
  });

  test('input_tokens count instructions as a developer message and every item as chat counts messages', () => {
    const input = [
      { role: 'user', content: 'Hello' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hi! How can I help?', annotations: [] }] },
      { role: 'user', content: [{ type: 'input_text', text: 'Summarise this.' }, { type: 'input_text', text: 'Briefly.' }] },
    ];
    const r = respond({ instructions: 'You are terse.', input });
    const chat = chatUsage([
      { role: 'developer', content: 'You are terse.' },
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Hi! How can I help?' },
      { role: 'user', content: [{ type: 'text', text: 'Summarise this.' }, { type: 'text', text: 'Briefly.' }] },
    ]);
    assert.equal(r['usage'].input_tokens, chat['prompt_tokens']);
  });

  test('deterministic: the same request gets the same reply, whatever the id and time', () => {
    const a = respond({ input: 'Same question' }, ctx('resp_one', 1));
    const b = respond({ input: 'Same question', stream: false }, ctx('resp_two', 2));
    assert.equal(a['output'][0].content[0].text, b['output'][0].content[0].text);
    assert.notEqual(a['output'][0].id, b['output'][0].id);
  });

  test('max_output_tokens cuts the reply at exactly that many tokens: an incomplete response', () => {
    let cut: Json | undefined;
    for (let i = 0; i < 50 && cut === undefined; i++) {
      const full = respond({ input: `Question ${i}` });
      if (full['usage'].output_tokens > 16) cut = respond({ input: `Question ${i}`, max_output_tokens: 16 });
    }
    assert.ok(cut, 'some reply is longer than 16 tokens');
    assert.equal(cut['status'], 'incomplete');
    assert.deepEqual(cut['incomplete_details'], { reason: 'max_output_tokens' });
    assert.equal(cut['completed_at'], null);
    assert.equal(cut['max_output_tokens'], 16);
    assert.equal(cut['output'][0].status, 'incomplete');
    assert.equal(cut['usage'].output_tokens, 16);
    assert.equal(o200k().encode(cut['output'][0].content[0].text).length, 16);
  });

  test('invalid bodies are refused in OpenAI\'s words', () => {
    expectError(() => respond({}), 'input', "Missing required parameter: 'input'.", 'missing_required_parameter');
    expectError(() => respond({ input: 5 }), 'input', "Invalid type for 'input': expected one of a string or array of objects, but got an integer instead.", 'invalid_type');
    expectError(() => respond({ input: [] }), 'input', "Invalid 'input': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'empty_array');
    expectError(
      () => respond({ input: [{ role: 'robot', content: 'x' }] }),
      'input[0].role',
      "Invalid value: 'robot'. Supported values are: 'user', 'assistant', 'system', and 'developer'.",
      'invalid_value',
    );
    expectError(() => respond({ input: [{ role: 'user' }] }), 'input[0].content', "Missing required parameter: 'input[0].content'.", 'missing_required_parameter');
    expectError(
      () => respond({ input: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] }),
      'input[0].content[0].type',
      "Invalid value: 'text'. Supported values are: 'input_text', 'input_image', 'input_file', 'input_audio', 'output_text', and 'refusal'.",
      'invalid_value',
    );
    expectError(
      () => respond({ input: 'x', max_output_tokens: 15 }),
      'max_output_tokens',
      "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but got 15 instead.",
      'integer_below_min_value',
    );
    expectError(() => respond({ input: 'x', instructions: 3 }), 'instructions', "Invalid type for 'instructions': expected a string, but got an integer instead.", 'invalid_type');
    expectError(() => respond({ input: 'x', temperature: 3 }), 'temperature', "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 3 instead.", 'decimal_above_max_value');
  });
});

describe('responses: the event stream', () => {
  test('OpenAI\'s event sequence, numbered from 0, whose deltas make the text and whose last event is the whole response', () => {
    const body = { input: 'Stream me, please', instructions: 'Be nice.' };
    const stream = events(body, ctx('resp_s', 5));
    const final = respond(body, ctx('resp_s', 5));
    const text: string = final['output'][0].content[0].text;
    const deltas = stream.filter((e) => e['type'] === 'response.output_text.delta');
    assert.ok(deltas.length > 1);
    assert.deepEqual(stream.map((e) => e['type']), [
      'response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added',
      ...deltas.map(() => 'response.output_text.delta'),
      'response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed',
    ]);
    assert.deepEqual(stream.map((e) => e['sequence_number']), stream.map((_, i) => i));
    assert.equal(deltas.map((e) => e['delta']).join(''), text);

    const itemId: string = final['output'][0].id;
    const at = { item_id: itemId, output_index: 0, content_index: 0 };
    const started = { ...final, status: 'in_progress', completed_at: null, output: [], usage: null };
    assert.deepEqual(stream[0], { type: 'response.created', sequence_number: 0, response: started });
    assert.deepEqual(stream[1], { type: 'response.in_progress', sequence_number: 1, response: started });
    assert.deepEqual(stream[2], { type: 'response.output_item.added', sequence_number: 2, output_index: 0, item: { id: itemId, type: 'message', status: 'in_progress', content: [], role: 'assistant' } });
    assert.deepEqual(stream[3], { type: 'response.content_part.added', sequence_number: 3, ...at, part: { type: 'output_text', annotations: [], logprobs: [], text: '' } });
    assert.deepEqual(deltas[0], { type: 'response.output_text.delta', sequence_number: 4, ...at, delta: deltas[0]?.['delta'], logprobs: [] });
    const n = stream.length;
    assert.deepEqual(stream[n - 4], { type: 'response.output_text.done', sequence_number: n - 4, ...at, text, logprobs: [] });
    assert.deepEqual(stream[n - 3], { type: 'response.content_part.done', sequence_number: n - 3, ...at, part: { type: 'output_text', annotations: [], logprobs: [], text } });
    assert.deepEqual(stream[n - 2], { type: 'response.output_item.done', sequence_number: n - 2, output_index: 0, item: final['output'][0] });
    assert.deepEqual(stream[n - 1], { type: 'response.completed', sequence_number: n - 1, response: final });
  });

  test('a reply cut by max_output_tokens ends with response.incomplete', () => {
    for (let i = 0; i < 50; i++) {
      const body = { input: `Question ${i}`, max_output_tokens: 16 };
      if (respond(body)['status'] !== 'incomplete') continue;
      const stream = events(body);
      assert.equal(stream.at(-1)?.['type'], 'response.incomplete');
      assert.equal(stream.at(-2)?.['item'].status, 'incomplete');
      return;
    }
    assert.fail('no reply longer than 16 tokens');
  });

  test('invalid bodies throw before any event', () => {
    expectError(() => sim.responseStream({}, ctx()), 'input', "Missing required parameter: 'input'.", 'missing_required_parameter');
  });
});

describe('responses: the simulator backend stores them', () => {
  const request = (body: Json, id: string, scope = 'account-a'): ModelRequest => ({
    body, text: JSON.stringify(body), deploymentKey: `${scope}/deployments/dep`, ctx: ctx(id), scope,
  });

  test('a stored response is read back as answered, only by its owner, and deleted once', () => {
    const backend = createSimulatorBackend(sim);
    const answer = backend.responses(request({ input: 'Keep me' }, 'resp_keep'));
    assert.equal(typeof answer, 'string');
    assert.deepEqual(JSON.parse(answer), respond({ input: 'Keep me' }, ctx('resp_keep')));
    assert.equal(backend.stored.get('account-a', 'resp_keep'), answer);
    assert.equal(backend.stored.get('account-b', 'resp_keep'), undefined);
    assert.equal(backend.stored.delete('account-b', 'resp_keep'), false);
    assert.equal(backend.stored.delete('account-a', 'resp_keep'), true);
    assert.equal(backend.stored.delete('account-a', 'resp_keep'), false);
    assert.equal(backend.stored.get('account-a', 'resp_keep'), undefined);
  });

  test('store: false keeps nothing; a stream is stored as its last event\'s response, once it has all been sent', () => {
    const backend = createSimulatorBackend(sim);
    backend.responses(request({ input: 'Forget me', store: false }, 'resp_gone'));
    assert.equal(backend.stored.get('account-a', 'resp_gone'), undefined);
    const stream = backend.responsesStream(request({ input: 'Stream and keep', stream: true }, 'resp_streamed')) as Iterable<Json>;
    const seen: Json[] = [];
    for (const event of stream) {
      if (event['type'] === 'response.completed') assert.equal(backend.stored.get('account-a', 'resp_streamed'), undefined);
      seen.push(event);
    }
    assert.deepEqual(JSON.parse(backend.stored.get('account-a', 'resp_streamed') ?? 'null'), seen.at(-1)?.['response']);
  });

  test('previous_response_id continues the stored conversation; an unknown id (or another owner\'s) is OpenAI\'s 400', () => {
    const backend = createSimulatorBackend(sim);
    const first = JSON.parse(backend.responses(request({ input: 'Define catastrophic forgetting.', instructions: 'Not carried over.' }, 'resp_first')) as string);
    const firstText: string = first.output[0].content[0].text;
    const second = JSON.parse(backend.responses(request({ input: 'Explain it to a freshman.', previous_response_id: 'resp_first' }, 'resp_second')) as string);
    assert.equal(second.previous_response_id, 'resp_first');
    const chat = chatUsage([
      { role: 'user', content: 'Define catastrophic forgetting.' },
      { role: 'assistant', content: firstText },
      { role: 'user', content: 'Explain it to a freshman.' },
    ]);
    assert.equal(second.usage.input_tokens, chat['prompt_tokens']);
    // Chains go on: the third sees both turns.
    const third = JSON.parse(backend.responses(request({ input: 'And shorter?', previous_response_id: 'resp_second' }, 'resp_third')) as string);
    assert.ok(third.usage.input_tokens > second.usage.input_tokens + second.usage.output_tokens);
    for (const [id, scope] of [['resp_nope', 'account-a'], ['resp_first', 'account-b']] as const) {
      expectError(
        () => backend.responses(request({ input: 'x', previous_response_id: id }, 'resp_x', scope)),
        'previous_response_id',
        `Previous response with id '${id}' not found.`,
        'previous_response_not_found',
      );
    }
  });

  test('the store keeps the newest responses only', () => {
    const store = new ResponseStore(2);
    store.put('s', 'resp_1', '{"n":1}', []);
    store.put('s', 'resp_2', '{"n":2}', []);
    store.put('s', 'resp_3', '{"n":3}', []);
    assert.equal(store.get('s', 'resp_1'), undefined);
    assert.equal(store.get('s', 'resp_2'), '{"n":2}');
    assert.equal(store.get('s', 'resp_3'), '{"n":3}');
  });
});
