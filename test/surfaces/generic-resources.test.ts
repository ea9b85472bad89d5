import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cliJson, readAdminCredential, runCli, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { adminToken, request } from '../fixtures/http.js';

/** ARM's generic resource list (`az resource list`): the exact shape, $filter, $expand, $top and nextLink, and what the caller may read. */
let keyless: InProcessKeyless;
let token: string;
let sub: string;
const json = cliJson(() => keyless.dataDir);
const list = async (path: string, query = '') => {
  const res = await request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}${path}?api-version=2021-04-01${query}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: res.json() as { value: Record<string, any>[]; nextLink?: string; error?: Record<string, string> } };
};
const names = (body: { value: Record<string, any>[] }) => body.value.map((r) => r['name']);

before(async () => {
  keyless = await startInProcess();
  token = await adminToken(keyless.info.caPath, keyless.info.baseUrl, readAdminCredential(keyless.dataDir));
  sub = `/subscriptions/${keyless.info.subscriptionId}`;
  await json('group', 'create', '-n', 'gen-a');
  await json('group', 'create', '-n', 'gen-b', '-l', 'westus');
  await json('identity', 'create', '-g', 'gen-a', '-n', 'demo-id', '--tags', 'team=ai');
  await json('openai', 'create', '-g', 'gen-a', '-n', 'demo-openai', '--assign-identity', 'system', '--tags', 'team=ai', 'env=dev');
  await json('openai', 'deployment', 'create', '-g', 'gen-a', '-n', 'demo-openai', '--deployment-name', 'chat', '--model-name', 'gpt-4o-mini');
  await json('webapp', 'create', '-g', 'gen-b', '-n', 'other-app');
});
after(async () => keyless.stop());

