import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { AzureOpenAI } from 'openai';
import OpenAI from 'openai';
import { cliJson, runCli, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { adminToken, request } from '../fixtures/http.js';
import { trustingFetch } from '../fixtures/trusting-fetch.js';
import { startModelServer, type ModelServer } from '../fixtures/model-server.js';
import { CONTEXT_LENGTH_ERROR, startFaultUpstream, type FaultUpstream } from '../fixtures/fault-upstream.js';

/**
 * Deployments answered by an upstream: a real `keyless model serve` process,
 * and a fault-injecting server of the tests' own, driven through Keyless by
 * the unmodified openai package with a managed identity's token.
 */
let keyless: InProcessKeyless;
let models: ModelServer;
let faults: FaultUpstream;
let endpoint: string;
let token: string;
let workDir: string;
const json = cliJson(() => keyless.dataDir);
const UPSTREAM_KEY = 'sk-upstream-9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const FAULT_KEY = 'sk-fault-0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const API_VERSION = '2024-10-21';

const azure = (maxRetries = 0) => new AzureOpenAI({ endpoint, apiVersion: API_VERSION, azureADTokenProvider: async () => token, maxRetries, fetch: trustingFetch(keyless.info.caPath) });
const v1 = () => new OpenAI({ baseURL: `${endpoint}openai/v1/`, apiKey: async () => token, maxRetries: 0, fetch: trustingFetch(keyless.info.caPath) });

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const deploy = (name: string, ...flags: string[]) => json('openai', 'deployment', 'create', '-g', 'up', '-n', 'up-openai', '--deployment-name', name, ...flags);

/** A raw chat call, for exact status, headers and body. */
const rawChat = (deployment: string, body: Record<string, unknown> = { messages: [{ role: 'user', content: 'hi' }] }) =>
  request(keyless.info.caPath, 'POST', `${endpoint}openai/deployments/${deployment}/chat/completions?api-version=${API_VERSION}`, {
    headers: { authorization: `Bearer ${token}` },
    body,
  });

before(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-upstream-'));
  [keyless, models, faults] = await Promise.all([startInProcess({ logLevel: 'info' }), startModelServer(), startFaultUpstream()]);
  process.env['KEYLESS_TEST_FAULT_KEY'] = FAULT_KEY;
  fs.writeFileSync(path.join(workDir, 'upstream.key'), `${UPSTREAM_KEY}\n`, { mode: 0o600 });
  await json('group', 'create', '-n', 'up');
  endpoint = (await json('openai', 'create', '-g', 'up', '-n', 'up-openai')).properties.endpoint;
  await deploy('chat', '--model-name', 'gpt-4o', '--upstream-url', models.baseURL, '--upstream-model', 'gpt-4o-mini', '--upstream-key-file', path.join(workDir, 'upstream.key'));
  await deploy('embed', '--model-name', 'text-embedding-3-small', '--model-version', '1', '--upstream-url', models.baseURL);
  for (const behaviour of ['echo', 'context-length', 'rate-limited', 'refuse-key', 'server-error', 'html', 'redirect', 'reset', 'stream-gated', 'stream-forever']) {
    await deploy(behaviour, '--model-name', 'gpt-4o', '--upstream-url', faults.baseURL, '--upstream-model', behaviour, '--upstream-key-env', 'KEYLESS_TEST_FAULT_KEY');
  }
  await deploy('slow', '--model-name', 'gpt-4o', '--upstream-url', faults.baseURL, '--upstream-model', 'slow-headers', '--upstream-timeout', '1');
  for (const behaviour of ['slow-plain', 'slow-stream']) {
    await deploy(behaviour, '--model-name', 'gpt-4o', '--upstream-url', faults.baseURL, '--upstream-model', behaviour);
  }
  await deploy('nowhere', '--model-name', 'gpt-4o', '--upstream-url', `http://127.0.0.1:${await freePort()}/v1`);
  const vm = await json('vm', 'create', '-g', 'up', '-n', 'up-vm', '--assign-identity', 'system');
  await json('role', 'assignment', 'create', '--assignee', vm.identity.principalId, '--role', 'Cognitive Services OpenAI User', '--scope', `/subscriptions/${keyless.info.subscriptionId}/resourceGroups/up`);
  const env = await runCli(keyless.dataDir, ['env', '--as', 'up-vm', '-g', 'up']);
  const imds = /AZURE_POD_IDENTITY_AUTHORITY_HOST=(\S+)/.exec(env.stdout)?.[1] ?? '';
  const res = await fetch(`${imds}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://cognitiveservices.azure.com`, { headers: { metadata: 'true' } });
  token = ((await res.json()) as { access_token: string }).access_token;
});
after(async () => {
  delete process.env['KEYLESS_TEST_FAULT_KEY'];
  await Promise.all([keyless?.stop(), models?.stop(), faults?.close()]);
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe('an upstream deployment, through the openai package', () => {
  test('AzureOpenAI with a managed identity token: chat, streamed chat and embeddings come from the upstream process', async () => {
    const chat = await azure().chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'Hello upstream' }] });
    assert.equal(chat.object, 'chat.completion');
    assert.equal(chat.model, 'gpt-4o-mini', 'the upstream answered under the upstream model name');
    assert.ok((chat.choices[0]?.message.content ?? '').length > 0);

    const stream = await azure().chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'Hello upstream' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    assert.equal(text, chat.choices[0]?.message.content, 'the simulator upstream is deterministic');
    assert.equal(usage?.completion_tokens, chat.usage?.completion_tokens);

    const embeddings = await azure().embeddings.create({ model: 'embed', input: 'hello' });
    assert.equal(embeddings.data[0]?.embedding.length, 1536);
  });

  test('the v1 path with the plain OpenAI client names the deployment in `model`', async () => {
    const chat = await v1().chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'Hello v1' }] });
    assert.equal(chat.model, 'gpt-4o-mini');
  });

  test('the upstream gets its own key and the upstream model name, never the caller credential', async () => {
    faults.seen.length = 0;
    const res = await rawChat('echo', { model: 'anything', messages: [{ role: 'user', content: 'hi' }], temperature: 0.5 });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json(), { id: 'chatcmpl-echo', object: 'chat.completion', created: 1, model: 'echo', choices: [{ index: 0, message: { role: 'assistant', content: 'echo' }, finish_reason: 'stop' }], usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 } });
    const [seen] = faults.seen;
    assert.ok(seen);
    assert.equal(seen.path, '/v1/chat/completions');
    assert.equal(seen.headers['authorization'], `Bearer ${FAULT_KEY}`);
    assert.equal(seen.headers['api-key'], undefined);
    assert.ok(!JSON.stringify(seen.headers).includes(token.slice(-20)), 'the caller token is not forwarded');
    assert.deepEqual(seen.body, { model: 'echo', messages: [{ role: 'user', content: 'hi' }], temperature: 0.5 });
  });

  test('ARM shows the upstream without its key; the key is in no answer, log or audit record', async () => {
    const shown = await json('openai', 'deployment', 'show', '-g', 'up', '-n', 'up-openai', '--deployment-name', 'chat');
    assert.deepEqual(shown.properties.upstream, { url: models.baseURL, model: 'gpt-4o-mini', hasKey: true, timeoutSeconds: 600, firstByteTimeoutSeconds: 60 });
    const none = await json('openai', 'deployment', 'show', '-g', 'up', '-n', 'up-openai', '--deployment-name', 'nowhere');
    assert.equal(none.properties.upstream.hasKey, false);
    const audit = await runCli(keyless.dataDir, ['audit', 'list', '--top', '1000', '-o', 'json']);
    const list = await runCli(keyless.dataDir, ['openai', 'deployment', 'list', '-g', 'up', '-n', 'up-openai', '-o', 'json']);
    assert.equal(audit.code, 0, audit.stderr);
    assert.equal(list.code, 0, list.stderr);
    for (const [where, text] of [['log', keyless.output()], ['audit', audit.stdout], ['deployment list', list.stdout]] as const) {
      assert.ok(!text.includes(UPSTREAM_KEY) && !text.includes(FAULT_KEY), `no upstream key in the ${where}`);
    }
    const db = fs.readFileSync(path.join(keyless.dataDir, 'keyless.db'));
    assert.ok(!db.includes(UPSTREAM_KEY) && !db.includes(FAULT_KEY), 'the keys are sealed at rest');
  });

  test('the audit records who spent what on which deployment', async () => {
    const res = await rawChat('echo');
    assert.equal(res.status, 200);
    const requestId = String(res.headers['x-request-id']);
    let record: Record<string, unknown> | undefined;
    for (let i = 0; i < 50 && record === undefined; i++) {
      const audit = await json('audit', 'list', '--top', '50');
      record = (audit as Record<string, unknown>[]).find((r) => r['requestId'] === requestId);
      if (record === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(record, 'the call is audited');
    assert.equal(record['decision'], 'allowed');
    assert.equal(record['deployment'], 'echo');
    assert.equal(record['promptTokens'], 11);
    assert.equal(record['completionTokens'], 7);
  });
});

