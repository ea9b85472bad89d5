import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, startInProcess, type InProcessKeyless, cliJson } from '../fixtures/in-process.js';
import { request } from '../fixtures/http.js';

/** `keyless fault add|list|clear`: each surface answers an injected failure exactly as Azure's does, and audits it as injected. */
const RESOURCE = 'https://cognitiveservices.azure.com';
let keyless: InProcessKeyless;
const json = cliJson(() => keyless.dataDir);
let vmA: string;
let vmB: string;
let app: Record<string, string>;
let key: string;
let client: { tenantId: string; clientId: string; clientSecret: string };

const hostVars = async (host: string): Promise<Record<string, string>> => {
  const run = await runCli(keyless.dataDir, ['env', '--as', host, '-g', 'fl']);
  assert.equal(run.code, 0, run.stderr);
  return Object.fromEntries(run.stdout.split('\n').filter((l) => l.startsWith('export ')).map((l) => l.slice(7).split(/=(.*)/s).slice(0, 2) as [string, string]));
};
const imds = (base: string) => fetch(`${base}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${RESOURCE}`, { headers: { metadata: 'true' } });
const appService = () => fetch(`${app['IDENTITY_ENDPOINT']}?api-version=2019-08-01&resource=${RESOURCE}`, { headers: { 'x-identity-header': app['IDENTITY_HEADER'] ?? '' } });
const token = () =>
  request(keyless.info.caPath, 'POST', `${keyless.info.baseUrl}/${client.tenantId}/oauth2/v2.0/token`, {
    form: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret, scope: `${RESOURCE}/.default` },
  });
const chat = (deployment = 'chat', body: object = { messages: [{ role: 'user', content: 'hello' }] }) =>
  request(keyless.info.caPath, 'POST', `${keyless.info.baseUrl}/accounts/fl-openai/openai/deployments/${deployment}/chat/completions?api-version=2024-10-21`, {
    headers: { 'api-key': key },
    body,
  });
