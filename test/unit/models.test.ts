import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from '../../src/shared/errors.js';
import { createSimulator, createSimulatorBackend, encodingForModel, ModelInputError, type CallContext, type ModelRequest } from '../../src/models/index.js';
import { tokenizer } from '../../src/models/tokenizer.js';

const sim = createSimulator();
const ctx = (modelName = 'gpt-4o', id = 'chatcmpl-test', created = 1_700_000_000): CallContext => ({
  deployment: 'dep',
  modelName,
  created,
  id,
});
const o200k = () => tokenizer('o200k_base');
const cl100k = () => tokenizer('cl100k_base');

type Json = Record<string, any>;
const chat = (body: unknown, c = ctx()): Json => sim.chat(body, c) as Json;
const chunks = (body: unknown, c = ctx()): Json[] => [...sim.chatStream(body, c)] as Json[];
const user = (content: string) => ({ messages: [{ role: 'user', content }] });

/** Many different requests, including user text that the reply may quote. */
const QUOTES = [
  'Hello, world!',
  'What is the capital of France?',
  'Explain   BPE\ttokenisation\nin two lines, please',
  'Ünïcödé façade — naïve café 東京 😀 test',
  '12345 numbers 3.14159 and symbols <|endoftext|> {}[]',
  '"quoted" text with \'apostrophes\' isn\'t it',
  'a',
];
function* variedBodies(count: number): Generator<Json> {
  for (let i = 0; i < count; i++) {
    yield { ...user(`${QUOTES[i % QUOTES.length]} #${i}`), seed: i };
  }
}

before(() => sim.warmUp(['gpt-4o', 'gpt-35-turbo']));

describe('tokenizer choice and counting', () => {
  test('model names map to o200k_base or cl100k_base', () => {
    for (const name of ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1-nano', 'o1', 'o3-mini', 'o4-mini', 'gpt-5', 'GPT-4o']) {
      assert.equal(encodingForModel(name), 'o200k_base', name);
    }
    for (const name of ['gpt-35-turbo', 'gpt-4', 'gpt-4-turbo', 'text-embedding-3-small', 'my-model']) {
      assert.equal(encodingForModel(name), 'cl100k_base', name);
    }
  });

  test('"Hello, world!" counts as the encoder says (4 tokens in both)', () => {
    for (const tok of [o200k(), cl100k()]) {
      const ids = tok.encode('Hello, world!');
      assert.equal(ids.length, 4);
      assert.equal(tok.count('Hello, world!'), ids.length);
      assert.equal(tok.decode(ids), 'Hello, world!');
    }
  });

  test('special-token text in content is counted as plain text', () => {
    assert.ok(o200k().count('<|endoftext|>') > 1);
  });
});

