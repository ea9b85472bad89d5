import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, startInProcess, type InProcessKeyless, cliJson } from '../fixtures/in-process.js';
import { request } from '../fixtures/http.js';
import { parseUpOptions } from '../../src/config/options.js';

/** `keyless up --clock controllable` and `keyless clock`: every surface reads the controlled time. */
const RESOURCE = 'https://cognitiveservices.azure.com';
const HOUR = 3_600_000;
const EXPIRED_TOKEN = {
  statusCode: 401,
  message: 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.',
};
let keyless: InProcessKeyless;
const json = cliJson(() => keyless.dataDir);
let imdsBase: string;

const claimsOf = (token: string): Record<string, number> => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
const imdsToken = async (): Promise<Record<string, string>> => {
  const res = await fetch(`${imdsBase}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${RESOURCE}`, { headers: { metadata: 'true' } });
  assert.equal(res.status, 200);
  return (await res.json()) as Record<string, string>;
};
const chat = (token: string) =>
  request(keyless.info.caPath, 'POST', `${keyless.info.baseUrl}/accounts/ck-openai/openai/deployments/chat/chat/completions?api-version=2024-10-21`, {
    headers: { authorization: `Bearer ${token}` },
    body: { messages: [{ role: 'user', content: 'hello' }] },
  });

before(async () => {
  keyless = await startInProcess({ clock: 'controllable' });
  await json('group', 'create', '-n', 'ck');
  await json('openai', 'create', '-g', 'ck', '-n', 'ck-openai');
  await json('openai', 'deployment', 'create', '-g', 'ck', '-n', 'ck-openai', '--deployment-name', 'chat');
  const vm = await json('vm', 'create', '-g', 'ck', '-n', 'vm', '--assign-identity', 'system');
  await json('role', 'assignment', 'create', '--assignee', vm.identity.principalId, '--role', 'Cognitive Services OpenAI User', '--scope', `/subscriptions/${keyless.info.subscriptionId}/resourceGroups/ck`);
  const env = await runCli(keyless.dataDir, ['env', '--as', 'vm', '-g', 'ck']);
  imdsBase = /AZURE_POD_IDENTITY_AUTHORITY_HOST=(\S+)/.exec(env.stdout)?.[1] ?? '';
});
after(async () => {
  await keyless.stop();
});