const add = async (...args: string[]) => json('fault', 'add', ...args);
const auditRecord = async (requestId: string): Promise<Record<string, unknown>> => {
  for (let i = 0; i < 50; i++) {
    const found = ((await json('audit', 'list', '--injected', '--top', '50')) as Record<string, unknown>[]).find((r) => r['requestId'] === requestId);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no injected record for ${requestId}`);
};

before(async () => {
  keyless = await startInProcess({ clock: 'controllable' });
  await json('group', 'create', '-n', 'fl');
  const application = await json('ad', 'sp', 'create-for-rbac', '-n', 'fl-app');
  client = { tenantId: application.tenant, clientId: application.appId, clientSecret: application.password };
  await json('openai', 'create', '-g', 'fl', '-n', 'fl-openai');
  await json('openai', 'deployment', 'create', '-g', 'fl', '-n', 'fl-openai', '--deployment-name', 'chat');
  await json('openai', 'deployment', 'create', '-g', 'fl', '-n', 'fl-openai', '--deployment-name', 'other');
  key = (await json('openai', 'keys', 'list', '-g', 'fl', '-n', 'fl-openai')).key1;
  await json('vm', 'create', '-g', 'fl', '-n', 'vm-a', '--assign-identity', 'system');
  await json('vm', 'create', '-g', 'fl', '-n', 'vm-b', '--assign-identity', 'system');
  await json('webapp', 'create', '-g', 'fl', '-n', 'app', '--assign-identity', 'system');
  vmA = (await hostVars('vm-a'))['AZURE_POD_IDENTITY_AUTHORITY_HOST'] ?? '';
  vmB = (await hostVars('vm-b'))['AZURE_POD_IDENTITY_AUTHORITY_HOST'] ?? '';
  app = await hostVars('app');
});
after(async () => {
  await keyless.stop();
});

describe('IMDS and App Service', () => {
  test('IMDS 410 (an upgrade) and 429 for one host only, each for --times answers; other hosts are untouched', async () => {
    await add('--surface', 'imds', '--host', 'vm-a', '--status', '410', '--times', '1');
    const gone = await imds(vmA);
    assert.equal(gone.status, 410);
    assert.deepEqual(await gone.json(), { error: 'service_unavailable', error_description: 'The instance metadata service is being upgraded. Retry the request within 70 seconds.' });
    assert.equal((await imds(vmA)).status, 200, '--times 1: the next call is served');

    await add('--surface', 'imds', '--host', 'VM-A', '--status', '429', '--retry-after', '2', '--times', '2');
    assert.equal((await imds(vmB)).status, 200, 'another host is not affected (and does not spend the fault)');
    for (let i = 0; i < 2; i++) {
      const throttled = await imds(vmA);
      assert.equal(throttled.status, 429);
      assert.equal(throttled.headers.get('retry-after'), '2');
      assert.deepEqual(await throttled.json(), { error: 'too_many_requests', error_description: 'Too many requests' });
    }
    assert.equal((await imds(vmA)).status, 200);
    assert.deepEqual((await json('fault', 'list')).value, [], 'spent faults are removed');
  });

  test('IMDS 500 and App Service 503 in their own envelopes; a delay answers late; a dropped connection answers nothing', async () => {
    await add('--surface', 'imds', '--status', '500', '--times', '1');
    const failed = await imds(vmB);
    assert.equal(failed.status, 500);
    assert.deepEqual(await failed.json(), { error: 'unknown_error', error_description: 'An unexpected error occurred.' });

    await add('--surface', 'app-service', '--status', '503', '--retry-after', '5', '--times', '1');
    const unavailable = await appService();
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.headers.get('retry-after'), '5');
    const body = (await unavailable.json()) as Record<string, unknown>;
    assert.match(String(body['correlationId']), /^[0-9a-f-]{36}$/);
    assert.deepEqual({ ...body, correlationId: 'x' }, { statusCode: 503, message: 'The service is temporarily unavailable. Retry the request later.', correlationId: 'x' });

    await add('--surface', 'app-service', '--delay-ms', '300', '--times', '1');
    const started = performance.now();
    assert.equal((await appService()).status, 200);
    assert.ok(performance.now() - started >= 290, 'answered late');

    await add('--surface', 'imds', '--drop-connection', '--times', '1');
    await assert.rejects(imds(vmA), (error: Error) => /fetch failed/.test(error.message));
    assert.equal((await imds(vmA)).status, 200);
  });
});

describe('the token endpoint', () => {
  test('--aadsts for one client id answers the exact Entra body, its timestamp on the product clock', async () => {
    // A day ahead (within the application's secret's life), whole seconds, frozen: the body's timestamp is known.
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 86_400_000);
    const stamp = `${at.toISOString().slice(0, 19).replace('T', ' ')}Z`;
    const clock = await json('clock', 'set', at.toISOString(), '--freeze');
    try {
      await add('--surface', 'token', '--client-id', client.clientId.toUpperCase(), '--aadsts', 'AADSTS7000222', '--times', '1');
      const refused = await token();
      assert.equal(refused.status, 401);
      const body = refused.json();
      const { trace_id: traceId, correlation_id: correlationId } = body;
      assert.deepEqual(body, {
        error: 'invalid_client',
        error_description: `AADSTS7000222: The provided client secret keys for app '${client.clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds. Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${stamp}`,
        error_codes: [7000222],
        timestamp: stamp,
        trace_id: traceId,
        correlation_id: correlationId,
        error_uri: 'https://login.microsoftonline.com/error?code=7000222',
      });
      assert.equal(clock.frozen, true);
      assert.equal((await token()).status, 200);
    } finally {
      await json('clock', 'resume');
    }
  });

  test("a token fault for every client spares Keyless's own operator, so that the CLI can still clear it", async () => {
    await add('--surface', 'token', '--status', '500');
    assert.equal((await token()).status, 500);
    assert.equal((await runCli(keyless.dataDir, ['fault', 'list'])).code, 0);
    assert.equal((await json('fault', 'clear')).value.length, 1);
    assert.equal((await token()).status, 200);
  });

  test('--status 429 and 503 on the token endpoint', async () => {
    await add('--surface', 'token', '--status', '429', '--times', '1');
    const throttled = await token();
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers['retry-after'], '1');
    assert.equal(throttled.json().error, 'temporarily_unavailable');
    assert.deepEqual(throttled.json().error_codes, [50196]);
    await add('--surface', 'token', '--status', '503', '--retry-after', '3', '--times', '1');
    const unavailable = await token();
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.headers['retry-after'], '3');
    assert.match(unavailable.json().error_description, /^AADSTS90033: A transient error has occurred\. Please try again\. Trace ID: /);
  });
});

