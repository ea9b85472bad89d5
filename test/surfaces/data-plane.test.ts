import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import { readAdminCredential, startInProcess, type InProcessKeyless, cliJson } from '../fixtures/in-process.js';
import { adminToken, request } from '../fixtures/http.js';

/**
 * The data plane's HTTP behaviour at the edges, against a real `keyless up`:
 * how paths, bodies and media types are read, in which order a request is
 * judged, and what every answer carries. The happy paths with the real
 * client libraries are in test/clients/golden-path.test.ts.
 */
let keyless: InProcessKeyless;
let endpoint: string;
let key: string;
const json = cliJson(() => keyless.dataDir);
const Q = '?api-version=2024-10-21';
const CHAT = { messages: [{ role: 'user', content: 'hi' }] };
const KEY_401 = {
  error: {
    code: '401',
    message:
      'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
  },
};
const NOT_FOUND = { error: { code: 'NotFound', message: 'No Keyless endpoint serves this path.' } };
const unparsable = (detail: string) => ({
  error: { message: `We could not parse the JSON body of your request. (${detail})`, type: 'invalid_request_error', param: null, code: null },
});

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One request with full control of the body bytes and headers (chunks are written one by one). */
function raw(method: string, path: string, headers: Record<string, string>, chunks: readonly string[] = []): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${endpoint}${path}`, { method, headers, ca: fs.readFileSync(keyless.info.caPath), agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

const chat = (path: string, body: string | undefined, headers: Record<string, string> = {}): Promise<Raw> =>
  raw('POST', path, { 'api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers }, body === undefined ? [] : [body]);

function assertRequestIds(res: Raw): void {
  assert.match(String(res.headers['x-request-id']), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(res.headers['apim-request-id'], res.headers['x-request-id']);
}

function assertCompletion(res: Raw): void {
  assert.equal(res.status, 200, res.text);
  assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(res.headers['content-length'], String(Buffer.byteLength(res.text)));
  assertRequestIds(res);
  assert.equal(JSON.parse(res.text).object, 'chat.completion');
}

before(async () => {
  keyless = await startInProcess({ logLevel: 'info' });
  await json('group', 'create', '-n', 'dp');
  const account = await json('openai', 'create', '-g', 'dp', '-n', 'dp-openai');
  endpoint = account.properties.endpoint;
  await json('openai', 'deployment', 'create', '-g', 'dp', '-n', 'dp-openai', '--deployment-name', 'chat', '--model-name', 'gpt-4o-mini');
  key = (await json('openai', 'keys', 'list', '-g', 'dp', '-n', 'dp-openai')).key1;
});
after(async () => {
  await keyless.stop();
});

describe('data plane: paths', () => {
  test('fixed segments in any case, repeated and trailing slashes, percent-encoded names', async () => {
    for (const path of [
      `OpenAI/Deployments/chat/Chat/Completions${Q}`,
      `openai/deployments/chat/chat/completions/${Q}`,
      `openai//deployments/chat/chat//completions${Q}`,
      `openai/deployments/c%68at/chat/completions${Q}`,
    ]) {
      assertCompletion(await chat(path, JSON.stringify(CHAT)));
    }
    // Names keep their case: the deployment lookup is case-insensitive as in Azure, the account segment too.
    assertCompletion(await chat(`openai/deployments/CHAT/chat/completions${Q}`, JSON.stringify(CHAT)));
    assertCompletion(await raw('POST', `../${endpoint.split('/').at(-2)?.toUpperCase()}/openai/deployments/chat/chat/completions${Q}`, { 'api-key': key, 'content-type': 'application/json' }, [JSON.stringify(CHAT)]));
  });

  test('api-version may be percent-encoded; missing, empty or unknown is 404; it is not needed on /openai/v1', async () => {
    assertCompletion(await chat('openai/deployments/chat/chat/completions?x=1&api%2Dversion=2024-10-21', JSON.stringify(CHAT)));
    for (const query of ['?apiversion=1', '?api-version', '?api-version=', '?api-version=2024-10-22', '?api-version=1']) {
      const refused = await chat(`openai/deployments/chat/chat/completions${query}`, JSON.stringify(CHAT));
      assert.equal(refused.status, 404, query);
      assert.deepEqual(JSON.parse(refused.text), { error: { code: '404', message: 'Resource not found' } });
      assertRequestIds(refused);
    }
    assertCompletion(await chat('openai/v1/chat/completions', JSON.stringify({ ...CHAT, model: 'chat' })));
  });

  test('other methods, other operations and undecodable paths are not the data plane', async () => {
    const get = await raw('GET', `openai/deployments/chat/chat/completions${Q}`, { 'api-key': key });
    assert.equal(get.status, 404);
    assert.deepEqual(JSON.parse(get.text), NOT_FOUND);
    const unknown = await chat(`openai/deployments/chat/images/variations${Q}`, JSON.stringify(CHAT));
    assert.equal(unknown.status, 404);
    assert.deepEqual(JSON.parse(unknown.text), NOT_FOUND);
    const proto = await chat(`openai/deployments/chat/constructor${Q}`, JSON.stringify(CHAT));
    assert.equal(proto.status, 404);
    const bad = await chat(`openai/deployments/ch%zzat/chat/completions${Q}`, JSON.stringify(CHAT));
    assert.equal(bad.status, 400);
    assert.deepEqual(JSON.parse(bad.text), { error: { code: 'InvalidRequest', message: 'The request URL is malformed.' } });
  });
});