describe('upstream failures get Azure-shaped answers that name the deployment, not the upstream', () => {
  const badGateway = (deployment: string) => ({ error: { code: 'BadGateway', message: `The model server of deployment '${deployment}' did not give a valid answer. Please retry later.` } });

  test('refused connections, resets, non-JSON answers, server errors, refused keys and redirects are 502s', async () => {
    for (const deployment of ['nowhere', 'reset', 'html', 'server-error', 'refuse-key', 'redirect']) {
      const res = await rawChat(deployment);
      assert.equal(res.status, 502, deployment);
      assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
      assert.deepEqual(res.json(), badGateway(deployment), deployment);
      assert.ok(!res.text.includes('127.0.0.1') && !res.text.includes('10.1.2.3'), 'the upstream address is not named');
    }
    assert.ok(!faults.seen.some((s) => s.path === '/v1/redirected'), 'the redirect was not followed');
    // The audit says which failure it was; the caller's answer does not.
    let reasons = new Set<unknown>();
    // Records are written in batches, within 250 ms.
    for (let i = 0; i < 20 && reasons.size < 2; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      const audit = (await json('audit', 'list', '--top', '50')) as Record<string, unknown>[];
      reasons = new Set(audit.filter((r) => r['deployment'] === 'nowhere' || r['deployment'] === 'refuse-key').map((r) => r['reason']));
    }
    assert.ok(reasons.has('role grants the data action; upstream failed: unreachable'), [...reasons].join(' | '));
    assert.ok(reasons.has('role grants the data action; upstream failed: refusedCredentials'), [...reasons].join(' | '));
  });

  test('an upstream slower than its first-byte timeout is a 504', async () => {
    const started = Date.now();
    const res = await rawChat('slow');
    assert.equal(res.status, 504);
    assert.deepEqual(res.json(), { error: { code: 'GatewayTimeout', message: "The model server of deployment 'slow' did not answer in time. Please retry later." } });
    assert.ok(Date.now() - started < 2900, 'answered when the timeout ran out, before the upstream');
  });

  test("the upstream's own 4xx bodies pass through with their status, and a 429's retry-after", async () => {
    const tooLong = await rawChat('context-length');
    assert.equal(tooLong.status, 400);
    assert.deepEqual(tooLong.json(), CONTEXT_LENGTH_ERROR);
    await assert.rejects(azure().chat.completions.create({ model: 'context-length', messages: [{ role: 'user', content: 'x' }] }), (e: InstanceType<typeof OpenAI.BadRequestError>) => {
      assert.equal(e.status, 400);
      assert.equal(e.code, 'context_length_exceeded');
      return true;
    });

    const limited = await rawChat('rate-limited');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['retry-after'], '7');
    assert.equal(limited.headers['retry-after-ms'], '6500');
    assert.equal(limited.headers['x-upstream-secret-header'], undefined, 'only the retry hints are relayed');
  });
});