describe('the data plane', () => {
  test("429, 500 and 503 in Azure OpenAI's words, for one deployment only; audited as injected", async () => {
    const fault = await add('--surface', 'data-plane', '--deployment', 'chat', '--status', '429', '--retry-after', '3', '--times', '1');
    assert.equal((await chat('other')).status, 200);
    const throttled = await chat();
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers['retry-after'], '3');
    assert.equal(throttled.headers['retry-after-ms'], '3000');
    assert.deepEqual(throttled.json(), {
      error: {
        code: '429',
        message:
          'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded call rate limit of your current OpenAI S0 pricing tier. Please retry after 3 seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.',
      },
    });
    const record = await auditRecord(String(throttled.headers['x-request-id']));
    assert.equal(record['reason'], `fault ${fault.id}: status 429 (retry-after 3 s)`);
    assert.equal(record['keyName'], 'key1');

    await add('--surface', 'data-plane', '--status', '500', '--times', '1');
    const failed = await chat();
    assert.equal(failed.status, 500);
    assert.deepEqual(failed.json(), {
      error: {
        message: `The server had an error while processing your request. Sorry about that! You can retry your request, or contact us through an Azure support request at: https://go.microsoft.com/fwlink/?linkid=2213926 if the error persists. (Please include the request ID ${String(failed.headers['x-request-id'])} in your message.)`,
        type: 'server_error',
        param: null,
        code: null,
      },
    });
    await add('--surface', 'data-plane', '--status', '503', '--times', '1');
    const unavailable = await chat();
    assert.equal(unavailable.status, 503);
    assert.deepEqual(unavailable.json(), { error: { code: 'ServiceUnavailable', message: 'The service is temporarily unable to process your request. Please try again later.' } });
  });

  test('the content filter: 400 on the prompt, finish_reason content_filter on the completion (plain and streamed)', async () => {
    await add('--surface', 'data-plane', '--content-filter', 'prompt', '--times', '1');
    const refused = await chat();
    assert.equal(refused.status, 400);
    const safe = { filtered: false, severity: 'safe' };
    assert.deepEqual(refused.json(), {
      error: {
        message:
          "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
        type: null,
        param: 'prompt',
        code: 'content_filter',
        status: 400,
        innererror: {
          code: 'ResponsibleAIPolicyViolation',
          content_filter_result: { hate: safe, jailbreak: { filtered: false, detected: false }, self_harm: safe, sexual: safe, violence: { filtered: true, severity: 'medium' } },
        },
      },
    });

    await add('--surface', 'data-plane', '--content-filter', 'completion', '--times', '2');
    const cut = await chat();
    assert.equal(cut.status, 200);
    const choice = cut.json().choices[0];
    assert.equal(choice.finish_reason, 'content_filter');
    assert.equal(choice.message.content, '');
    assert.deepEqual(choice.content_filter_results, { hate: safe, self_harm: safe, sexual: safe, violence: { filtered: true, severity: 'medium' } });
    assert.equal((await auditRecord(String(cut.headers['x-request-id'])))['deployment'], 'chat', 'audited as injected, with its usage');

    const streamed = await chat('chat', { messages: [{ role: 'user', content: 'hello' }], stream: true });
    const chunks = streamed.text.split('\n\n').filter((l) => l.startsWith('data: {')).map((l) => JSON.parse(l.slice(6)));
    const last = chunks.filter((c) => c.choices?.[0]?.finish_reason).at(-1);
    assert.equal(last.choices[0].finish_reason, 'content_filter');
    assert.equal(last.choices[0].content_filter_results.violence.filtered, true);
  });

  test('a dropped connection, then a normal answer', async () => {
    await add('--surface', 'data-plane', '--drop-connection', '--times', '1');
    await assert.rejects(chat(), (error: NodeJS.ErrnoException) => error.code === 'ECONNRESET' || /socket hang up/.test(error.message));
    assert.equal((await chat()).status, 200);
  });
});

