import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertTypedEvents } from '../fixtures/typed-events.js';
import OpenAI from 'openai';
import { startModelServer, type ModelServer } from '../fixtures/model-server.js';

/** `keyless model serve`: the simulator alone as an OpenAI-compatible server, used by the real openai client. */
let server: ModelServer;
let baseURL: string;

before(async () => {
  server = await startModelServer();
  baseURL = server.baseURL;
});
after(async () => {
  await server.stop();
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

  test('responses: create, stream, retrieve, chain and delete with the openai client', async () => {
    const created = await client().responses.create({ model: 'gpt-4o-mini', input: 'Hello', instructions: 'Be brief.' });
    assert.equal(created.object, 'response');
    assert.match(created.id, /^resp_[0-9a-f]{48}$/);
    assert.equal(created.status, 'completed');
    assert.equal(created.model, 'gpt-4o-mini');
    assert.equal(created.instructions, 'Be brief.');
    assert.ok(created.output_text.length > 0);
    assert.equal(created.usage?.total_tokens, (created.usage?.input_tokens ?? 0) + (created.usage?.output_tokens ?? 0));

    const retrieved = await client().responses.retrieve(created.id);
    assert.deepEqual({ ...retrieved, output_text: undefined }, { ...created, output_text: undefined });

    const chained = await client().responses.create({ model: 'gpt-4o-mini', input: 'And then?', previous_response_id: created.id });
    assert.equal(chained.previous_response_id, created.id);
    assert.ok((chained.usage?.input_tokens ?? 0) > (created.usage?.output_tokens ?? 0));

    const stream = await client().responses.create({ model: 'gpt-4o', input: 'Stream it', stream: true });
    const types: string[] = [];
    let text = '';
    let completed: { id: string; output_text?: string } | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = event.response;
    }
    assert.deepEqual([types[0], types[1], types.at(-1)], ['response.created', 'response.in_progress', 'response.completed']);
    assert.ok(text.length > 0);
    assert.equal((await client().responses.retrieve(completed?.id ?? '')).output_text, text);

    await client().responses.delete(created.id);
    await assert.rejects(client().responses.retrieve(created.id), (error: unknown) => error instanceof OpenAI.NotFoundError);
  });

  test('responses on the wire: typed events and no [DONE]; OpenAI\'s 404 and 400 bodies', async () => {
    const res = await fetch(`${baseURL}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model":"gpt-4o","input":"Hi","stream":true}' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const frames = assertTypedEvents((await res.text()));
    assert.match(frames.at(-1) ?? '', /^event: response\.completed\n/);

    const notFound = { error: { message: "Response with id 'resp_missing' not found.", type: 'invalid_request_error', param: null, code: null } };
    for (const method of ['GET', 'DELETE']) {
      const missing = await fetch(`${baseURL}/responses/resp_missing`, { method });
      assert.equal(missing.status, 404);
      assert.deepEqual(await missing.json(), notFound);
    }
    const created = (await (await fetch(`${baseURL}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model":"gpt-4o","input":"Bye"}' })).json()) as { id: string };
    const deleted = await fetch(`${baseURL}/responses/${created.id}`, { method: 'DELETE' });
    assert.equal(deleted.status, 200);
    assert.deepEqual(await deleted.json(), { id: created.id, object: 'response', deleted: true });

    const chained = await fetch(`${baseURL}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model":"gpt-4o","input":"x","previous_response_id":"resp_gone"}' });
    assert.equal(chained.status, 400);
    assert.deepEqual(await chained.json(), {
      error: { message: "Previous response with id 'resp_gone' not found.", type: 'invalid_request_error', param: 'previous_response_id', code: 'previous_response_not_found' },
    });
    const list = await fetch(`${baseURL}/responses`);
    assert.equal(list.status, 404);
    assert.deepEqual(await list.json(), { error: { message: 'Invalid URL (GET /v1/responses)', type: 'invalid_request_error', param: null, code: null } });
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