describe('streams are relayed as they arrive', () => {
  test('the first chunk reaches the client before the upstream has finished', async () => {
    const stream = await azure().chat.completions.create({ model: 'stream-gated', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const chunks: string[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk.choices[0]?.delta.content ?? '');
      // The upstream holds its second chunk until it is released: only the relay of the first can get us here.
      if (chunks.length === 1) faults.release();
    }
    assert.deepEqual(chunks, ['first', ' second']);
  });

  test('a client that goes away aborts the upstream request', async () => {
    const controller = new AbortController();
    const stream = await azure().chat.completions.create({ model: 'stream-forever', messages: [{ role: 'user', content: 'hi' }], stream: true }, { signal: controller.signal });
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    assert.equal(first.value?.choices[0]?.delta.content, 'tick');
    controller.abort();
    await Promise.race([faults.disconnected, new Promise((_, reject) => setTimeout(() => reject(new Error('the upstream never saw the disconnect')), 5000))]);
  });
});

describe('upstream settings through the CLI and ARM', () => {
  test('update keeps the key for the same origin, drops it for another, and --remove-upstream goes back to the simulator', async () => {
    await deploy('moving', '--model-name', 'gpt-4o', '--upstream-url', models.baseURL, '--upstream-key-env', 'KEYLESS_TEST_FAULT_KEY');
    const update = (...flags: string[]) => json('openai', 'deployment', 'update', '-g', 'up', '-n', 'up-openai', '--deployment-name', 'moving', ...flags);
    assert.equal((await update('--upstream-model', 'gpt-4o-mini')).properties.upstream.hasKey, true);
    assert.equal((await update('--capacity', '3')).properties.upstream.hasKey, true, 'an update that does not touch the upstream keeps its key');
    const moved = await update('--upstream-url', faults.baseURL);
    assert.deepEqual(moved.properties.upstream, { url: faults.baseURL, model: 'gpt-4o-mini', hasKey: false, timeoutSeconds: 600, firstByteTimeoutSeconds: 60 });
    const back = await update('--remove-upstream');
    assert.equal(back.properties.upstream, undefined);
    const res = await rawChat('moving');
    assert.equal(res.status, 200);
    assert.equal(res.json().model, 'gpt-4o-2024-11-20', "the simulator answers under Azure's name for the deployed model and version");
  });

  test('bad upstream settings are ARM 400s that never echo the key', async () => {
    const put = async (upstream: unknown) =>
      request(keyless.info.caPath, 'PUT', `${keyless.info.baseUrl}/subscriptions/${keyless.info.subscriptionId}/resourceGroups/up/providers/Microsoft.CognitiveServices/accounts/up-openai/deployments/bad?api-version=2024-10-01`, {
        headers: { authorization: `Bearer ${await adminToken(keyless.info.caPath, keyless.info.baseUrl, keyless.admin())}` },
        body: { sku: { name: 'Standard', capacity: 1 }, properties: { model: { format: 'OpenAI', name: 'gpt-4o', version: '2024-11-20' }, upstream } },
      });
    const cases: [unknown, string][] = [
      [{ url: 'ftp://example.test/v1' }, "The 'properties.upstream.url' property must be an http or https URL."],
      [{ url: 'http://user:pw@127.0.0.1/v1' }, "The 'properties.upstream.url' property must not carry credentials; give the key as 'properties.upstream.key'."],
      [{ url: 'http://127.0.0.1/v1?x=1' }, "The 'properties.upstream.url' property must not have a query or a fragment."],
      [{ url: 'http://127.0.0.1/v1', key: 'line\nbreak-secret' }, "The 'properties.upstream.key' property must be a string of 1 to 4096 characters without line breaks."],
      [{ url: 'http://127.0.0.1/v1', timeoutSeconds: 0 }, "The 'properties.upstream.timeoutSeconds' property must be an integer from 1 to 3600."],
      [{ model: 'm' }, "The 'properties.upstream.url' property is required: the upstream's OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1."],
      ['nope', "The 'properties.upstream' property must be an object or null."],
    ];
    for (const [upstream, message] of cases) {
      const res = await put(upstream);
      assert.equal(res.status, 400, message);
      assert.deepEqual(res.json(), { error: { code: 'InvalidRequestContent', message } });
      assert.ok(!res.text.includes('secret') && !res.text.includes(':pw@'));
    }
  });
});

describe('timeouts and callers that go away', () => {
  const setTimeouts = async (deployment: string, timeoutSeconds: number, firstByteTimeoutSeconds: number) => {
    const model = { format: 'OpenAI', name: 'gpt-4o', version: '2024-11-20' };
    const res = await request(keyless.info.caPath, 'PUT', `${keyless.info.baseUrl}/subscriptions/${keyless.info.subscriptionId}/resourceGroups/up/providers/Microsoft.CognitiveServices/accounts/up-openai/deployments/${deployment}?api-version=2024-10-01`, {
      headers: { authorization: `Bearer ${await adminToken(keyless.info.caPath, keyless.info.baseUrl, keyless.admin())}` },
      body: { sku: { name: 'Standard', capacity: 1000 }, properties: { model, upstream: { url: faults.baseURL, model: deployment, timeoutSeconds, firstByteTimeoutSeconds } } },
    });
    assert.equal(res.status, 200, res.text);
  };

  test('the first-byte timeout bounds streams only: a plain answer may take until the whole-answer timeout', async () => {
    await setTimeouts('slow-plain', 5, 1);
    await setTimeouts('slow-stream', 5, 1);
    const plain = await rawChat('slow-plain');
    assert.equal(plain.status, 200, 'the plain answer came after 1.5 s, within the 5 s whole-answer timeout');
    const stream = await rawChat('slow-stream', { messages: [{ role: 'user', content: 'hi' }], stream: true });
    assert.equal(stream.status, 504, 'the stream owed its first byte within 1 s');
  });

  test('a caller that leaves before the upstream answers aborts the upstream request, and the audit says so', async () => {
    await setTimeouts('slow-plain', 30, 30);
    await setTimeouts('slow-stream', 30, 30);
    faults.closedEarly.length = 0;
    for (const [deployment, stream] of [['slow-plain', false], ['slow-stream', true]] as const) {
      const controller = new AbortController();
      const pending = azure().chat.completions.create({ model: deployment, messages: [{ role: 'user', content: 'hi' }], stream }, { signal: controller.signal });
      setTimeout(() => controller.abort(), 300);
      await assert.rejects(pending);
    }
    for (let i = 0; i < 20 && faults.closedEarly.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(faults.closedEarly.sort(), ['slow-plain', 'slow-stream'], 'the upstream saw both requests closed before its answer');
    const gone = 'role grants the data action; the caller went away';
    let newest: unknown[] = [];
    for (let i = 0; i < 20 && newest.filter((r) => r === gone).length < 2; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      const audit = (await json('audit', 'list', '--top', '20')) as Record<string, unknown>[];
      newest = audit.filter((r) => r['deployment'] === 'slow-plain' || r['deployment'] === 'slow-stream').slice(0, 2).map((r) => r['reason']);
    }
    assert.deepEqual(newest, [gone, gone]);
  });
});
