import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
// First: records, and refuses, any connection off loopback (a client library reaching for Microsoft's hosts).
import { nonLoopback } from './scenarios/loopback-guard.js';
import { ManagedIdentityCredential, getBearerTokenProvider } from '@azure/identity';
import { AzureOpenAI, BadRequestError } from 'openai';
import { startKeyless, type KeylessProcess } from '../fixtures/server.js';
import { cliJson, runCli } from '../fixtures/cli-thread.js';
import { request } from '../fixtures/http.js';
import { trustingFetch } from '../fixtures/trusting-fetch.js';

/**
 * An app's failure paths with its real client libraries, against `keyless up
 * --clock controllable` in its own process: ManagedIdentityCredential rides
 * out IMDS's 429 and 410 by its own retries, the openai package retries a
 * 429 by itself and sees the content filter as Azure's, and a token expired
 * by `keyless clock advance` is refreshed by getBearerTokenProvider.
 */
const SCOPE = 'https://cognitiveservices.azure.com/.default';
const API_VERSION = '2024-10-21';
let keyless: KeylessProcess;
let endpoint: string;
const json = cliJson(() => keyless.dataDir);

const injected = async (): Promise<Record<string, unknown>[]> =>
  (await json('audit', 'list', '--injected', '--top', '200')) as Record<string, unknown>[];
const openai = (azureADTokenProvider: () => Promise<string>) =>
  new AzureOpenAI({ endpoint, apiVersion: API_VERSION, azureADTokenProvider, fetch: trustingFetch(keyless.info.caPath) });
const ask = (client: AzureOpenAI) => client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hello' }] });
const claimsOf = (token: string): Record<string, number> => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());

before(async () => {
  keyless = await startKeyless({ args: ['--clock', 'controllable'] });
  await json('group', 'create', '-n', 'fp');
  endpoint = (await json('openai', 'create', '-g', 'fp', '-n', 'fp-openai')).properties.endpoint;
  await json('openai', 'deployment', 'create', '-g', 'fp', '-n', 'fp-openai', '--deployment-name', 'chat');
  const vm = await json('vm', 'create', '-g', 'fp', '-n', 'vm', '--assign-identity', 'system');
  await json('role', 'assignment', 'create', '--assignee', vm.identity.principalId, '--role', 'Cognitive Services OpenAI User', '--scope', `/subscriptions/${keyless.info.subscriptionId}/resourceGroups/fp`);
  const env = await runCli(keyless.dataDir, ['env', '--as', 'vm', '-g', 'fp']);
  // The library reads the variable when a credential is made, and keeps its choice of source for the process.
  process.env['AZURE_POD_IDENTITY_AUTHORITY_HOST'] = /AZURE_POD_IDENTITY_AUTHORITY_HOST=(\S+)/.exec(env.stdout)?.[1] ?? '';
});
after(async () => {
  await keyless.stop();
  assert.deepEqual(nonLoopback, [], 'no request may leave loopback');
});

describe('ManagedIdentityCredential over IMDS', () => {
  test('rides out two injected 429s (Retry-After: 1) by its own retries', async () => {
    const fault = await json('fault', 'add', '--surface', 'imds', '--host', 'vm', '--status', '429', '--retry-after', '1', '--times', '2');
    const started = Date.now();
    const token = await new ManagedIdentityCredential().getToken(SCOPE);
    assert.ok(token.token.length > 0);
    assert.ok(Date.now() - started >= 1900, 'waited the Retry-After twice');
    const records = (await injected()).filter((r) => String(r['reason']).startsWith(`fault ${fault.id}:`));
    assert.equal(records.length, 2);
    assert.deepEqual((await json('fault', 'list')).value, [], 'spent');
  });

  test("rides out IMDS's 410 (an upgrade in progress) by its own retry", async () => {
    const fault = await json('fault', 'add', '--surface', 'imds', '--status', '410', '--times', '1');
    // Another resource than the first test's: the library keeps tokens per resource for the whole process.
    const token = await new ManagedIdentityCredential().getToken('https://management.azure.com/.default');
    assert.ok(token.token.length > 0);
    assert.equal((await injected()).filter((r) => String(r['reason']).startsWith(`fault ${fault.id}:`)).length, 1);
  });
});