describe('GET /subscriptions/{s}/resources', () => {
  test("every top-level resource (no deployments), by id, in Azure's GenericResourceExpanded shape: no properties", async () => {
    const { status, body } = await list(`${sub}/resources`);
    assert.equal(status, 200);
    assert.deepEqual(names(body), ['demo-openai', 'demo-id', 'other-app']);
    const account = body.value[0]!;
    assert.deepEqual(Object.keys(account), ['id', 'name', 'type', 'location', 'kind', 'sku', 'identity', 'tags']);
    assert.equal(account['id'], `${sub}/resourceGroups/gen-a/providers/Microsoft.CognitiveServices/accounts/demo-openai`);
    assert.equal(account['kind'], 'OpenAI');
    assert.equal(account['identity'].type, 'SystemAssigned');
    assert.deepEqual(account['tags'], { team: 'ai', env: 'dev' });
    assert.deepEqual(Object.keys(body.value[1]!), ['id', 'name', 'type', 'location', 'tags'], 'an identity has no identity block');
    assert.equal(body.nextLink, undefined);
  });

  test('in one group; a group that does not exist is 404 ResourceGroupNotFound', async () => {
    assert.deepEqual(names((await list(`${sub}/resourceGroups/gen-b/resources`)).body), ['other-app']);
    const missing = await list(`${sub}/resourceGroups/nope/resources`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error?.['code'], 'ResourceGroupNotFound');
  });

  test('$filter: resourceType, name, location, resourceGroup (eq and ne), substringof, tags, principal id', async () => {
    const filter = async (f: string) => names((await list(`${sub}/resources`, `&$filter=${encodeURIComponent(f)}`)).body);
    assert.deepEqual(await filter("resourceType eq 'microsoft.cognitiveservices/accounts'"), ['demo-openai']);
    assert.deepEqual(await filter("resourceType ne 'Microsoft.CognitiveServices/accounts'"), ['demo-id', 'other-app']);
    assert.deepEqual(await filter("name eq 'DEMO-ID'"), ['demo-id']);
    assert.deepEqual(await filter("location eq 'westus'"), ['other-app']);
    assert.deepEqual(await filter("resourceGroup eq 'gen-a' and substringof('openai', name)"), ['demo-openai']);
    assert.deepEqual(await filter("substringof('gen-', resourceGroup)"), ['demo-openai', 'demo-id', 'other-app']);
    assert.deepEqual(await filter("tagName eq 'team'"), ['demo-openai', 'demo-id']);
    assert.deepEqual(await filter("tagName eq 'env' and tagValue eq 'DEV'"), ['demo-openai']);
    assert.deepEqual(await filter("startswith(tagName, 'en')"), ['demo-openai']);
    const account = (await list(`${sub}/resources`, `&$filter=${encodeURIComponent("name eq 'demo-openai'")}`)).body.value[0]!;
    assert.deepEqual(await filter(`identity/principalId eq '${account['identity'].principalId}'`), ['demo-openai']);
    for (const bad of ['plan eq 1', "tagValue eq 'dev'", "kind eq 'OpenAI'", "name eq 'x' or name eq 'y'"]) {
      const res = await list(`${sub}/resources`, `&$filter=${encodeURIComponent(bad)}`);
      assert.equal(res.status, 400, bad);
      assert.deepEqual(res.body, { error: { code: 'InvalidFilterInQueryString', message: `Invalid $filter '${bad}' specified in the query string.` } });
    }
  });

  test('$expand adds createdTime, changedTime and provisioningState', async () => {
    const [first] = (await list(`${sub}/resourceGroups/gen-b/resources`, '&$expand=createdTime,changedTime,provisioningState')).body.value;
    assert.match(String(first?.['createdTime']), /^\d{4}-\d{2}-\d{2}T/);
    assert.equal(first?.['changedTime'], first?.['createdTime']);
    assert.equal(first?.['provisioningState'], 'Succeeded');
  });

  test('$top pages are linked by nextLink until the last; a bad $top or $skiptoken is 400', async () => {
    const seen: string[] = [];
    let page = await list(`${sub}/resources`, '&$top=2');
    seen.push(...names(page.body));
    assert.match(page.body.nextLink ?? '', new RegExp(`^${keyless.info.baseUrl}${sub}/resources\\?api-version=2021-04-01&%24top=2&%24skiptoken=`));
    const next = await request(keyless.info.caPath, 'GET', page.body.nextLink!, { headers: { authorization: `Bearer ${token}` } });
    page = { status: next.status, body: next.json() };
    seen.push(...names(page.body));
    assert.equal(page.body.nextLink, undefined);
    assert.deepEqual(seen, ['demo-openai', 'demo-id', 'other-app']);
    assert.equal((await list(`${sub}/resources`, '&$top=0')).status, 400);
    assert.equal((await list(`${sub}/resources`, '&$skiptoken=garbage')).body.error?.['code'], 'InvalidSkipToken');
  });

  test('only what the caller may read: a principal with Reader on one group sees that group', async () => {
    const app = await json('ad', 'sp', 'create-for-rbac', '-n', 'gen-reader');
    // As in az: --assignee takes the client id (or the object id, or the display name) and resolves it through Graph.
    const granted = await json('role', 'assignment', 'create', '--assignee', app.appId, '--role', 'Reader', '--scope', `${sub}/resourceGroups/gen-b`);
    const sp = await json('ad', 'sp', 'show', '--id', app.appId);
    assert.equal(granted.properties.principalId, sp.id);
    const byName = await json('role', 'assignment', 'list', '--assignee', 'gen-reader', '--all');
    assert.deepEqual(byName.map((a: { id: string }) => a.id), [granted.id]);
    const unknown = await runCli(keyless.dataDir, ['role', 'assignment', 'create', '--assignee', 'nobody-by-this-name', '--role', 'Reader', '--scope', sub]);
    assert.deepEqual({ code: unknown.code, stderr: unknown.stderr }, { code: 1, stderr: "ERROR: No service principal is named 'nobody-by-this-name'; give its object id or client id.\n" });
    const readerToken = await adminToken(keyless.info.caPath, keyless.info.baseUrl, { tenantId: app.tenant, clientId: app.appId, clientSecret: app.password });
    const res = await request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}${sub}/resources?api-version=2021-04-01`, { headers: { authorization: `Bearer ${readerToken}` } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json().value.map((r: Record<string, unknown>) => r['name']), ['other-app']);
  });
});