describe('data plane: bodies', () => {
  test('JSON in any case of media type and with parameters; a body sent in several chunks', async () => {
    assertCompletion(await chat(`openai/deployments/chat/chat/completions${Q}`, JSON.stringify(CHAT), { 'content-type': 'Application/JSON; charset=utf-8' }));
    const text = JSON.stringify(CHAT);
    const chunked = await raw('POST', `openai/deployments/chat/chat/completions${Q}`, { 'api-key': key, 'content-type': 'application/json' }, [text.slice(0, 7), text.slice(7, 20), text.slice(20)]);
    assertCompletion(chunked);
    assert.equal(chunked.text.replace(/"id":"[^"]+","object":"chat.completion","created":\d+/, ''), (await chat(`openai/deployments/chat/chat/completions${Q}`, text)).text.replace(/"id":"[^"]+","object":"chat.completion","created":\d+/, ''));
  });

  test('a body that is not JSON, in another media type, or none at all: 400 in the OpenAI dialect', async () => {
    const path = `openai/deployments/chat/chat/completions${Q}`;
    const cases: [string | undefined, Record<string, string>, object][] = [
      ['{nope', {}, unparsable("Expected property name or '}' in JSON at position 1")],
      [JSON.stringify(CHAT), { 'content-type': 'text/plain' }, unparsable('Unsupported Media Type: text/plain')],
    ];
    for (const [body, headers, expected] of cases) {
      const res = await chat(path, body, headers);
      assert.equal(res.status, 400, res.text);
      assert.deepEqual(JSON.parse(res.text), expected);
      assertRequestIds(res);
    }
    const untyped = await raw('POST', path, { 'api-key': key }, [JSON.stringify(CHAT)]);
    assert.equal(untyped.status, 400);
    assert.deepEqual(JSON.parse(untyped.text), unparsable('No Content-Type; send application/json'));
    // No body, an empty one, or JSON that is not an object: the model names what it misses.
    const required = { error: { message: "'messages' is a required property", type: 'invalid_request_error', param: null, code: null } };
    for (const body of [undefined, '', '[1]', 'null']) {
      const res = await chat(path, body);
      assert.equal(res.status, 400, String(body));
      assert.deepEqual(JSON.parse(res.text), required);
    }
  });

  test('a body over 4 MiB is refused and its connection closed', async () => {
    const res = await chat(`openai/deployments/chat/chat/completions${Q}`, JSON.stringify({ x: 'a'.repeat(4 * 1024 * 1024) }));
    assert.equal(res.status, 400);
    assert.deepEqual(JSON.parse(res.text), unparsable('Request body is larger than 4194304 bytes'));
    assert.equal(res.headers['connection'], 'close');
    // Declared too large, nothing read.
    const declared = await new Promise<Raw>((resolve, reject) => {
      const req = https.request(`${endpoint}openai/deployments/chat/chat/completions${Q}`, {
        method: 'POST',
        headers: { 'api-key': key, 'content-type': 'application/json', 'content-length': String(5 * 1024 * 1024) },
        ca: fs.readFileSync(keyless.info.caPath),
        agent: false,
      }, (r) => {
        let text = '';
        r.on('data', (c) => (text += c));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, headers: r.headers, text }));
      });
      req.on('error', reject);
      req.write('{"messages":');
    });
    assert.equal(declared.status, 400);
    assert.equal(declared.headers['connection'], 'close');
  });

  test('the caller is judged before the body: no credential and a bad body is 401, not 400', async () => {
    const res = await raw('POST', `openai/deployments/chat/chat/completions${Q}`, { 'content-type': 'application/json' }, ['{nope']);
    assert.equal(res.status, 401);
    assert.deepEqual(JSON.parse(res.text), KEY_401);
    const wrongType = await raw('POST', `openai/deployments/chat/chat/completions${Q}`, { 'api-key': 'f'.repeat(64), 'content-type': 'text/plain' }, ['x']);
    assert.equal(wrongType.status, 401);
  });

  test('a client that goes away in the middle of its body leaves the server serving', async () => {
    await new Promise<void>((resolve) => {
      const req = https.request(`${endpoint}openai/deployments/chat/chat/completions${Q}`, {
        method: 'POST',
        headers: { 'api-key': key, 'content-type': 'application/json', 'content-length': '1000' },
        ca: fs.readFileSync(keyless.info.caPath),
        agent: false,
      });
      req.on('error', () => resolve());
      req.write('{"messages":[', () => setTimeout(() => req.destroy(), 50));
      req.on('close', () => resolve());
    });
    assertCompletion(await chat(`openai/deployments/chat/chat/completions${Q}`, JSON.stringify(CHAT)));
  });
});