describe('fault list and clear, --for', () => {
  test('--for ends a fault on the product clock; list shows it over; clear removes one or all', async () => {
    const timed = await add('--surface', 'data-plane', '--deployment', 'other', '--status', '503', '--for', '30s');
    const forever = await add('--surface', 'imds', '--host', 'nobody', '--status', '500');
    assert.equal((await chat('other')).status, 503);
    await json('clock', 'advance', '31s');
    assert.equal((await chat('other')).status, 200, 'over once 30 s of product time have passed');
    const listed = (await json('fault', 'list')).value as Record<string, unknown>[];
    assert.deepEqual(listed.map((f) => [f['id'], f['expired'], f['description']]), [[timed.id, true, 'status 503'], [forever.id, false, 'status 500']]);
    const table = await runCli(keyless.dataDir, ['fault', 'list', '-o', 'table']);
    assert.match(table.stdout, /deployment other/);
    assert.match(table.stdout, /host nobody/);

    assert.deepEqual(await json('fault', 'clear', '--id', timed.id), { value: [timed.id] });
    assert.deepEqual(await json('fault', 'clear'), { value: [forever.id] });
    assert.deepEqual((await json('fault', 'list')).value, []);
  });

  test('bad faults are refused with a clear error', async () => {
    const cases: [string[], string][] = [
      [['--surface', 'data-plane', '--status', '410'], "--status 410 is IMDS's answer during an upgrade: only for the imds surface."],
      [['--surface', 'imds', '--aadsts', '7000215'], '--aadsts does not apply to the imds surface.'],
      [['--surface', 'token', '--aadsts', '12345'], '--aadsts must be one of 7000215, 7000222, 7000218, 700016, 7000112, 53003, 50196, 50000, 90033.'],
      [['--surface', 'imds', '--status', '500', '--delay-ms', '10'], 'Give exactly one of --status, --delay-ms, --aadsts, --content-filter or --drop-connection.'],
      [['--surface', 'token', '--deployment', 'chat', '--status', '500'], '--deployment does not apply to the token surface.'],
      [['--surface', 'queue', '--status', '500'], "'surface' must be one of imds, app-service, token, data-plane."],
      [['--surface', 'imds', '--status', '404'], '--status must be 429, 500, 503 or 410.'],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(keyless.dataDir, ['fault', 'add', ...args]);
      assert.equal(run.code, 1, args.join(' '));
      assert.match(run.stderr, new RegExp(`^ERROR: \\((InvalidFault|InvalidRequestContent)\\) ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n$`));
    }
    const usage = await runCli(keyless.dataDir, ['fault', 'add', '--surface', 'imds', '--status', 'many']);
    assert.equal(usage.code, 2);
    assert.equal(usage.stderr, "ERROR: --status must be a whole number (got 'many').\n");
    assert.deepEqual((await json('fault', 'list')).value, []);
  });
});