describe('the openai package', () => {
  test('retries an injected 429 by itself, waiting the retry-after', async () => {
    const client = openai(getBearerTokenProvider(new ManagedIdentityCredential(), SCOPE));
    // Warm: the first call loads the simulator's tokenizer, which would blur the timing below.
    await ask(client);
    const fault = await json('fault', 'add', '--surface', 'data-plane', '--deployment', 'chat', '--status', '429', '--retry-after', '1', '--times', '1');
    const started = Date.now();
    const answer = await ask(client);
    assert.equal(typeof answer.choices[0]?.message.content, 'string');
    assert.ok(Date.now() - started >= 900, 'waited retry-after-ms');
    assert.equal((await injected()).filter((r) => String(r['reason']).startsWith(`fault ${fault.id}:`)).length, 1);
  });

  test("sees the content filter as Azure's: BadRequestError content_filter on the prompt, finish_reason on the completion", async () => {
    const client = openai(getBearerTokenProvider(new ManagedIdentityCredential(), SCOPE));
    await json('fault', 'add', '--surface', 'data-plane', '--content-filter', 'prompt', '--times', '1');
    await assert.rejects(ask(client), (error: unknown) => {
      assert.ok(error instanceof BadRequestError);
      assert.equal(error.status, 400);
      assert.equal(error.code, 'content_filter');
      assert.equal(error.param, 'prompt');
      const inner = (error.error as { innererror: { code: string; content_filter_result: Record<string, { filtered: boolean }> } }).innererror;
      assert.equal(inner.code, 'ResponsibleAIPolicyViolation');
      assert.equal(inner.content_filter_result['violence']?.filtered, true);
      return true;
    });
    await json('fault', 'add', '--surface', 'data-plane', '--content-filter', 'completion', '--times', '1');
    const cut = await ask(client);
    assert.equal(cut.choices[0]?.finish_reason, 'content_filter');
    assert.equal((cut.choices[0] as unknown as { content_filter_results: Record<string, { filtered: boolean }> }).content_filter_results['violence']?.filtered, true);
  });
});

describe('a controlled clock', () => {
  test('a token expired by `keyless clock advance` is refused, and getBearerTokenProvider gets a fresh one on the next call', async () => {
    const provider = getBearerTokenProvider(new ManagedIdentityCredential(), SCOPE);
    const client = openai(provider);
    await ask(client);
    const before = await provider();

    // The app's test moves both clocks: Keyless's, and its own (as fake timers would).
    const advanced = await json('clock', 'advance', '25h');
    assert.equal(advanced.controllable, true);
    const restore = shiftClock(25 * 3_600_000);
    try {
      const refused = await request(keyless.info.caPath, 'POST', `${endpoint}openai/deployments/chat/chat/completions?api-version=${API_VERSION}`, {
        headers: { authorization: `Bearer ${before}` },
        body: { messages: [{ role: 'user', content: 'hello' }] },
      });
      assert.equal(refused.status, 401);
      assert.deepEqual(refused.json(), {
        statusCode: 401,
        message: 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.',
      });

      const answer = await ask(client);
      assert.equal(typeof answer.choices[0]?.message.content, 'string');
      const after = await provider();
      assert.notEqual(after, before, 'a fresh token');
      assert.ok(claimsOf(after)['exp']! - claimsOf(before)['exp']! >= 25 * 3600 - 60, 'issued on the advanced clock');
    } finally {
      restore();
      await json('clock', 'resume');
    }
  });
});

/** Moves this process's Date (new Date() and Date.now(), which MSAL and the token provider read) forward by `ms`; returns the undo. */
function shiftClock(ms: number): () => void {
  const Real = Date;
  class Shifted extends Real {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(Real.now() + ms);
      else super(...(args as [string]));
    }

    static override now(): number {
      return Real.now() + ms;
    }
  }
  globalThis.Date = Shifted as DateConstructor;
  return () => {
    globalThis.Date = Real;
  };
}
