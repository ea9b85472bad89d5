import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readAdminCredential, runCli, startInProcess, type InProcessKeyless, cliJson } from '../fixtures/in-process.js';
import { adminToken, request } from '../fixtures/http.js';

/** Signing key rotation: the JWKS publishes current and next; ordinary rotations keep old tokens valid, emergency ones revoke them. */
let keyless: InProcessKeyless;
let key: string;
const json = cliJson(() => keyless.dataDir);
const jwks = async (): Promise<string[]> =>
  ((await request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}/${keyless.info.tenantId}/discovery/v2.0/keys`)).json().keys as { kid: string }[]).map((k) => k.kid);
const kidOf = (token: string): string => JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()).kid;
const miToken = async (): Promise<string> => {
  const env = await runCli(keyless.dataDir, ['env', '--as', 'rot-vm', '-g', 'rot']);
  const base = /AZURE_POD_IDENTITY_AUTHORITY_HOST=(\S+)/.exec(env.stdout)?.[1] ?? '';
  const res = await fetch(`${base}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://cognitiveservices.azure.com`, { headers: { metadata: 'true' } });
  return ((await res.json()) as { access_token: string }).access_token;
};
const chat = (token: string) =>
  request(keyless.info.caPath, 'POST', `${keyless.info.baseUrl}/accounts/rot-openai/openai/deployments/chat/chat/completions?api-version=2024-10-21`, {
    headers: { authorization: `Bearer ${token}` },
    body: { messages: [{ role: 'user', content: 'hi' }] },
  });
const arm = (token: string) =>
  request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}/subscriptions/${keyless.info.subscriptionId}/resourcegroups?api-version=2021-04-01`, {
    headers: { authorization: `Bearer ${token}` },
  });

before(async () => {
  keyless = await startInProcess();
  await json('group', 'create', '-n', 'rot');
  await json('openai', 'create', '-g', 'rot', '-n', 'rot-openai');
  await json('openai', 'deployment', 'create', '-g', 'rot', '-n', 'rot-openai', '--deployment-name', 'chat');
  const vm = await json('vm', 'create', '-g', 'rot', '-n', 'rot-vm', '--assign-identity', 'system');
  await json('role', 'assignment', 'create', '--assignee', vm.identity.principalId, '--role', 'Cognitive Services OpenAI User', '--scope', `/subscriptions/${keyless.info.subscriptionId}/resourceGroups/rot`);
  key = '';
});
after(async () => {
  await keyless.stop();
});

test('an ordinary rotation promotes the next key; tokens signed before it keep working', async () => {
  const [current, next] = await jwks();
  assert.ok(current && next);
  const oldMi = await miToken();
  const oldArm = await adminToken(keyless.info.caPath, keyless.info.baseUrl, readAdminCredential(keyless.dataDir));
  assert.equal(kidOf(oldMi), current);

  const rotated = await json('signing-key', 'rotate');
  assert.equal(rotated.current, next);
  assert.equal(rotated.emergency, false);
  assert.deepEqual((await jwks()).sort(), [rotated.current, rotated.next].sort());

  assert.equal((await chat(oldMi)).status, 200, 'the old data-plane token still verifies');
  assert.equal((await arm(oldArm)).status, 200, 'the old control-plane token still verifies');
  const fresh = await adminToken(keyless.info.caPath, keyless.info.baseUrl, readAdminCredential(keyless.dataDir));
  assert.equal(kidOf(fresh), next, 'new tokens are signed with the promoted key');
  key = oldMi;
});

test('an emergency rotation revokes every published key: old tokens fail at once, new ones work, the CLI keeps working', async () => {
  const before = await jwks();
  const workloadKids = async (): Promise<string[]> =>
    ((await request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}/workload-issuer/openid/v1/jwks`)).json().keys as { kid: string }[]).map((k) => k.kid);
  const workloadBefore = await workloadKids();
  const oldMi = await miToken();
  const oldArm = await adminToken(keyless.info.caPath, keyless.info.baseUrl, readAdminCredential(keyless.dataDir));
  const rotated = await json('signing-key', 'rotate', '--emergency');
  assert.equal(rotated.emergency, true);
  // The built-in workload issuer's key is replaced too.
  assert.deepEqual(await workloadKids(), [rotated.workloadIssuerKid]);
  assert.notDeepEqual(workloadBefore, [rotated.workloadIssuerKid]);
  for (const kid of before) assert.ok(rotated.revoked.includes(kid), `${kid} is revoked`);
  const after = await jwks();
  assert.ok(after.every((kid) => !before.includes(kid)));

  for (const token of [oldMi, key]) {
    const refused = await chat(token);
    assert.equal(refused.status, 401);
    assert.deepEqual(refused.json(), {
      statusCode: 401,
      message: 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.',
    });
  }
  const armRefused = await arm(oldArm);
  assert.equal(armRefused.status, 401);
  assert.equal(armRefused.json().error.code, 'InvalidAuthenticationToken');

  const newMi = await miToken();
  assert.notEqual(newMi, oldMi, 'the managed identity cache was purged');
  assert.equal(kidOf(newMi), rotated.current);
  assert.equal((await chat(newMi)).status, 200);
  assert.equal((await runCli(keyless.dataDir, ['group', 'list'])).code, 0, 'the CLI signs in again');
});