describe('chat completions', () => {
  test('response shape (Azure annotations included)', () => {
    const r = chat(user('Hello, world!'), ctx('gpt-4o', 'chatcmpl-abc', 123));
    assert.equal(r['id'], 'chatcmpl-abc');
    assert.equal(r['object'], 'chat.completion');
    assert.equal(r['created'], 123);
    assert.equal(r['model'], 'gpt-4o');
    assert.equal(r['system_fingerprint'], 'fp_keyless');
    const [choice] = r['choices'];
    assert.equal(choice.index, 0);
    assert.deepEqual(Object.keys(choice.message), ['role', 'content', 'refusal', 'annotations']);
    assert.equal(choice.message.role, 'assistant');
    assert.equal(typeof choice.message.content, 'string');
    assert.ok(choice.message.content.length > 0);
    assert.equal(choice.logprobs, null);
    const safe = { filtered: false, severity: 'safe' };
    assert.deepEqual(choice.content_filter_results, { hate: safe, self_harm: safe, sexual: safe, violence: safe });
    assert.deepEqual(r['prompt_filter_results'], [
      {
        prompt_index: 0,
        content_filter_results: { hate: safe, jailbreak: { filtered: false, detected: false }, self_harm: safe, sexual: safe, violence: safe },
      },
    ]);
    assert.deepEqual(r['usage'].prompt_tokens_details, { cached_tokens: 0, audio_tokens: 0 });
    assert.deepEqual(r['usage'].completion_tokens_details, {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    });
    // Plain JSON all the way down.
    assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
  });

  test('deterministic: same body → same content; stream, user, ids and times ignored', () => {
    const body = { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Tell me about tokens.' }], temperature: 0.2 };
    const a = chat(body);
    const b = chat({ ...body, stream: false, user: 'someone' }, ctx('gpt-4o', 'chatcmpl-other', 999));
    assert.deepEqual(a['choices'], b['choices']);
    assert.deepEqual(a['usage'], b['usage']);
    // Key order in the messages does not matter either.
    const c = chat({ temperature: 0.2, messages: [{ content: 'Be brief.', role: 'system' }, { content: 'Tell me about tokens.', role: 'user' }] });
    assert.deepEqual(a['choices'], c['choices']);
  });

  test('content depends on the messages and on seed/temperature', () => {
    const contents = new Set<string>();
    for (const body of [user('one'), user('two'), { ...user('one'), seed: 7 }, { ...user('one'), temperature: 1.5 }]) {
      contents.add(chat(body)['choices'][0].message.content);
    }
    assert.ok(contents.size >= 3, `only ${contents.size} distinct replies`);
  });

  test('prompt_tokens follow the chat formatting rule, counted with the model family tokenizer', () => {
    const messages = [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', name: 'alice', content: 'Hello, world!' },
      { role: 'assistant', content: 'Hi! How can I help?' },
      { role: 'user', content: [{ type: 'text', text: 'Summarise this.' }, { type: 'text', text: 'Briefly.' }] },
    ];
    for (const [model, tok] of [['gpt-4o', o200k()], ['gpt-35-turbo', cl100k()]] as const) {
      let expected = 3;
      for (const m of messages) {
        expected += 3 + tok.encode(m.role).length;
        const parts = typeof m.content === 'string' ? [m.content] : m.content.map((p) => p.text);
        for (const text of parts) expected += tok.encode(text).length;
        if (m.name !== undefined) expected += tok.encode(m.name).length + 1;
      }
      const usage = chat({ messages }, ctx(model))['usage'];
      assert.equal(usage.prompt_tokens, expected, model);
      assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
    }
    // The simplest case by hand: 3 + (3 + 1 "user" + 4 "Hello, world!") = 11.
    assert.equal(chat(user('Hello, world!'))['usage'].prompt_tokens, 11);
  });

  test('completion_tokens equal the tokenizer count of the reply (many replies, both encodings)', () => {
    for (const [model, tok] of [['gpt-4o-mini', o200k()], ['gpt-4', cl100k()]] as const) {
      let quoted = 0;
      for (const body of variedBodies(150)) {
        const r = chat(body, ctx(model));
        const content: string = r['choices'][0].message.content;
        assert.equal(r['usage'].completion_tokens, tok.encode(content).length, `${model}: ${content}`);
        assert.equal(r['choices'][0].finish_reason, 'stop');
        if (content.includes('"')) quoted++;
      }
      assert.ok(quoted > 0, 'some replies quote the user');
    }
  });

  test('max_tokens / max_completion_tokens truncate to exactly that many tokens with finish_reason "length"', () => {
    for (const limit of [1, 2, 5, 9]) {
      for (const key of ['max_tokens', 'max_completion_tokens']) {
        const r = chat({ ...user('Write a long answer about the weather.'), [key]: limit });
        const [choice] = r['choices'];
        assert.equal(choice.finish_reason, 'length');
        assert.equal(r['usage'].completion_tokens, limit);
        assert.equal(o200k().encode(choice.message.content).length, limit, choice.message.content);
      }
    }
    // Truncation inside quoted non-ASCII user text: still `limit` tokens billed, no broken character left.
    for (const body of variedBodies(60)) {
      const r = chat({ ...body, max_tokens: 6 });
      assert.equal(r['usage'].completion_tokens <= 6, true);
      assert.ok(!r['choices'][0].message.content.endsWith('\uFFFD'));
    }
    const roomy = chat({ ...user('Hi'), max_tokens: 4096 });
    assert.equal(roomy['choices'][0].finish_reason, 'stop');
    assert.ok(roomy['usage'].completion_tokens < 4096);
  });

  test('n choices: 1..128, each different, usage summed', () => {
    const r = chat({ ...user('Give me options.'), n: 5 });
    assert.equal(r['choices'].length, 5);
    assert.deepEqual(
      r['choices'].map((c: Json) => c.index),
      [0, 1, 2, 3, 4],
    );
    const contents: string[] = r['choices'].map((c: Json) => c.message.content);
    assert.ok(new Set(contents).size >= 4, 'choices differ');
    const sum = contents.reduce((s, c) => s + o200k().encode(c).length, 0);
    assert.equal(r['usage'].completion_tokens, sum);
    assert.equal(chat({ ...user('x'), n: 128 })['choices'].length, 128);
  });
});

describe('chat streaming', () => {
  test('prompt_filter_results first, role chunk, content deltas, finish last; deltas concatenate to the content', () => {
    for (const body of [...variedBodies(20), { ...user('Long answer please'), max_tokens: 7 }]) {
      const whole = chat(body)['choices'][0];
      const list = chunks({ ...body, stream: true });
      const [first, second, ...rest] = list;
      assert.deepEqual(first?.['choices'], []);
      assert.equal(first?.['id'], '');
      assert.equal(first?.['object'], '');
      assert.equal(first?.['created'], 0);
      assert.equal(first?.['model'], '');
      assert.equal(first?.['prompt_filter_results'][0].prompt_index, 0);

      assert.equal(second?.['object'], 'chat.completion.chunk');
      assert.equal(second?.['id'], 'chatcmpl-test');
      assert.equal(second?.['system_fingerprint'], 'fp_keyless');
      assert.equal(second?.['choices'][0].delta.role, 'assistant');
      assert.equal(second?.['choices'][0].delta.content, '');
      assert.equal(second?.['choices'][0].finish_reason, null);

      const last = rest.pop();
      assert.deepEqual(last?.['choices'][0].delta, {});
      assert.equal(last?.['choices'][0].finish_reason, whole.finish_reason);
      assert.ok(rest.length > 1, 'several content chunks');
      for (const c of rest) {
        assert.equal(c['choices'][0].finish_reason, null);
        assert.equal(c['choices'][0].content_filter_results.hate.severity, 'safe');
        assert.ok(!('usage' in c));
      }
      assert.equal(rest.map((c) => c['choices'][0].delta.content).join(''), whole.message.content);
    }
  });

  test('stream_options.include_usage: usage: null on chunks, then a final usage chunk', () => {
    const body = { ...user('Hello, world!'), max_tokens: 30 };
    const usage = chat(body)['usage'];
    const list = chunks({ ...body, stream: true, stream_options: { include_usage: true } });
    const last = list.at(-1);
    assert.deepEqual(last?.['choices'], []);
    assert.deepEqual(last?.['usage'], usage);
    for (const c of list.slice(1, -1)) assert.equal(c['usage'], null);
  });

  test('n > 1 streams every index; per-index deltas match the choices', () => {
    const body = { ...user('Two takes, please.'), n: 3 };
    const whole = chat(body)['choices'];
    const list = chunks(body).slice(1);
    for (let index = 0; index < 3; index++) {
      const mine = list.filter((c) => c['choices'][0]?.index === index);
      assert.equal(mine.map((c) => c['choices'][0].delta.content ?? '').join(''), whole[index].message.content);
      assert.equal(mine.at(-1)?.['choices'][0].finish_reason, whole[index].finish_reason);
    }
  });

  test('invalid bodies throw before any chunk is produced', () => {
    assert.throws(() => sim.chatStream({ messages: 'x' }, ctx()), ModelInputError);
  });
});

describe('legacy completions', () => {
  const instruct = ctx('gpt-35-turbo-instruct', 'cmpl-test');

  test('shape, default max_tokens 16, usage', () => {
    const r = sim.completion({ prompt: 'Once upon a time' }, instruct) as Json;
    assert.equal(r['object'], 'text_completion');
    assert.equal(r['id'], 'cmpl-test');
    const [choice] = r['choices'];
    assert.deepEqual(Object.keys(choice), ['text', 'index', 'finish_reason', 'logprobs', 'content_filter_results']);
    assert.equal(r['usage'].prompt_tokens, cl100k().encode('Once upon a time').length);
    assert.equal(r['usage'].completion_tokens, cl100k().encode(choice.text).length);
    assert.ok(r['usage'].completion_tokens <= 16);
    assert.equal(choice.finish_reason, r['usage'].completion_tokens === 16 ? 'length' : 'stop');
    assert.equal(r['usage'].total_tokens, r['usage'].prompt_tokens + r['usage'].completion_tokens);
  });

  test('array prompts × n: indexes, per-prompt filter results, stream matches', () => {
    const body = { prompt: ['Alpha', 'Beta'], n: 2, max_tokens: 40 };
    const r = sim.completion(body, instruct) as Json;
    assert.deepEqual(
      r['choices'].map((c: Json) => c.index),
      [0, 1, 2, 3],
    );
    assert.equal(r['prompt_filter_results'].length, 2);
    const list = [...sim.completionStream({ ...body, stream: true }, instruct)] as Json[];
    assert.equal(list[0]?.['prompt_filter_results'].length, 2);
    for (const choice of r['choices']) {
      const mine = list.slice(1).filter((c) => c['choices'][0].index === choice.index);
      assert.ok(mine.every((c) => c['object'] === 'text_completion'));
      assert.equal(mine.map((c) => c['choices'][0].text).join(''), choice.text);
      assert.equal(mine.at(-1)?.['choices'][0].finish_reason, choice.finish_reason);
    }
  });

  test('token-id prompts count one token per id', () => {
    const r = sim.completion({ prompt: [[1, 2, 3], [4, 5]] }, instruct) as Json;
    assert.equal(r['usage'].prompt_tokens, 5);
  });
});

describe('embeddings', () => {
  const small = ctx('text-embedding-3-small', 'x');
  const large = ctx('text-embedding-3-large', 'x');
  const embed = (body: unknown, c = small): Json => sim.embeddings(body, c) as Json;
  const decode = (b64: string): number[] => {
    const bytes = Uint8Array.from(Buffer.from(b64, 'base64'));
    return Array.from(new Float32Array(bytes.buffer));
  };
  const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

  test('float by default, unit length, deterministic, float32-representable; usage counts tokens', () => {
    const r = embed({ input: ['Hello, world!', 'Another text'] });
    assert.equal(r['object'], 'list');
    assert.equal(r['model'], 'text-embedding-3-small');
    assert.equal(r['data'].length, 2);
    const [a, b] = r['data'];
    assert.equal(a.object, 'embedding');
    assert.equal(a.index, 0);
    assert.equal(b.index, 1);
    assert.equal(a.embedding.length, 1536);
    assert.ok(Math.abs(norm(a.embedding) - 1) < 1e-5);
    assert.ok(a.embedding.every((x: number) => Math.fround(x) === x));
    assert.notDeepEqual(a.embedding, b.embedding);
    assert.deepEqual(embed({ input: 'Hello, world!' })['data'][0].embedding, a.embedding);
    const tokens = cl100k().encode('Hello, world!').length + cl100k().encode('Another text').length;
    assert.deepEqual(r['usage'], { prompt_tokens: tokens, total_tokens: tokens });
  });

  test('base64 decodes (little-endian float32) to the float vector', () => {
    const body = { input: 'The quick brown fox' };
    const floats = embed({ ...body, encoding_format: 'float' })['data'][0].embedding;
    const b64 = embed({ ...body, encoding_format: 'base64' })['data'][0].embedding;
    assert.equal(typeof b64, 'string');
    const decoded = decode(b64);
    assert.deepEqual(decoded, floats);
    assert.ok(Math.abs(norm(decoded) - 1) < 1e-5);
  });

  test('dimensions: model defaults and the parameter', () => {
    assert.equal(embed({ input: 'x' }, large)['data'][0].embedding.length, 3072);
    assert.equal(embed({ input: 'x' }, ctx('text-embedding-ada-002'))['data'][0].embedding.length, 1536);
    const short = embed({ input: 'x', dimensions: 256 }, large)['data'][0].embedding;
    assert.equal(short.length, 256);
    assert.ok(Math.abs(norm(short) - 1) < 1e-5);
    assert.equal(decode(embed({ input: 'x', dimensions: 8, encoding_format: 'base64' })['data'][0].embedding).length, 8);
  });

  test('token-id input embeds like its text', () => {
    const ids = cl100k().encode('Hello, world!');
    const r = embed({ input: ids });
    assert.deepEqual(r['data'][0].embedding, embed({ input: 'Hello, world!' })['data'][0].embedding);
    assert.equal(r['usage'].prompt_tokens, ids.length);
    assert.equal(embed({ input: [ids, ids] })['data'].length, 2);
  });
});

describe('input validation', () => {
  const expectError = (fn: () => unknown, param: string | null, message: string, code: string | null) => {
    assert.throws(fn, (error: unknown) => {
      assert.ok(error instanceof ModelInputError);
      assert.ok(error instanceof InvalidInputError);
      assert.equal(error.message, message);
      assert.equal(error.param, param);
      assert.equal(error.openaiCode, code);
      return true;
    });
  };
  const chatError = (body: unknown, param: string | null, message: string, code: string | null, model = 'gpt-4o') =>
    expectError(() => sim.chat(body, ctx(model)), param, message, code);

  test('chat messages', () => {
    chatError({}, null, "'messages' is a required property", null);
    chatError(null, null, "'messages' is a required property", null);
    chatError(
      { messages: 'hi' },
      'messages',
      "Invalid type for 'messages': expected an array of objects, but got a string instead.",
      'invalid_type',
    );
    chatError(
      { messages: [] },
      'messages',
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      'empty_array',
    );
    chatError(
      { messages: ['hi'] },
      'messages[0]',
      "Invalid type for 'messages[0]': expected an object, but got a string instead.",
      'invalid_type',
    );
    chatError(
      { messages: [{ role: 'user', content: 'a' }, { role: 'robot', content: 'b' }] },
      'messages[1].role',
      "Invalid value: 'robot'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.",
      'invalid_value',
    );
    chatError(
      { messages: [{ content: 'b' }] },
      'messages[0].role',
      "Missing required parameter: 'messages[0].role'.",
      'missing_required_parameter',
    );
    chatError(
      { messages: [{ role: 'user' }] },
      'messages[0].content',
      "Missing required parameter: 'messages[0].content'.",
      'missing_required_parameter',
    );
    chatError(
      { messages: [{ role: 'user', content: 5 }] },
      'messages[0].content',
      "Invalid type for 'messages[0].content': expected one of a string or array of objects, but got an integer instead.",
      'invalid_type',
    );
    chatError(
      { messages: [{ role: 'user', content: [{ type: 'text', text: 3 }] }] },
      'messages[0].content[0].text',
      "Invalid type for 'messages[0].content[0].text': expected a string, but got an integer instead.",
      'invalid_type',
    );
    // An assistant turn may omit content (tool calls).
    const toolCall = { id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } };
    const ok = chat({ messages: [{ role: 'user', content: 'x' }, { role: 'assistant', tool_calls: [toolCall] }, { role: 'tool', tool_call_id: 'c1', content: '42' }] });
    assert.equal(ok['choices'].length, 1);
  });

  test('chat numeric parameters', () => {
    const base = user('hi');
    chatError(
      { ...base, n: 0 },
      'n',
      "Invalid 'n': integer below minimum value. Expected a value >= 1, but got 0 instead.",
      'integer_below_min_value',
    );
    chatError(
      { ...base, n: 129 },
      'n',
      "Invalid 'n': integer above maximum value. Expected a value <= 128, but got 129 instead.",
      'integer_above_max_value',
    );
    chatError({ ...base, n: 'two' }, 'n', "Invalid type for 'n': expected an integer, but got a string instead.", 'invalid_type');
    chatError(
      { ...base, max_tokens: 0 },
      'max_tokens',
      "Invalid 'max_tokens': integer below minimum value. Expected a value >= 1, but got 0 instead.",
      'integer_below_min_value',
    );
    chatError(
      { ...base, max_tokens: 1.5 },
      'max_tokens',
      "Invalid type for 'max_tokens': expected an integer, but got a decimal instead.",
      'invalid_type',
    );
    chatError(
      { ...base, temperature: 3 },
      'temperature',
      "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 3 instead.",
      'decimal_above_max_value',
    );
    chatError(
      { ...base, max_tokens: 10 },
      'max_tokens',
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      'unsupported_parameter',
      'o3-mini',
    );
    assert.equal(chat({ ...base, max_tokens: null, n: null })['choices'].length, 1, 'null means absent');
  });

  test('completions prompt', () => {
    const c = ctx('gpt-35-turbo-instruct');
    expectError(() => sim.completion({}, c), null, "'prompt' is a required property", null);
    const invalid = "'$.prompt' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.";
    expectError(() => sim.completion({ prompt: [] }, c), null, invalid, null);
    expectError(() => sim.completion({ prompt: [{}] }, c), null, invalid, null);
  });

  test('embeddings input, encoding_format and dimensions', () => {
    const c = ctx('text-embedding-3-small');
    const embed = (body: unknown, model = c) => () => sim.embeddings(body, model);
    const invalid = "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.";
    expectError(embed({}), null, "'input' is a required property", null);
    for (const input of ['', [], [''], ['a', 2], [1.5], [[]], [-1], { text: 'a' }, new Array(2049).fill('a')]) {
      expectError(embed({ input }), null, invalid, null);
    }
    assert.equal((sim.embeddings({ input: new Array(2048).fill('a'), dimensions: 2 }, c) as Json)['data'].length, 2048);
    expectError(
      embed({ input: 'a', encoding_format: 'hex' }),
      'encoding_format',
      "Invalid value: 'hex'. Supported values are: 'float' and 'base64'.",
      'invalid_value',
    );
    expectError(
      embed({ input: 'a', dimensions: 2000 }),
      'dimensions',
      "Invalid 'dimensions': integer above maximum value. Expected a value <= 1536, but got 2000 instead.",
      'integer_above_max_value',
    );
    expectError(
      embed({ input: 'a', dimensions: 256 }, ctx('text-embedding-ada-002')),
      null,
      'This model does not support specifying dimensions.',
      null,
    );
  });
});

