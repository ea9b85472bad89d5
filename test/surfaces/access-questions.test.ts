import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { AzureOpenAI } from 'openai';
import { ClientSecretCredential } from '@azure/identity';
import { CognitiveServicesManagementClient } from '@azure/arm-cognitiveservices';
import { RestError } from '@azure/core-rest-pipeline';
import { resolvingHttpClient } from '../fixtures/resolve.js';
import { cliJson, runCli, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { adminToken, request } from '../fixtures/http.js';
import { trustingFetch } from '../fixtures/trusting-fetch.js';

/**
 * Keyless's own access questions (POST {scope}/providers/Keyless/checkAccess
 * and …/whoCan), and the explanation and fix that every denial carries in the
 * audit, on the control plane and on the data plane, while the caller gets
 * Azure's exact body.
 */
let keyless: InProcessKeyless;
let sub: string;
let admin: string;
let adminId: string;
let account: { id: string; properties: { endpoint: string } };
let chatApp: { appId: string; password: string; id: string };
let deployer: { appId: string; password: string; id: string };
let outsider: { appId: string; password: string; id: string };
let orphanId: string;
let orphanAssignment: string;
const json = cliJson(() => keyless.dataDir);

const OPENAI = 'Microsoft.CognitiveServices/accounts/OpenAI';
const CHAT = `${OPENAI}/deployments/chat/completions/action`;
const LIST_KEYS = 'Microsoft.CognitiveServices/accounts/listKeys/action';
const OPENAI_USER = '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd';
const CS_USER = 'a97b65f3-24c7-4388-baec-2e87135dc908';
const API = 'api-version=2026-01-01';

const arm = (token: string, method: string, path: string, body?: object) =>
  request(keyless.info.caPath, method, `${keyless.info.baseUrl}${path}${path.includes('?') ? '&' : '?'}${API}`, {
    headers: { authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body }),
  });
const tokenFor = (app: { appId: string; password: string }, resource?: string) =>
  adminToken(keyless.info.caPath, keyless.info.baseUrl, { tenantId: keyless.info.tenantId, clientId: app.appId, clientSecret: app.password }, resource);

async function app(name: string, role: string, scope: string): Promise<{ appId: string; password: string; id: string }> {
  const created = await json('ad', 'sp', 'create-for-rbac', '-n', name, '--role', role, '--scopes', scope);
  const { id } = (await json('ad', 'sp', 'show', '--id', created.appId)) as { id: string };
  return { appId: created.appId, password: created.password, id };
}

async function denials(): Promise<Record<string, unknown>[]> {
  const res = await arm(admin, 'GET', `${sub}/providers/Keyless/auditRecords?denied=true&top=1000`);
  assert.equal(res.status, 200, res.text);
  return res.json().value as Record<string, unknown>[];
}

before(async () => {
  keyless = await startInProcess();
  sub = `/subscriptions/${keyless.info.subscriptionId}`;
  admin = await adminToken(keyless.info.caPath, keyless.info.baseUrl, keyless.admin());
  adminId = ((await json('ad', 'sp', 'show', '--id', keyless.admin().clientId)) as { id: string }).id;
  await json('group', 'create', '-n', 'ai');
  await json('group', 'create', '-n', 'elsewhere');
  account = await json('openai', 'create', '-g', 'ai', '-n', 'aoai');
  await json('openai', 'deployment', 'create', '-g', 'ai', '-n', 'aoai', '--deployment-name', 'chat', '--model-name', 'gpt-4o-mini');
  chatApp = await app('chat-app', 'Cognitive Services OpenAI User', account.id);
  deployer = await app('deployer', 'Contributor', sub);
  outsider = await app('outsider', 'Reader', `${sub}/resourceGroups/elsewhere`);
  const gone = await app('gone-app', 'Cognitive Services OpenAI Contributor', `${sub}/resourceGroups/ai`);
  orphanId = gone.id;
  orphanAssignment = ((await json('role', 'assignment', 'list', '--assignee', gone.id)) as { id: string }[])[0]?.id ?? '';
  assert.equal((await runCli(keyless.dataDir, ['ad', 'sp', 'delete', '--id', gone.appId])).code, 0);
});
after(async () => {
  await keyless.stop();
});

