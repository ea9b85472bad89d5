import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSimulator, ModelInputError, type CallContext } from '../../src/models/index.js';
import { tokenizer } from '../../src/models/tokenizer.js';

/** logprobs on chat (`logprobs` + `top_logprobs`) and on legacy completions (`logprobs: k`), plain and streamed. */
const sim = createSimulator();
const ctx = (modelName = 'gpt-4o'): CallContext => ({ deployment: 'dep', modelName, created: 1_700_000_000, id: 'chatcmpl-test' });
type Json = Record<string, any>;
const chat = (body: unknown, model = 'gpt-4o'): Json => sim.chat(body, ctx(model)) as Json;
const user = (content: string) => [{ role: 'user', content }];
const o200k = () => tokenizer('o200k_base');

function refusal(run: () => unknown): { message: string; param: string | null; code: string | null } {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ModelInputError, String(error));
    return { message: error.message, param: error.param, code: error.openaiCode };
  }
  assert.fail('expected a 400');
}

describe('chat logprobs', () => {
  const body = { messages: user('Explain tokenisation'), logprobs: true, top_logprobs: 3 };

  test('one entry per content token: token, logprob, bytes, and the k most likely, the chosen one first', () => {
    const [choice] = chat(body)['choices'];
    const { content, refusal: none } = choice.logprobs;
    assert.equal(none, null);
    const ids = o200k().encode(choice.message.content);
    assert.equal(content.length, ids.length);
    assert.equal(content.map((e: Json) => e.token).join(''), choice.message.content);
    content.forEach((entry: Json, i: number) => {
      assert.deepEqual(Object.keys(entry), ['token', 'logprob', 'bytes', 'top_logprobs']);
      assert.deepEqual(entry.bytes, [...Buffer.from(o200k().decode([ids[i]!]))]);
      assert.ok(entry.logprob <= 0 && entry.logprob >= Math.log(0.5), String(entry.logprob));
      assert.equal(entry.top_logprobs.length, 3);
      assert.deepEqual(entry.top_logprobs[0], { token: entry.token, logprob: entry.logprob, bytes: entry.bytes });
      const lps = entry.top_logprobs.map((t: Json) => t.logprob);
      assert.deepEqual([...lps].sort((a, b) => b - a), lps, 'most likely first');
      assert.equal(new Set(entry.top_logprobs.map((t: Json) => t.token)).size, 3, 'distinct tokens');
      assert.ok(lps.reduce((sum: number, lp: number) => sum + Math.exp(lp), 0) <= 1 + 1e-9, 'probabilities sum to at most 1');
    });
  });

  test('the content is the same with and without logprobs, and the numbers are deterministic', () => {
    const plain = chat({ messages: body.messages })['choices'][0];
    const withLogprobs = chat(body)['choices'][0];
    assert.equal(withLogprobs.message.content, plain.message.content);
    assert.equal(plain.logprobs, null);
    assert.deepEqual(chat(structuredClone(body))['choices'][0].logprobs, withLogprobs.logprobs);
  });

  test('top_logprobs 0 (or absent) gives empty top_logprobs lists', () => {
    for (const extra of [{ top_logprobs: 0 }, {}]) {
      const { content } = chat({ messages: body.messages, logprobs: true, ...extra })['choices'][0].logprobs;
      assert.ok(content.length > 0);
      for (const entry of content) assert.deepEqual(entry.top_logprobs, []);
    }
  });

  test('streamed: each content chunk carries its own tokens\' entries, which together are the plain answer\'s', () => {
    const plain = chat(body)['choices'][0].logprobs;
    const chunks = [...sim.chatStream({ ...body, stream: true }, ctx())] as Json[];
    const choices = chunks.flatMap((c) => c['choices']);
    const entries: Json[] = [];
    for (const c of choices) {
      if (c.delta.content) {
        assert.equal(c.logprobs.refusal, null);
        assert.equal(c.logprobs.content.map((e: Json) => e.token).join(''), c.delta.content);
        entries.push(...c.logprobs.content);
      } else {
        assert.equal(c.logprobs, null);
      }
    }
    assert.deepEqual(entries, plain.content);
  });

  test('structured content has logprobs too; a tool-call answer has none to give', () => {
    const json = chat({ messages: user('json please'), response_format: { type: 'json_object' }, logprobs: true })['choices'][0];
    assert.equal(json.logprobs.content.map((e: Json) => e.token).join(''), json.message.content);
    const tools = [{ type: 'function', function: { name: 'f' } }];
    const call = chat({ messages: user('hi'), tools, tool_choice: 'required', logprobs: true })['choices'][0];
    assert.deepEqual(call.logprobs, { content: null, refusal: null });
  });

  test("refusals in OpenAI's words", () => {
    assert.deepEqual(refusal(() => chat({ ...body, top_logprobs: 21 })), {
      message: "Invalid value for 'top_logprobs': must be less than or equal to 20.",
      param: 'top_logprobs',
      code: null,
    });
    assert.deepEqual(refusal(() => chat({ ...body, top_logprobs: -1 })), {
      message: "Invalid 'top_logprobs': integer below minimum value. Expected a value >= 0, but got -1 instead.",
      param: 'top_logprobs',
      code: 'integer_below_min_value',
    });
    assert.deepEqual(refusal(() => chat({ messages: body.messages, top_logprobs: 1 })), {
      message: "The 'top_logprobs' parameter is only allowed when 'logprobs' is enabled.",
      param: 'top_logprobs',
      code: null,
    });
    assert.deepEqual(refusal(() => chat({ messages: body.messages, logprobs: 'yes' })), {
      message: "Invalid type for 'logprobs': expected a boolean, but got a string instead.",
      param: 'logprobs',
      code: 'invalid_type',
    });
    assert.deepEqual(refusal(() => chat({ messages: body.messages, logprobs: true }, 'o3-mini')), {
      message: "Unsupported parameter: 'logprobs' is not supported with this model.",
      param: 'logprobs',
      code: 'unsupported_parameter',
    });
    assert.equal(chat({ ...body, top_logprobs: 20 })['choices'][0].logprobs.content[0].top_logprobs.length, 20);
  });
});