describe('a controllable clock', () => {
  test('clock advance: new tokens carry the moved time, tokens issued before expire by their own exp, the audit is stamped with it', async () => {
    const before = await imdsToken();
    assert.equal((await chat(before['access_token'] ?? '')).status, 200);

    const advanced = await json('clock', 'advance', '25h');
    assert.equal(advanced.controllable, true);
    assert.equal(advanced.frozen, false);
    assert.ok(Math.abs(advanced.offsetMs - 25 * HOUR) < 1000, `offset ${advanced.offsetMs}`);
    const moved = Date.parse(advanced.now);
    assert.ok(Math.abs(moved - (Date.now() + 25 * HOUR)) < 5000);

    // Issued before: its exp (24 h) now lies in the past of the controlled time.
    const refused = await chat(before['access_token'] ?? '');
    assert.equal(refused.status, 401);
    assert.deepEqual(refused.json(), EXPIRED_TOKEN);

    const after = await imdsToken();
    const claims = claimsOf(after['access_token'] ?? '');
    assert.ok(Math.abs(claims['iat']! * 1000 - moved) < 5000, 'iat is the controlled time');
    assert.equal(claims['nbf'], claims['iat']);
    assert.equal(Number(after['expires_on']), claims['exp']);
    assert.equal(Number(after['not_before']), claims['nbf']);
    assert.equal(Number(after['expires_in']), claims['exp']! - claims['iat']!);
    assert.equal((await chat(after['access_token'] ?? '')).status, 200);

    const records = (await json('audit', 'list', '--top', '5')) as Record<string, string>[];
    assert.ok(Date.parse(records[0]?.['at'] ?? '') > Date.now() + 24 * HOUR, 'audit records follow the controlled time');
  });

  test('clock set --freeze stops the time; advance moves it; resume returns to the system clock', async () => {
    const frozen = await json('clock', 'set', '2031-05-01T12:00:00Z', '--freeze');
    assert.deepEqual({ now: frozen.now, frozen: frozen.frozen }, { now: '2031-05-01T12:00:00.000Z', frozen: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal((await json('clock', 'show')).now, '2031-05-01T12:00:00.000Z');
    const token = claimsOf((await imdsToken())['access_token'] ?? '');
    assert.equal(token['iat'], Date.parse('2031-05-01T12:00:00Z') / 1000);
    assert.equal((await json('clock', 'advance', '1h30m')).now, '2031-05-01T13:30:00.000Z');

    const resumed = await json('clock', 'resume');
    assert.equal(resumed.frozen, false);
    assert.ok(Math.abs(resumed.offsetMs) < 1000);
    assert.ok(Math.abs(Date.parse(resumed.now) - Date.now()) < 1000);
    // Tokens cached in 2031 are not handed out once the time is back: the new one is valid now.
    const fresh = await imdsToken();
    assert.ok(Math.abs(claimsOf(fresh['access_token'] ?? '')['iat']! * 1000 - Date.now()) < 5000);
    assert.equal((await chat(fresh['access_token'] ?? '')).status, 200);
  });

  test("error bodies' times follow the clock too: Entra's timestamp, Graph's innerError.date", async () => {
    await json('clock', 'set', '2031-05-01T12:00:00Z', '--freeze');
    try {
      const entra = await request(keyless.info.caPath, 'POST', `${keyless.info.baseUrl}/${keyless.info.tenantId}/oauth2/v2.0/token`, {
        form: { grant_type: 'client_credentials', client_id: '00000000-0000-0000-0000-000000000000', client_secret: 'x', scope: `${RESOURCE}/.default` },
      });
      assert.equal(entra.json().timestamp, '2031-05-01 12:00:00Z');
      const graph = await request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}/v1.0/servicePrincipals/nope`);
      assert.equal(graph.json().error.innerError.date, '2031-05-01T12:00:00');
    } finally {
      await json('clock', 'resume');
    }
  });

  test('bad durations and times are refused with a clear error', async () => {
    const badDuration = await runCli(keyless.dataDir, ['clock', 'advance', 'soon']);
    assert.equal(badDuration.code, 2);
    assert.equal(badDuration.stderr, "ERROR: the duration must be a duration such as 30s, 90m, 2h, 1h30m or 7d (got 'soon').\n");
    const badTime = await runCli(keyless.dataDir, ['clock', 'set', 'tomorrow']);
    assert.equal(badTime.code, 2);
    const dateOnly = await runCli(keyless.dataDir, ['clock', 'set', '2031-01-01']);
    assert.equal(dateOnly.code, 1);
    assert.match(dateOnly.stderr, /^ERROR: \(InvalidRequestContent\) 'time' must be an ISO-8601 time with a date and a time of day/);
  });
});

describe('the system clock', () => {
  test('clock show answers; advance, set and resume are refused with ClockNotControllable', async () => {
    const plain = await startInProcess();
    try {
      const shown = await cliJson(() => plain.dataDir)('clock', 'show');
      assert.deepEqual({ controllable: shown.controllable, offsetMs: shown.offsetMs, frozen: shown.frozen }, { controllable: false, offsetMs: 0, frozen: false });
      for (const args of [['advance', '1h'], ['set', '2031-01-01T00:00:00Z'], ['resume']]) {
        const refused = await runCli(plain.dataDir, ['clock', ...args, '-o', 'json']);
        assert.equal(refused.code, 1);
        assert.equal(refused.stderr, 'ERROR: (ClockNotControllable) The clock of this Keyless is the system clock; start it with `keyless up --clock controllable` to control time.\n');
        assert.deepEqual(JSON.parse(refused.stdout), {
          error: { code: 'ClockNotControllable', message: 'The clock of this Keyless is the system clock; start it with `keyless up --clock controllable` to control time.' },
        });
      }
    } finally {
      await plain.stop();
    }
  });

  test('--clock controllable is refused with --database, and any other mode is refused', () => {
    assert.throws(() => parseUpOptions({ clock: 'controllable', database: 'postgres://localhost/keyless' }, {}), {
      message: '--clock controllable cannot be used with --database: instances sharing a database must read the same time. Use it with SQLite in the data folder.',
    });
    assert.throws(() => parseUpOptions({ clock: 'fast' }, {}), { message: '--clock must be system or controllable.' });
    assert.equal(parseUpOptions({}, {}).clock, 'system');
  });
});