describe('cost on the hot path', () => {
  const perCallMicros = (calls: number, fn: (i: number) => void): number => {
    for (let i = 0; i < 500; i++) fn(i);
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) fn(i);
    return Number(process.hrtime.bigint() - start) / 1000 / calls;
  };

  test('one short chat call stays well under 1 ms after warm-up', (t) => {
    const body = { messages: [{ role: 'system', content: 'You are a helpful assistant.' }, { role: 'user', content: 'What is the capital of France?' }] };
    const c = ctx();
    const same = perCallMicros(5000, () => sim.chat(body, c));
    const distinct = perCallMicros(5000, (i) =>
      sim.chat({ messages: [body.messages[0], { role: 'user', content: `Question number ${i}: what is the capital of France?` }] }, c),
    );
    const streamed = perCallMicros(2000, () => {
      for (const chunk of sim.chatStream(body, c)) JSON.stringify(chunk);
    });
    const embedding = perCallMicros(1000, (i) => sim.embeddings({ input: `text ${i}` }, ctx('text-embedding-3-small')));
    t.diagnostic(
      `chat µs/call: repeated body ${same.toFixed(1)}, distinct user text ${distinct.toFixed(1)}; ` +
        `stream incl. JSON.stringify ${streamed.toFixed(1)}; embedding (1536 floats) ${embedding.toFixed(1)}`,
    );
    assert.ok(same < 1000 && distinct < 1000, `chat too slow: ${same}/${distinct} µs`);
  });
});

