import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import OpenAI from 'openai';
import { KEYLESS_BIN } from '../fixtures/server.js';

/** `keyless model serve`: the simulator alone as an OpenAI-compatible server, used by the real openai client. */
let child: ChildProcess;
let baseURL: string;
let stderr = '';

before(async () => {
  child = spawn(process.execPath, [KEYLESS_BIN, 'model', 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  baseURL = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`model serve did not start: ${out}${stderr}`)), 20_000);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const match = /ready \(pid \d+\): (http:\/\/127\.0\.0\.1:\d+\/v1)\n/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
});
after(async () => {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
});

const client = () => new OpenAI({ baseURL, apiKey: 'not-checked', maxRetries: 0 });

describe('keyless model serve', () => {
  test('chat, streamed chat, completions and embeddings answer the openai client', async () => {
    const chat = await client().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] });
    assert.equal(chat.object, 'chat.completion');
    assert.equal(chat.model, 'gpt-4o-mini');
    assert.match(chat.id, /^chatcmpl-[0-9a-f]{32}$/);
    assert.ok((chat.choices[0]?.message.content ?? '').length > 0);
    assert.ok((chat.usage?.prompt_tokens ?? 0) > 0);

    const stream = await client().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    assert.ok(text.length > 0);

    const completion = await client().completions.create({ model: 'gpt-35-turbo-instruct', prompt: 'Say hi' });
    assert.equal(completion.object, 'text_completion');
    assert.match(completion.id, /^cmpl-/);

    const embeddings = await client().embeddings.create({ model: 'text-embedding-3-small', input: 'hello' });
    assert.equal(embeddings.data[0]?.embedding.length, 1536);
  });

  test('the same request gets the same answer but for its id and time (the simulator is deterministic)', async () => {
    const ask = () => client().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Same question' }] });
    const [a, b] = [await ask(), await ask()];
    assert.equal(a.choices[0]?.message.content, b.choices[0]?.message.content);
    assert.notEqual(a.id, b.id);
  });

  test('models are listed in OpenAI\'s shape', async () => {
    const ids: string[] = [];
    for await (const model of client().models.list()) {
      assert.equal(model.object, 'model');
      assert.equal(model.owned_by, 'keyless');
      ids.push(model.id);
    }
    assert.ok(ids.includes('gpt-4o-mini') && ids.includes('text-embedding-3-small'));
  });

  test('errors are OpenAI\'s: no model, a refused body, bad JSON, an unknown path', async () => {
    const post = (path: string, body: string) =>
      fetch(`${baseURL}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const noModel = await post('/chat/completions', '{"messages":[]}');
    assert.equal(noModel.status, 400);
    assert.deepEqual(await noModel.json(), { error: { message: 'you must provide a model parameter', type: 'invalid_request_error', param: null, code: null } });
    const refused = await post('/chat/completions', '{"model":"gpt-4o"}');
    assert.equal(refused.status, 400);
    assert.deepEqual(await refused.json(), { error: { message: "'messages' is a required property", type: 'invalid_request_error', param: null, code: null } });
    const badJson = await post('/embeddings', '{bad');
    assert.equal(badJson.status, 400);
    assert.match(((await badJson.json()) as { error: { message: string } }).error.message, /^We could not parse the JSON body of your request\. \(/);
    const unknown = await fetch(`${baseURL}/nope`);
    assert.equal(unknown.status, 404);
    assert.deepEqual(await unknown.json(), { error: { message: 'Invalid URL (GET /v1/nope)', type: 'invalid_request_error', param: null, code: null } });
    await assert.rejects(client().chat.completions.create({ model: 'gpt-4o', messages: [] }), (error: unknown) => error instanceof OpenAI.BadRequestError);
  });
});