describe('POST {scope}/providers/Keyless/checkAccess', () => {
  test('allowed: the granting assignment, its role and the pattern that matched', async () => {
    const res = await arm(admin, 'POST', `${account.id}/providers/Keyless/checkAccess`, { principalId: chatApp.id, dataAction: CHAT });
    assert.equal(res.status, 200, res.text);
    const body = res.json();
    const [assignment] = (await json('role', 'assignment', 'list', '--assignee', chatApp.id)) as { id: string }[];
    assert.deepEqual(body, {
      principal: { id: chatApp.id, displayName: 'chat-app', exists: true },
      scope: account.id,
      action: CHAT,
      actionType: 'DataAction',
      allowed: true,
      grantedBy: [{
        roleAssignmentId: assignment?.id,
        roleAssignmentScope: account.id,
        roleDefinitionId: `${sub}/providers/Microsoft.Authorization/roleDefinitions/${OPENAI_USER}`,
        roleName: 'Cognitive Services OpenAI User',
        matchedPattern: CHAT,
      }],
      notGrantedBy: [],
      fix: null,
      explanation: `principal ${chatApp.id} may perform data action ${CHAT} at ${account.id}: granted by Cognitive Services OpenAI User at ${account.id} ('${CHAT}')`,
    });
  });

  test("denied: Contributor's actions never grant a data action; the narrowest role and the exact command", async () => {
    const res = await arm(admin, 'POST', `${account.id}/providers/Keyless/checkAccess`, { principalId: deployer.id, dataAction: CHAT });
    assert.equal(res.status, 200, res.text);
    const body = res.json();
    assert.equal(body.allowed, false);
    assert.deepEqual(body.grantedBy, []);
    assert.equal(body.notGrantedBy.length, 1);
    assert.equal(body.notGrantedBy[0].roleName, 'Contributor');
    assert.equal(body.notGrantedBy[0].matchedPattern, null);
    assert.equal(body.notGrantedBy[0].reason, `Contributor at ${sub}: only its actions ('*') match, and those never grant a data action`);
    const command = `keyless role assignment create --assignee ${deployer.id} --role "Cognitive Services OpenAI User" --scope ${account.id}`;
    assert.deepEqual(body.fix, {
      roleName: 'Cognitive Services OpenAI User',
      roleDefinitionId: `${sub}/providers/Microsoft.Authorization/roleDefinitions/${OPENAI_USER}`,
      scope: account.id,
      command,
    });
    assert.ok(body.explanation.endsWith('; the narrowest built-in role that grants it: Cognitive Services OpenAI User'), body.explanation);
  });

  test('an orphaned assignment (its principal deleted) still grants, and the principal is marked as gone', async () => {
    const res = await arm(admin, 'POST', `${account.id}/providers/Keyless/checkAccess`, { principalId: orphanId, dataAction: CHAT });
    assert.equal(res.status, 200, res.text);
    const body = res.json();
    assert.deepEqual(body.principal, { id: orphanId, displayName: null, exists: false });
    assert.equal(body.allowed, true);
    assert.equal(body.grantedBy[0].roleAssignmentId, orphanAssignment);
    assert.equal(body.grantedBy[0].matchedPattern, `${OPENAI}/*`);
  });

  test('bad questions get ARM-dialect 400s, other methods 405, an unknown scope 404', async () => {
    const path = `${account.id}/providers/Keyless/checkAccess`;
    const cases: [object, string][] = [
      [{ principalId: chatApp.id }, "Give exactly one of the 'action' and 'dataAction' properties."],
      [{ principalId: chatApp.id, action: LIST_KEYS, dataAction: CHAT }, "Give exactly one of the 'action' and 'dataAction' properties."],
      [{ principalId: chatApp.id, action: 'Microsoft.CognitiveServices/*' }, "The 'action' property must be one action, such as 'Microsoft.CognitiveServices/accounts/listKeys/action' (no wildcards, at most 512 characters)."],
      [{ principalId: chatApp.id, dataAction: 42 }, "The 'dataAction' property must be one action, such as 'Microsoft.CognitiveServices/accounts/listKeys/action' (no wildcards, at most 512 characters)."],
      [{ principalId: 'chat-app', dataAction: CHAT }, "The 'principalId' property is required: the principal's object id (a GUID)."],
    ];
    for (const [body, message] of cases) {
      const res = await arm(admin, 'POST', path, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.deepEqual(res.json(), { error: { code: 'InvalidRequestContent', message } });
    }
    const get = await arm(admin, 'GET', path);
    assert.equal(get.status, 405);
    assert.deepEqual(get.json(), { error: { code: 'MethodNotAllowed', message: "The HTTP method 'GET' is not supported at this path." } });
    const missing = await arm(admin, 'POST', `${sub}/resourceGroups/nope/providers/Keyless/checkAccess`, { principalId: chatApp.id, dataAction: CHAT });
    assert.equal(missing.status, 404);
    assert.equal(missing.json().error.code, 'ResourceGroupNotFound');
  });

  test('asking needs roleAssignments/read at the scope: AuthorizationFailed, audited with its explanation and fix', async () => {
    const token = await tokenFor(outsider);
    const res = await arm(token, 'POST', `${account.id}/providers/Keyless/checkAccess`, { principalId: chatApp.id, dataAction: CHAT });
    assert.equal(res.status, 403);
    const action = 'Microsoft.Authorization/roleAssignments/read';
    assert.deepEqual(res.json(), {
      error: {
        code: 'AuthorizationFailed',
        message: `The client '${outsider.appId}' with object id '${outsider.id}' does not have authorization to perform action '${action}' over scope '${account.id}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      },
    });
    const record = (await denials()).find((r) => r['principalId'] === outsider.id && String(r['reason']).includes(action));
    assert.ok(record);
    assert.equal(record['surface'], 'arm');
    assert.equal(record['operation'], `POST ${account.id}/providers/Keyless/checkAccess`);
    assert.match(String(record['explanation']), new RegExp(`^principal ${outsider.id} lacks action ${action.replace(/\//g, '\\/')} at `));
    assert.equal(record['fix'], `keyless role assignment create --assignee ${outsider.id} --role "Cognitive Services OpenAI User" --scope ${account.id}`);
  });
});

describe('POST {scope}/providers/Keyless/whoCan', () => {
  test('every holder through which assignment, the orphan marked, and who can grant themselves', async () => {
    const res = await arm(admin, 'POST', `${account.id}/providers/Keyless/whoCan`, { dataAction: CHAT });
    assert.equal(res.status, 200, res.text);
    const body = res.json();
    assert.equal(body.scope, account.id);
    assert.equal(body.actionType, 'DataAction');
    assert.deepEqual(
      body.value.map((p: any) => [p.principalId, p.displayName, p.orphaned, p.grantedBy.map((g: any) => g.roleName)]),
      [
        [chatApp.id, 'chat-app', false, ['Cognitive Services OpenAI User']],
        [orphanId, null, true, ['Cognitive Services OpenAI Contributor']],
      ],
    );
    // The admin (Owner at the subscription) cannot chat, but can grant itself the role; Contributor cannot.
    assert.deepEqual(body.canGrantThemselves.map((p: any) => [p.principalId, p.grantedBy.map((g: any) => [g.roleName, g.matchedPattern])]), [[adminId, [['Owner', '*']]]]);
  });
});

describe('denials in the audit: the same explanation and fix, the response body unchanged', () => {
  test('control plane: listKeys without the action', async () => {
    const res = await arm(await tokenFor(outsider), 'POST', `${account.id}/listKeys`);
    assert.equal(res.status, 403);
    assert.deepEqual(res.json(), {
      error: {
        code: 'AuthorizationFailed',
        message: `The client '${outsider.appId}' with object id '${outsider.id}' does not have authorization to perform action '${LIST_KEYS}' over scope '${account.id}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      },
    });
    const record = (await denials()).find((r) => r['principalId'] === outsider.id && r['reason'] === `lacks ${LIST_KEYS} at ${account.id}`);
    assert.ok(record);
    const { at, requestId, ...rest } = record;
    assert.match(String(at), /^\d{4}-/);
    assert.match(String(requestId), /^[0-9a-f-]{36}$/);
    const fix = `keyless role assignment create --assignee ${outsider.id} --role "Cognitive Services User" --scope ${account.id}`;
    assert.deepEqual(rest, {
      surface: 'arm',
      operation: `POST ${account.id}/listKeys`,
      account: account.id,
      principalId: outsider.id,
      principalType: 'ServicePrincipal',
      keyName: null,
      decision: 'denied',
      reason: `lacks ${LIST_KEYS} at ${account.id}`,
      explanation: `principal ${outsider.id} lacks action ${LIST_KEYS} at ${account.id}: it has no role assignment at or above that scope; the narrowest built-in role that grants it: Cognitive Services User`,
      fix,
    });
    // The explanation is the one `checkAccess` gives.
    const asked = await arm(admin, 'POST', `${account.id}/providers/Keyless/checkAccess`, { principalId: outsider.id, action: LIST_KEYS });
    assert.equal(asked.json().explanation, rest['explanation']);
    assert.equal(asked.json().fix.roleDefinitionId, `${sub}/providers/Microsoft.Authorization/roleDefinitions/${CS_USER}`);
  });

  test('control plane through Azure\'s SDK: @azure/arm-cognitiveservices gets ARM\'s exact 403; the audit has the fix', async () => {
    const via = { origin: keyless.info.baseUrl, port: keyless.info.port, ca: fs.readFileSync(keyless.info.caPath, 'utf8') };
    const httpClient = resolvingHttpClient(via);
    const credential = new ClientSecretCredential(keyless.info.tenantId, outsider.appId, outsider.password, { authorityHost: keyless.info.baseUrl, disableInstanceDiscovery: true, httpClient });
    const client = new CognitiveServicesManagementClient(credential, keyless.info.subscriptionId, { endpoint: keyless.info.baseUrl, httpClient });
    const error = await client.accounts.listKeys('ai', 'aoai').then(
      () => assert.fail('expected AuthorizationFailed'),
      (e: RestError) => e,
    );
    assert.ok(error instanceof RestError);
    assert.equal(error.statusCode, 403);
    assert.equal(error.code, 'AuthorizationFailed');
    assert.deepEqual(JSON.parse(error.response?.bodyAsText ?? ''), {
      error: {
        code: 'AuthorizationFailed',
        message: `The client '${outsider.appId}' with object id '${outsider.id}' does not have authorization to perform action '${LIST_KEYS}' over scope '${account.id}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      },
    });
    const records = (await denials()).filter((r) => r['principalId'] === outsider.id && r['operation'] === `POST ${account.id}/listKeys`);
    assert.ok(records.length >= 1, 'audited');
    assert.equal(records[0]?.['fix'], `keyless role assignment create --assignee ${outsider.id} --role "Cognitive Services User" --scope ${account.id}`);
  });

  test('data plane: the openai package gets Azure\'s exact PermissionDenied; the audit has the explanation and fix', async () => {
    const token = await tokenFor(deployer, 'https://cognitiveservices.azure.com');
    const client = new AzureOpenAI({ endpoint: account.properties.endpoint, apiVersion: '2024-10-21', azureADTokenProvider: async () => token, maxRetries: 0, fetch: trustingFetch(keyless.info.caPath) });
    const error = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }).then(
      () => assert.fail('expected PermissionDenied'),
      (e: { status?: number; error?: unknown }) => e,
    );
    assert.equal(error.status, 401);
    assert.deepEqual(error.error, {
      code: 'PermissionDenied',
      message: `The principal \`${deployer.id}\` lacks the required data action \`${CHAT}\` to perform \`POST /openai/deployments/{deployment-id}/chat/completions\` operation.`,
    });
    const record = (await denials()).find((r) => r['surface'] === 'openai' && r['principalId'] === deployer.id);
    assert.ok(record);
    const fix = `keyless role assignment create --assignee ${deployer.id} --role "Cognitive Services OpenAI User" --scope ${account.id}`;
    assert.equal(record['fix'], fix);
    assert.equal(
      record['explanation'],
      `principal ${deployer.id} lacks data action ${CHAT} at ${account.id}: Contributor at ${sub}: only its actions ('*') match, and those never grant a data action; the narrowest built-in role that grants it: Cognitive Services OpenAI User`,
    );
    assert.equal(record['operation'], 'POST /openai/deployments/{deployment-id}/chat/completions');
  });
});
