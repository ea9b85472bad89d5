import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AzureOpenAI } from 'openai';
import { cliJson, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { request, type HttpResult } from '../fixtures/http.js';
import { trustingFetch } from '../fixtures/trusting-fetch.js';

/**
 * A deployment's quota as Azure enforces it, seen by a client: the remaining
 * counts on every answer, Azure's 429 with its retry hints, and the openai
 * package's own retry succeeding after the wait it was told.
 */
let keyless: InProcessKeyless;
let endpoint: string;
let key: string;
const json = cliJson(() => keyless.dataDir);
const API_VERSION = '2024-10-21';
const CHAT = { messages: [{ role: 'user', content: 'hi' }], max_tokens: 100 };

const chat = (deployment: string, body: object = CHAT): Promise<HttpResult> =>
  request(keyless.info.caPath, 'POST', `${endpoint}openai/deployments/${deployment}/chat/completions?api-version=${API_VERSION}`, { headers: { 'api-key': key }, body });

before(async () => {
  keyless = await startInProcess();
  await json('group', 'create', '-n', 'q');
  endpoint = (await json('openai', 'create', '-g', 'q', '-n', 'q-openai')).properties.endpoint;
  key = (await json('openai', 'keys', 'list', '-g', 'q', '-n', 'q-openai')).key1;
  for (const [name, capacity] of [['two', '2'], ['one', '1'], ['retry', '1']] as const) {
    await json('openai', 'deployment', 'create', '-g', 'q', '-n', 'q-openai', '--deployment-name', name, '--model-name', 'gpt-4o-mini', '--capacity', capacity);
  }
});
after(async () => {
  await keyless.stop();
});

describe('quotas per deployment', () => {
  test('a deployment created without a capacity gets the generous default', async () => {
    const d = await json('openai', 'deployment', 'create', '-g', 'q', '-n', 'q-openai', '--deployment-name', 'default', '--model-name', 'gpt-4o-mini');
    assert.deepEqual(d.sku, { name: 'Standard', capacity: 1000 });
    const res = await chat('default');
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-ratelimit-limit-requests'], '1000');
    assert.equal(res.headers['x-ratelimit-limit-tokens'], '1000000');
  });

  test('every answer carries the remaining counts; over the limit is Azure 429 with retry-after and retry-after-ms', async () => {
    keyless.clock.freeze();
    try {
      const first = await chat('two');
      assert.equal(first.status, 200);
      assert.equal(first.headers['x-ratelimit-remaining-requests'], '1');
      const firstTokens = Number(first.headers['x-ratelimit-remaining-tokens']);
      assert.ok(firstTokens < 2000 && firstTokens > 2000 - 200, `the estimate (prompt + max_tokens) is counted: ${firstTokens}`);
      const second = await chat('two');
      assert.equal(second.status, 200);
      assert.equal(second.headers['x-ratelimit-remaining-requests'], '0');
      assert.ok(Number(second.headers['x-ratelimit-remaining-tokens']) < firstTokens, 'the tokens count down');

      const refused = await chat('two');
      assert.equal(refused.status, 429);
      assert.deepEqual(refused.json(), {
        error: {
          code: '429',
          message:
            'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded call rate limit of your current OpenAI S0 pricing tier. Please retry after 10 seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.',
        },
      });
      assert.equal(refused.headers['retry-after'], '10');
      assert.equal(refused.headers['retry-after-ms'], '10000');
      assert.equal(refused.headers['x-ratelimit-remaining-requests'], '0');
      assert.match(String(refused.headers['x-request-id']), /^[0-9a-f-]{36}$/);

      // The next 10-second window admits again.
      keyless.clock.advance(10_000);
      assert.equal((await chat('two')).status, 200);
    } finally {
      keyless.clock.unfreeze();
    }
  });

  test('a request that passes the tokens per minute is admitted once, then the minute is spent', async () => {
    keyless.clock.freeze();
    try {
      // About 1,200 prompt tokens, more than capacity 1's 1,000 per minute: counted by its estimate, then by what it spent.
      const big = { messages: [{ role: 'user', content: 'token '.repeat(1200) }], max_tokens: 10 };
      assert.equal((await chat('one', big)).status, 200);
      keyless.clock.advance(10_000);
      const refused = await chat('one', big);
      assert.equal(refused.status, 429);
      assert.match(refused.json().error.message, /have exceeded token rate limit of your current OpenAI S0 pricing tier\. Please retry after 50 seconds\./);
      assert.equal(refused.headers['retry-after'], '50');
    } finally {
      keyless.clock.unfreeze();
    }
  });

  test("the openai package's own retry succeeds after the wait the 429 names", async () => {
    const client = new AzureOpenAI({ endpoint, apiKey: key, apiVersion: API_VERSION, deployment: 'retry', fetch: trustingFetch(keyless.info.caPath) });
    const first = await client.chat.completions.create({ model: 'retry', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(first.object, 'chat.completion');
    // The window of the first call ends 0.4 s from now: the next call is refused, told to wait that long, and retried.
    keyless.clock.advance(9_600);
    const started = Date.now();
    const { data, response } = await client.chat.completions.create({ model: 'retry', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    const waited = Date.now() - started;
    assert.equal(data.object, 'chat.completion');
    assert.equal(response.headers.get('x-ratelimit-remaining-requests'), '0');
    assert.ok(waited >= 300 && waited < 5000, `the client waited for the window (${waited} ms)`);
  });
});