describe('data plane: answers', () => {
  test('streaming: server-sent events with the request ids, ending in [DONE]', async () => {
    const res = await chat(`openai/deployments/chat/chat/completions${Q}`, JSON.stringify({ ...CHAT, stream: true }));
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8');
    assert.equal(res.headers['cache-control'], 'no-cache');
    assertRequestIds(res);
    const events = res.text.split('\n\n').filter((e) => e !== '');
    assert.ok(events.length > 2);
    assert.ok(events.every((e) => e.startsWith('data: ')));
    assert.equal(events.at(-1), 'data: [DONE]');
    // As Azure: a first chunk of prompt filter results with an empty id, then one id for the completion.
    const ids = new Set(events.slice(0, -1).map((e) => JSON.parse(e.slice(6)).id).filter((id) => id !== ''));
    assert.equal(ids.size, 1);
    assert.match([...ids][0], /^chatcmpl-[0-9a-f]{32}$/);
  });

  test('a deployment with simulated latency answers after it', async () => {
    const credential = readAdminCredential(keyless.dataDir);
    const token = await adminToken(keyless.info.caPath, keyless.info.baseUrl, credential, 'https://management.azure.com');
    const accountId = `/subscriptions/${keyless.info.subscriptionId}/resourceGroups/dp/providers/Microsoft.CognitiveServices/accounts/dp-openai`;
    const put = await request(keyless.info.caPath, 'PUT', `${keyless.info.baseUrl}${accountId}/deployments/slow?api-version=2024-10-01`, {
      headers: { authorization: `Bearer ${token}` },
      body: { sku: { name: 'Standard', capacity: 1 }, properties: { model: { format: 'OpenAI', name: 'gpt-4o-mini', version: '2024-07-18' }, simulatedLatencyMs: 300 } },
    });
    assert.ok(put.status === 200 || put.status === 201, put.text);
    const started = performance.now();
    assertCompletion(await chat(`openai/deployments/slow/chat/completions${Q}`, JSON.stringify(CHAT)));
    assert.ok(performance.now() - started >= 290);
  });

  test('at log level info each request is logged once, with no secret', async () => {
    const before = keyless.output().length;
    const res = await chat(`openai/deployments/chat/chat/completions${Q}&sig=secret-value`, JSON.stringify(CHAT));
    assertCompletion(res);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const lines = keyless.output().slice(before).split('\n').filter((l) => l.includes(String(res.headers['x-request-id'])));
    assert.equal(lines.length, 1, lines.join('\n'));
    const line = JSON.parse(lines[0] as string);
    assert.equal(line.msg, 'request completed');
    assert.equal(line.res.statusCode, 200);
    assert.match(line.req.url, /sig=\*\*\*/);
    assert.ok(!lines[0]?.includes(key) && !lines[0]?.includes('secret-value'));
  });
});
