import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCli, startKeyless, type CliResult, type KeylessProcess, cliJson } from '../fixtures/server.js';

/** The CLI against a real `keyless up`, as a user runs it: no stdin, one process per command. */
let keyless: KeylessProcess;
const cli = (...args: string[]): Promise<CliResult> => runCli(keyless.dataDir, args);
const json = cliJson(() => keyless.dataDir);
let sub: string;

before(async () => {
  keyless = await startKeyless();
  sub = `/subscriptions/${keyless.info.subscriptionId}`;
});
after(async () => {
  await keyless.stop();
});

describe('keyless CLI', () => {
  test('account show prints the tenant, subscription and endpoints', async () => {
    const account = await json('account', 'show');
    assert.equal(account.tenantId, keyless.info.tenantId);
    assert.equal(account.subscriptionId, keyless.info.subscriptionId);
    assert.equal(account.endpoints.resourceManager, keyless.info.baseUrl);
  });

  test('groups: create with the default location, show, list; table output by default', async () => {
    const group = await json('group', 'create', '-n', 'cli-rg');
    assert.deepEqual(group, {
      id: `${sub}/resourceGroups/cli-rg`,
      name: 'cli-rg',
      type: 'Microsoft.Resources/resourceGroups',
      location: 'eastus',
      properties: { provisioningState: 'Succeeded' },
    });
    const table = await cli('group', 'list');
    assert.equal(table.code, 0);
    assert.match(table.stdout, /^Name\s+Location/m);
    assert.match(table.stdout, /^cli-rg\s+eastus/m);
  });

  test('identities, accounts, keys, deployments, web apps and VMs with their identity blocks', async () => {
    const identity = await json('identity', 'create', '-g', 'cli-rg', '-n', 'shared-id');
    assert.equal(identity.type, 'Microsoft.ManagedIdentity/userAssignedIdentities');
    assert.equal(identity.location, 'eastus');
    assert.equal(identity.properties.tenantId, keyless.info.tenantId);

    const account = await json('openai', 'create', '-g', 'cli-rg', '-n', 'cli-openai', '--assign-identity', 'system');
    assert.equal(account.kind, 'OpenAI');
    assert.equal(account.properties.endpoint, `${keyless.info.baseUrl}/accounts/cli-openai/`);
    assert.equal(account.properties.disableLocalAuth, false);
    assert.equal(account.identity.type, 'SystemAssigned');

    const keys = await json('openai', 'keys', 'list', '-g', 'cli-rg', '-n', 'cli-openai');
    assert.match(keys.key1, /^[0-9a-f]{64}$/);
    const rotated = await json('openai', 'keys', 'regenerate', '-g', 'cli-rg', '-n', 'cli-openai', '--key-name', 'key1');
    assert.notEqual(rotated.key1, keys.key1);
    assert.equal(rotated.key2, keys.key2);

    const deployment = await json('openai', 'deployment', 'create', '-g', 'cli-rg', '-n', 'cli-openai', '--deployment-name', 'chat', '--model-name', 'gpt-4o-mini');
    assert.equal(deployment.name, 'chat');
    assert.equal(deployment.properties.model.name, 'gpt-4o-mini');

    const app = await json('webapp', 'create', '-g', 'cli-rg', '-n', 'cli-app', '--assign-identity', 'system', identity.id);
    assert.equal(app.identity.type, 'SystemAssigned, UserAssigned');
    assert.deepEqual(app.identity.userAssignedIdentities, {
      [identity.id]: { principalId: identity.properties.principalId, clientId: identity.properties.clientId },
    });
    const vm = await json('vm', 'create', '-g', 'cli-rg', '-n', 'cli-vm', '--assign-identity', identity.id);
    assert.equal(vm.identity.type, 'UserAssigned');

    const removed = await json('webapp', 'identity', 'remove', '-g', 'cli-rg', '-n', 'cli-app', '--identities', 'system');
    assert.equal(removed.type, 'UserAssigned');
    const added = await json('webapp', 'identity', 'assign', '-g', 'cli-rg', '-n', 'cli-app', '--identities', 'system');
    assert.equal(added.type, 'SystemAssigned, UserAssigned');
    assert.notEqual(added.principalId, app.identity.principalId, 're-enabling makes a new system-assigned identity');

    const disabled = await json('openai', 'update', '-g', 'cli-rg', '-n', 'cli-openai', '--disable-local-auth', 'true');
    assert.equal(disabled.properties.disableLocalAuth, true);
    const refused = await cli('openai', 'keys', 'list', '-g', 'cli-rg', '-n', 'cli-openai', '-o', 'json');
    assert.equal(refused.code, 1);
    assert.deepEqual(JSON.parse(refused.stdout), { error: { code: 'BadRequest', message: 'Failed to list key. disableLocalAuth is set to be true' } });
    assert.equal(refused.stderr, 'ERROR: (BadRequest) Failed to list key. disableLocalAuth is set to be true\n');
  });

  test('role assignments: create by role name, list by assignee at every scope, orphans stay after the identity is deleted', async () => {
    const identity = await json('identity', 'create', '-g', 'cli-rg', '-n', 'short-lived');
    const principalId = identity.properties.principalId as string;
    const scope = `${sub}/resourceGroups/cli-rg`;
    const created = await json('role', 'assignment', 'create', '--assignee', principalId, '--role', 'Cognitive Services OpenAI User', '--scope', scope);
    assert.equal(created.properties.roleDefinitionId, `${sub}/providers/Microsoft.Authorization/roleDefinitions/5e0bd9bd-7b93-4f28-af87-19fc36ad61bd`);
    assert.equal(created.properties.scope, scope);

    const mine = await json('role', 'assignment', 'list', '--assignee', principalId);
    assert.deepEqual(mine.map((a: any) => a.id), [created.id]);

    const deleted = await cli('identity', 'delete', '-g', 'cli-rg', '-n', 'short-lived');
    assert.equal(deleted.code, 0);
    const orphans = await cli('role', 'assignment', 'list', '--assignee', principalId);
    assert.equal(orphans.code, 0);
    assert.match(orphans.stdout, new RegExp(`^${principalId}\\s+\\(unknown principal\\)\\s+Cognitive Services OpenAI User`, 'm'));

    const definitions = await json('role', 'definition', 'list');
    assert.ok(definitions.some((d: any) => d.name === '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd' && d.properties.roleName === 'Cognitive Services OpenAI User'));

    const removed = await cli('role', 'assignment', 'delete', '--ids', created.id);
    assert.equal(removed.code, 0);
    assert.deepEqual(await json('role', 'assignment', 'list', '--assignee', principalId), []);
  });

  test('as az scripts use it: --query and -o tsv feed the next command; global options anywhere on the line', async () => {
    await json('group', 'create', '-n', 'query-rg');
    const created = await cli('webapp', 'create', '-g', 'query-rg', '-n', 'query-app', '--assign-identity', '--query', 'identity.principalId', '-o', 'tsv');
    assert.equal(created.code, 0, created.stderr);
    const principalId = created.stdout.trim();
    assert.match(created.stdout, /^[0-9a-f-]{36}\n$/);
    const assigned = await cli('role', 'assignment', 'create', '--assignee', principalId, '--role', 'Cognitive Services OpenAI User', '--scope', `${sub}/resourceGroups/query-rg`, '--query', 'properties.principalId', '-o', 'tsv');
    assert.equal(assigned.code, 0, assigned.stderr);
    assert.equal(assigned.stdout, `${principalId}\n`);

    // Before the noun, between noun and verb, after the verb: the same answer.
    const names = ['-o', 'tsv', '--query', "[?name=='query-rg'].name"];
    for (const args of [[...names, 'group', 'list'], ['group', ...names, 'list'], ['group', 'list', ...names]]) {
      const listed = await cli(...args);
      assert.deepEqual({ code: listed.code, stdout: listed.stdout }, { code: 0, stdout: 'query-rg\n' }, args.join(' '));
    }
    const table = await cli('group', 'list', '--query', "[?name=='query-rg'].{name: name, where: location}");
    assert.equal(table.stdout, 'Name      Where\n--------  ------\nquery-rg  eastus\n');
    const piped = await cli('--data', keyless.dataDir, 'group', 'show', '-n', 'query-rg', '-o', 'jsonc');
    assert.deepEqual(JSON.parse(piped.stdout).name, 'query-rg', 'jsonc is plain JSON when stdout is not a terminal');
    const quiet = await cli('group', 'show', '-n', 'query-rg', '-o', 'none', '--only-show-errors');
    assert.deepEqual({ code: quiet.code, stdout: quiet.stdout, stderr: quiet.stderr }, { code: 0, stdout: '', stderr: '' });

    const bad = await cli('group', 'list', '--query', '[?name==');
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, "error: option '--query <jmespath>' argument '[?name==' is invalid. invalid jmespath_type value: '[?name=='\n");
    const unknown = await cli('group', 'list', '--query', 'nosuch(@)');
    assert.deepEqual({ code: unknown.code, stderr: unknown.stderr }, { code: 1, stderr: 'ERROR: Unknown function: nosuch()\n' });
    const version = await cli('--version');
    assert.deepEqual({ code: version.code, stdout: version.stdout }, { code: 0, stdout: `keyless ${JSON.parse(readFileSync('package.json', 'utf8')).version}\n` });
  });

  test('errors are one line on stderr and a non-zero exit', async () => {
    const missing = await cli('identity', 'show', '-g', 'cli-rg', '-n', 'nope');
    assert.equal(missing.code, 1);
    assert.equal(missing.stdout, '');
    assert.equal(
      missing.stderr,
      "ERROR: (ResourceNotFound) The Resource 'Microsoft.ManagedIdentity/userAssignedIdentities/nope' under resource group 'cli-rg' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix\n",
    );
    const badFlag = await cli('openai', 'keys', 'regenerate', '-g', 'cli-rg', '-n', 'cli-openai', '--key-name', 'key3');
    assert.equal(badFlag.code, 2);
    assert.equal(badFlag.stderr.trim().split('\n').length, 1);
  });

  test('a restart keeps every resource, key and assignment, and the CLI signs in again', async () => {
    const before = {
      groups: await json('group', 'list'),
      identities: await json('identity', 'list', '-g', 'cli-rg'),
      accounts: await json('openai', 'list', '-g', 'cli-rg'),
      apps: await json('webapp', 'list', '-g', 'cli-rg'),
      vms: await json('vm', 'list', '-g', 'cli-rg'),
      assignments: await json('role', 'assignment', 'list', '--all'),
    };
    await json('openai', 'update', '-g', 'cli-rg', '-n', 'cli-openai', '--disable-local-auth', 'false');
    const keys = await json('openai', 'keys', 'list', '-g', 'cli-rg', '-n', 'cli-openai');
    assert.equal(await keyless.stop(), 0);
    keyless = await startKeyless({ dataDir: keyless.dataDir });
    const after = {
      groups: await json('group', 'list'),
      identities: await json('identity', 'list', '-g', 'cli-rg'),
      accounts: await json('openai', 'list', '-g', 'cli-rg'),
      apps: await json('webapp', 'list', '-g', 'cli-rg'),
      vms: await json('vm', 'list', '-g', 'cli-rg'),
      assignments: await json('role', 'assignment', 'list', '--all'),
    };
    // The port may differ after a restart; endpoints follow it.
    const oldBase = JSON.stringify(before).match(/https:\/\/localhost:\d+/)?.[0] ?? '';
    assert.deepEqual(JSON.parse(JSON.stringify(after).replaceAll(keyless.info.baseUrl, oldBase)), {
      ...before,
      // The update in between is the account's last modification (systemData).
      accounts: before.accounts.map((a: any, i: number) => ({
        ...a,
        properties: { ...a.properties, disableLocalAuth: false },
        systemData: { ...a.systemData, lastModifiedAt: after.accounts[i].systemData.lastModifiedAt },
      })),
    });
    assert.ok(after.accounts[0].systemData.lastModifiedAt > before.accounts[0].systemData.lastModifiedAt);
    assert.deepEqual(await json('openai', 'keys', 'list', '-g', 'cli-rg', '-n', 'cli-openai'), keys);
  });

  test('deleting a group deletes what is in it, but not a user-assigned identity in another group that its hosts used', async () => {
    await json('group', 'create', '-n', 'identities-rg', '-l', 'westeurope');
    const identity = await json('identity', 'create', '-g', 'identities-rg', '-n', 'survivor');
    await json('group', 'create', '-n', 'hosts-rg');
    await json('webapp', 'create', '-g', 'hosts-rg', '-n', 'doomed-app', '--assign-identity', 'system', identity.id);
    const del = await cli('group', 'delete', '-n', 'hosts-rg');
    assert.equal(del.code, 0);
    const gone = await cli('webapp', 'show', '-g', 'hosts-rg', '-n', 'doomed-app');
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /ResourceGroupNotFound/);
    const survivor = await json('identity', 'show', '-g', 'identities-rg', '-n', 'survivor');
    assert.equal(survivor.properties.principalId, identity.properties.principalId);
    assert.equal(survivor.location, 'westeurope');
  });

  test('the CLI refuses clearly when Keyless is not running', async () => {
    const run = await runCli('/nonexistent-keyless-dir', ['group', 'list']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^Keyless is not running with data folder \/nonexistent-keyless-dir/);
  });
});