describe('legacy completion logprobs', () => {
  const model = 'gpt-35-turbo-instruct';
  const completion = (body: unknown): Json => sim.completion(body, ctx(model)) as Json;
  const cl100k = () => tokenizer('cl100k_base');

  test('tokens, token_logprobs, top_logprobs (k entries, the chosen one included) and text_offset from the end of the prompt', () => {
    const prompt = 'Say this is a test';
    const [choice] = completion({ prompt, logprobs: 2, max_tokens: 6 })['choices'];
    const lp = choice.logprobs;
    assert.deepEqual(Object.keys(lp), ['tokens', 'token_logprobs', 'top_logprobs', 'text_offset']);
    assert.equal(lp.tokens.join(''), choice.text);
    assert.equal(lp.tokens.length, cl100k().encode(choice.text).length);
    let offset = prompt.length;
    lp.tokens.forEach((token: string, i: number) => {
      assert.equal(lp.text_offset[i], offset);
      offset += token.length;
      assert.equal(Object.keys(lp.top_logprobs[i]).length, 2);
      assert.equal(lp.top_logprobs[i][token], lp.token_logprobs[i]);
    });
  });

  test('logprobs 0 lists the chosen token alone', () => {
    const lp = completion({ prompt: 'hi', logprobs: 0 })['choices'][0].logprobs;
    lp.tokens.forEach((token: string, i: number) => assert.deepEqual(lp.top_logprobs[i], { [token]: lp.token_logprobs[i] }));
  });

  test('streamed chunks carry their own tokens; together they are the plain answer\'s', () => {
    const body = { prompt: 'Say this is a test', logprobs: 3, max_tokens: 12 };
    const plain = completion(body)['choices'][0].logprobs;
    const chunks = [...sim.completionStream({ ...body, stream: true }, ctx(model))] as Json[];
    const joined = { tokens: [] as string[], token_logprobs: [] as number[], top_logprobs: [] as Json[], text_offset: [] as number[] };
    for (const c of chunks.flatMap((c) => c['choices'])) {
      if (c.text === '') continue;
      assert.equal(c.logprobs.tokens.join(''), c.text);
      for (const key of Object.keys(joined) as (keyof typeof joined)[]) (joined[key] as unknown[]).push(...c.logprobs[key]);
    }
    assert.deepEqual(joined, plain);
  });

  test("logprobs above 5: OpenAI's 400", () => {
    assert.deepEqual(refusal(() => completion({ prompt: 'hi', logprobs: 6 })), {
      message: "Invalid value for 'logprobs': must be less than or equal to 5.",
      param: 'logprobs',
      code: null,
    });
  });
});
