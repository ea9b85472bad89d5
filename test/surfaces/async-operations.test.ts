import { after, afterEach, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { cliJson, runCli, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { adminToken, request, type HttpResult } from '../fixtures/http.js';

/**
 * `keyless up --async-operations`: creates and deletes of accounts and
 * deployments answer as Azure's long-running operations (201/202,
 * Azure-AsyncOperation, Location, Retry-After), their operation resource, and
 * the CLI's waiting and --no-wait. The clock is frozen so that every time and
 * Retry-After is exact; operations run 2 s of it.
 */
let keyless: InProcessKeyless;
let token: string;
let sub: string;
const json = cliJson(() => keyless.dataDir);
const API = '?api-version=2024-10-01';

before(async () => {
  keyless = await startInProcess({ asyncOperations: true, asyncDelay: '2' });
  token = await adminToken(keyless.info.caPath, keyless.info.baseUrl, keyless.admin());
  sub = keyless.info.subscriptionId;
  await json('group', 'create', '-n', 'lro', '-l', 'westus');
});
after(async () => {
  await keyless.stop();
});
beforeEach(() => keyless.clock.freeze());
afterEach(() => keyless.clock.unfreeze());

const arm = (method: string, path: string, body?: object): Promise<HttpResult> =>
  request(keyless.info.caPath, method, path.startsWith('https://') ? path : `${keyless.info.baseUrl}${path}`, {
    headers: { authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body }),
  });
const accountPath = (name: string) => `/subscriptions/${sub}/resourceGroups/lro/providers/Microsoft.CognitiveServices/accounts/${name}`;
const operationPath = (id: string) => `/subscriptions/${sub}/providers/Microsoft.CognitiveServices/locations/westus/operationResults/${id}`;
const statusUrl = (id: string) => `${keyless.info.baseUrl}${operationPath(id)}?api-version=2017-04-18`;
/** The operation id at the end of an Azure-AsyncOperation URL. */
const operationId = (res: HttpResult): string => /operationResults\/([0-9a-f-]{36})\?/.exec(String(res.headers['azure-asyncoperation']))?.[1] ?? 'none';
const seconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const ACCOUNT = { kind: 'OpenAI', sku: { name: 'S0' }, location: 'westus', properties: {} };

test('an account create is 201 Creating with Azure-AsyncOperation; its operation is InProgress, then Succeeded 2 s later', async () => {
  const start = keyless.clock.now();
  const created = await arm('PUT', `${accountPath('lro-a')}${API}`, ACCOUNT);
  assert.equal(created.status, 201);
  assert.equal(created.json().properties.provisioningState, 'Creating');
  const id = operationId(created);
  assert.equal(created.headers['azure-asyncoperation'], statusUrl(id));
  assert.equal(created.headers['retry-after'], '2');
  assert.equal(created.headers['location'], undefined);
  assert.equal((await arm('GET', `${accountPath('lro-a')}${API}`)).json().properties.provisioningState, 'Creating');

  const running = await arm('GET', statusUrl(id));
  assert.equal(running.status, 200);
  assert.deepEqual(running.json(), { id: operationPath(id), name: id, status: 'InProgress', startTime: seconds(start) });
  assert.equal(running.headers['retry-after'], '2');
  // A second write while it runs is ARM's conflict.
  const conflict = await arm('PUT', `${accountPath('lro-a')}${API}`, ACCOUNT);
  assert.equal(conflict.status, 409);
  assert.deepEqual(conflict.json(), {
    error: {
      code: 'RequestConflict',
      message: `Cannot modify resource with id '${accountPath('lro-a')}' because the resource entity provisioning state is not terminal. Please wait for the provisioning state to become terminal and then retry the request.`,
    },
  });

  keyless.clock.advance(2000);
  const done = await arm('GET', statusUrl(id));
  assert.equal(done.status, 200);
  assert.deepEqual(done.json(), { id: operationPath(id), name: id, status: 'Succeeded', startTime: seconds(start), endTime: seconds(start + 2000) });
  assert.equal(done.headers['retry-after'], undefined);
  assert.equal((await arm('GET', `${accountPath('lro-a')}${API}`)).json().properties.provisioningState, 'Succeeded');
  // An update is synchronous: 200, Succeeded, no operation.
  const updated = await arm('PUT', `${accountPath('lro-a')}${API}`, { ...ACCOUNT, tags: { a: 'b' } });
  assert.equal(updated.status, 200);
  assert.equal(updated.json().properties.provisioningState, 'Succeeded');
  assert.equal(updated.headers['azure-asyncoperation'], undefined);
});

test('a deployment is not served by the data plane until its create has finished', async () => {
  await arm('PUT', `${accountPath('lro-d')}${API}`, ACCOUNT);
  keyless.clock.advance(2000);
  const keys = (await arm('POST', `${accountPath('lro-d')}/listKeys${API}`)).json();
  const created = await arm('PUT', `${accountPath('lro-d')}/deployments/chat${API}`, { sku: { name: 'Standard', capacity: 1 }, properties: { model: { format: 'OpenAI', name: 'gpt-4o-mini' } } });
  assert.equal(created.status, 201);
  assert.equal(created.json().properties.provisioningState, 'Creating');
  assert.equal(created.headers['azure-asyncoperation'], statusUrl(operationId(created)));
  const chat = () =>
    request(keyless.info.caPath, 'POST', `${keyless.info.baseUrl}/accounts/lro-d/openai/deployments/chat/chat/completions?api-version=2024-10-21`, {
      headers: { 'api-key': keys.key1 },
      body: { messages: [{ role: 'user', content: 'hi' }] },
    });
  const early = await chat();
  assert.equal(early.status, 404);
  assert.deepEqual(early.json(), {
    error: {
      code: 'DeploymentNotFound',
      message: 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
    },
  });
  keyless.clock.advance(2000);
  assert.equal((await chat()).status, 200);
});

test('a delete is 202 with Location and Azure-AsyncOperation; Location answers 202, then 200, and the account is gone', async () => {
  await arm('PUT', `${accountPath('lro-x')}${API}`, ACCOUNT);
  keyless.clock.advance(2000);
  const start = keyless.clock.now();
  const deleting = await arm('DELETE', `${accountPath('lro-x')}${API}`);
  assert.equal(deleting.status, 202);
  assert.equal(deleting.text, '');
  const id = operationId(deleting);
  assert.equal(deleting.headers['azure-asyncoperation'], statusUrl(id));
  assert.equal(deleting.headers['location'], `${statusUrl(id)}&operationResultResponseType=Location`);
  assert.equal(deleting.headers['retry-after'], '2');
  assert.equal((await arm('GET', `${accountPath('lro-x')}${API}`)).json().properties.provisioningState, 'Deleting');
  // Asked again, the same operation.
  assert.equal(operationId(await arm('DELETE', `${accountPath('lro-x')}${API}`)), id);

  const pending = await arm('GET', String(deleting.headers['location']));
  assert.equal(pending.status, 202);
  assert.equal(pending.text, '');
  assert.equal(pending.headers['location'], deleting.headers['location']);
  keyless.clock.advance(2000);
  const finished = await arm('GET', String(deleting.headers['location']));
  assert.equal(finished.status, 200);
  assert.equal(finished.text, '');
  assert.deepEqual((await arm('GET', statusUrl(id))).json(), { id: operationPath(id), name: id, status: 'Succeeded', startTime: seconds(start), endTime: seconds(start + 2000) });
  assert.equal((await arm('GET', `${accountPath('lro-x')}${API}`)).status, 404);
  // Nothing left to delete: 204, synchronously.
  assert.equal((await arm('DELETE', `${accountPath('lro-x')}${API}`)).status, 204);
});

test("a soft-deleted account's purge is 202 as a delete; a restore is 201 Creating as a create", async () => {
  await arm('PUT', `${accountPath('lro-p')}${API}`, ACCOUNT);
  keyless.clock.advance(2000);
  await arm('DELETE', `${accountPath('lro-p')}${API}`);
  keyless.clock.advance(2000);
  const deletedPath = `/subscriptions/${sub}/providers/Microsoft.CognitiveServices/locations/westus/resourceGroups/lro/deletedAccounts/lro-p`;
  assert.equal((await arm('GET', `${deletedPath}${API}`)).status, 200, 'the finished delete soft-deleted it');

  const restoring = await arm('PUT', `${accountPath('lro-p')}${API}`, { location: 'westus', properties: { restore: true } });
  assert.equal(restoring.status, 201);
  assert.equal(restoring.json().properties.provisioningState, 'Creating');
  assert.equal(restoring.headers['azure-asyncoperation'], statusUrl(operationId(restoring)));
  keyless.clock.advance(2000);
  await arm('DELETE', `${accountPath('lro-p')}${API}`);
  keyless.clock.advance(2000);

  const start = keyless.clock.now();
  const purging = await arm('DELETE', `${deletedPath}${API}`);
  assert.equal(purging.status, 202);
  assert.equal(purging.text, '');
  const id = operationId(purging);
  assert.equal(purging.headers['azure-asyncoperation'], statusUrl(id));
  assert.equal(purging.headers['location'], `${statusUrl(id)}&operationResultResponseType=Location`);
  assert.equal(purging.headers['retry-after'], '2');
  assert.equal(operationId(await arm('DELETE', `${deletedPath}${API}`)), id, 'asked again, the same operation');
  assert.equal((await arm('GET', `${deletedPath}${API}`)).json().properties.provisioningState, 'Deleting');
  keyless.clock.advance(2000);
  assert.deepEqual((await arm('GET', statusUrl(id))).json(), { id: operationPath(id), name: id, status: 'Succeeded', startTime: seconds(start), endTime: seconds(start + 2000) });
  assert.equal((await arm('GET', String(purging.headers['location']))).status, 200);
  assert.equal((await arm('GET', `${deletedPath}${API}`)).status, 404);
  assert.equal((await arm('DELETE', `${deletedPath}${API}`)).status, 204, 'nothing left to purge: 204, synchronously');
});

test('an unknown operation id, or one asked for at another location, is 404 OperationNotFound', async () => {
  const unknown = '00000000-0000-0000-0000-000000000000';
  const res = await arm('GET', statusUrl(unknown));
  assert.equal(res.status, 404);
  assert.deepEqual(res.json(), { error: { code: 'OperationNotFound', message: `The operation '${unknown}' was not found.` } });
  const created = await arm('PUT', `${accountPath('lro-l')}${API}`, ACCOUNT);
  const elsewhere = await arm('GET', statusUrl(operationId(created)).replace('/westus/', '/eastus/'));
  assert.equal(elsewhere.status, 404);
});

test('the CLI waits for the operation unless --no-wait (then it prints nothing, as az)', async () => {
  keyless.clock.unfreeze();
  const noWait = await runCli(keyless.dataDir, ['openai', 'create', '-g', 'lro', '-n', 'lro-cli', '--no-wait', '-o', 'json']);
  assert.equal(noWait.code, 0, noWait.stderr);
  assert.equal(noWait.stdout, '');
  assert.equal((await json('openai', 'show', '-g', 'lro', '-n', 'lro-cli')).properties.provisioningState, 'Creating');

  const deployment = await json('openai', 'deployment', 'create', '-g', 'lro', '-n', 'lro-cli', '--deployment-name', 'd1');
  assert.equal(deployment.properties.provisioningState, 'Succeeded');
  assert.equal((await json('openai', 'show', '-g', 'lro', '-n', 'lro-cli')).properties.provisioningState, 'Succeeded');
  const removed = await runCli(keyless.dataDir, ['openai', 'deployment', 'delete', '-g', 'lro', '-n', 'lro-cli', '--deployment-name', 'd1']);
  assert.equal(removed.code, 0, removed.stderr);
  assert.deepEqual(await json('openai', 'deployment', 'list', '-g', 'lro', '-n', 'lro-cli'), []);

  const deleting = await runCli(keyless.dataDir, ['openai', 'delete', '-g', 'lro', '-n', 'lro-cli', '--no-wait']);
  assert.equal(deleting.code, 0, deleting.stderr);
  assert.equal((await json('openai', 'show', '-g', 'lro', '-n', 'lro-cli')).properties.provisioningState, 'Deleting');
});
