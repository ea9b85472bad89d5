import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cliJson, runCli, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { request } from '../fixtures/http.js';

/**
 * Operations that can be turned into any principal's access need what
 * granting a role needs, so a Contributor cannot climb to Owner through them
 * (it can through a privileged host's identity, as in Azure:
 * host-identity-actions.test.ts); and under
 * --strict-revocation a deleted principal's token fails on every surface.
 */
let keyless: InProcessKeyless;
const json = cliJson(() => keyless.dataDir);
let sub: string;

before(async () => {
  keyless = await startInProcess({ strictRevocation: true });
  sub = `/subscriptions/${keyless.info.subscriptionId}`;
});
after(async () => {
  await keyless.stop();
});

const tokenFor = async (appId: string, secret: string): Promise<string> => {
  const res = await request(keyless.info.caPath, 'POST', `${keyless.info.baseUrl}/${keyless.info.tenantId}/oauth2/v2.0/token`, {
    form: { grant_type: 'client_credentials', client_id: appId, client_secret: secret, scope: `${keyless.info.baseUrl}/.default` },
  });
  assert.equal(res.status, 200, res.text);
  return res.json().access_token as string;
};

test('a Contributor cannot add credentials to applications, mint workload tokens or rotate signing keys', async () => {
  const contributor = await json('ad', 'sp', 'create-for-rbac', '-n', 'contrib', '--role', 'Contributor', '--scopes', sub);
  const token = await tokenFor(contributor.appId, contributor.password);
  const headers = { authorization: `Bearer ${token}` };
  const graph = await request(keyless.info.caPath, 'POST', `${keyless.info.baseUrl}/v1.0/applications`, { headers, body: { displayName: 'sneaky' } });
  assert.equal(graph.status, 403);
  assert.equal(graph.json().error.code, 'Authorization_RequestDenied');
  for (const path of ['providers/Keyless/signingKeys/rotate', 'providers/Keyless/workloadTokens/issue']) {
    const res = await request(keyless.info.caPath, 'POST', `${keyless.info.baseUrl}${sub}/${path}?api-version=2026-01-01`, {
      headers,
      body: { namespace: 'ns', serviceAccount: 'sa' },
    });
    assert.equal(res.status, 403, path);
    assert.equal(res.json().error.code, 'AuthorizationFailed');
    assert.match(res.json().error.message, /Microsoft\.Authorization\/roleAssignments\/write/);
  }
  // It can still do what Contributor is for.
  const group = await request(keyless.info.caPath, 'PUT', `${keyless.info.baseUrl}${sub}/resourcegroups/contrib-rg?api-version=2021-04-01`, { headers, body: { location: 'eastus' } });
  assert.equal(group.status, 201);
});

test('--strict-revocation: a deleted application\'s token fails on the control plane and Graph at once', async () => {
  const app = await json('ad', 'sp', 'create-for-rbac', '-n', 'short-lived', '--role', 'Reader', '--scopes', sub);
  const token = await tokenFor(app.appId, app.password);
  const headers = { authorization: `Bearer ${token}` };
  const arm = () => request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}${sub}/resourcegroups?api-version=2021-04-01`, { headers });
  const graph = () => request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}/v1.0/applications`, { headers });
  assert.equal((await arm()).status, 200);
  assert.equal((await graph()).status, 200);
  assert.equal((await runCli(keyless.dataDir, ['ad', 'sp', 'delete', '--id', app.appId])).code, 0);
  const refused = await arm();
  assert.equal(refused.status, 401);
  assert.equal(refused.json().error.code, 'InvalidAuthenticationToken');
  assert.equal((await graph()).status, 401);
});

test('an account endpoint is unique across groups (CustomDomainInUse), so no group can shadow another', async () => {
  await json('group', 'create', '-n', 'team-a');
  await json('group', 'create', '-n', 'team-b');
  await json('openai', 'create', '-g', 'team-a', '-n', 'shared-name');
  const clash = await runCli(keyless.dataDir, ['openai', 'create', '-g', 'team-b', '-n', 'shared-name', '-o', 'json']);
  assert.equal(clash.code, 1);
  assert.equal(JSON.parse(clash.stdout).error.code, 'CustomDomainInUse');
  const other = await json('openai', 'create', '-g', 'team-b', '-n', 'other-name');
  assert.equal(other.properties.endpoint, `${keyless.info.baseUrl}/accounts/other-name/`);
});