describe('the simulator backend (the data plane\'s ModelBackend)', () => {
  const backend = createSimulatorBackend(sim);
  const request = (body: Json, id: string, created: number, deploymentKey = 'dep-key'): ModelRequest => ({
    body, text: JSON.stringify(body), deploymentKey, ctx: ctx('gpt-4o', id, created),
  });

  test('answers with the serialised answer at once, the same as the model, with the id and time of each call', () => {
    const body = user('Cache me');
    const first = backend.chat(request(body, 'chatcmpl-one', 100));
    const again = backend.chat(request(body, 'chatcmpl-two', 200));
    assert.equal(typeof first, 'string', 'a ready answer, not a promise');
    assert.deepEqual(JSON.parse(first), chat(body, ctx('gpt-4o', 'chatcmpl-one', 100)));
    assert.deepEqual(JSON.parse(again), chat(body, ctx('gpt-4o', 'chatcmpl-two', 200)));
  });

  test('refuses invalid input with ModelInputError, cached or not', () => {
    for (let i = 0; i < 2; i++) assert.throws(() => backend.chat(request({ messages: [] }, 'chatcmpl-x', 1)), ModelInputError);
  });

  test('streams the model\'s chunks', () => {
    const body = { ...user('Stream me'), stream: true };
    assert.deepEqual([...(backend.chatStream(request(body, 'chatcmpl-s', 5)) as Iterable<Json>)], chunks(body, ctx('gpt-4o', 'chatcmpl-s', 5)));
  });
});

describe('usage read from answers', () => {
  test("the simulator's own answer: the fields after the last \"usage\":{, which a caller's metadata cannot forge", async () => {
    const { usageFromJson, usageOfBody } = await import('../../src/models/index.js');
    const forged = '{"id":"resp_1","usage":{"input_tokens":12,"input_tokens_details":{"cached_tokens":0},"output_tokens":34,"total_tokens":46},"metadata":{"input_tokens":"x","output_tokens":"999"}}';
    assert.deepEqual(usageFromJson(forged), { promptTokens: 12, completionTokens: 34 });
    assert.deepEqual(usageOfBody(forged), { promptTokens: 12, completionTokens: 34 });
    assert.equal(usageOfBody('{"usage":{"prompt_tokens":"12"}}'), undefined, 'an upstream usage that is not a count is not used');
    assert.equal(usageOfBody('<html>'), undefined);
    assert.deepEqual(usageOfBody('{"usage": {"prompt_tokens": 3, "completion_tokens": 4}}'), { promptTokens: 3, completionTokens: 4 }, 'a spaced layout is parsed whole');
    assert.equal(usageOfBody('{"usage":{"prompt_tokens":99999999999999999999,"completion_tokens":1}}'), undefined, 'counts past 2^53 are not used');
  });
});
