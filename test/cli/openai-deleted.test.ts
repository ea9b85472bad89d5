import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startKeyless, type KeylessProcess } from '../fixtures/server.js';
import { cliJson, runCli } from '../fixtures/cli-thread.js';

/**
 * `keyless openai list-deleted|show-deleted|purge|recover`, as az's
 * `cognitiveservices account list-deleted|show-deleted|purge|recover`: JSON and
 * tables, Azure's refusal of a create over a soft-deleted name on stderr, and
 * the 48 hours of retention on a controllable clock.
 */
let keyless: KeylessProcess;
const json = cliJson(() => keyless.dataDir);
const cli = (...args: string[]) => runCli(keyless.dataDir, args);
const AT = ['-g', 'cli-sd', '-l', 'westus'];

before(async () => {
  keyless = await startKeyless({ args: ['--clock', 'controllable'] });
  await json('group', 'create', '-n', 'cli-sd', '-l', 'westus');
});
after(async () => {
  await keyless.stop();
});

test('delete, list-deleted, show-deleted, recover: the account comes back with its keys and deployments', async () => {
  const created = await json('openai', 'create', '-g', 'cli-sd', '-n', 'sd-cli');
  await json('openai', 'deployment', 'create', '-g', 'cli-sd', '-n', 'sd-cli', '--deployment-name', 'chat', '--model-name', 'gpt-4o-mini');
  const keys = await json('openai', 'keys', 'list', '-g', 'cli-sd', '-n', 'sd-cli');
  assert.equal((await cli('openai', 'delete', '-g', 'cli-sd', '-n', 'sd-cli')).code, 0);

  const listed = await json('openai', 'list-deleted');
  assert.deepEqual(listed.map((a: { name: string }) => a.name), ['sd-cli']);
  const shown = await json('openai', 'show-deleted', '-n', 'sd-cli', ...AT);
  assert.equal(shown.id, `/subscriptions/${keyless.info.subscriptionId}/providers/Microsoft.CognitiveServices/locations/westus/resourceGroups/cli-sd/deletedAccounts/sd-cli`);
  assert.equal(Date.parse(shown.properties.scheduledPurgeDate) - Date.parse(shown.properties.deletionDate), 48 * 3600_000);
  const table = await cli('openai', 'list-deleted', '-o', 'table');
  assert.match(table.stdout.split('\n')[0] ?? '', /^Name\s+ResourceGroup\s+Location\s+DeletionDate\s+ScheduledPurgeDate$/);
  assert.match(table.stdout, /sd-cli\s+cli-sd\s+westus\s+\d{4}-/);

  const again = await cli('openai', 'create', '-g', 'cli-sd', '-n', 'sd-cli');
  assert.equal(again.code, 1);
  assert.equal(
    again.stderr,
    `ERROR: (FlagMustBeSetForRestore) An existing resource with ID '${created.id}' has been soft-deleted. To restore the resource, you must specify 'restore' to be 'true' in the property. If you don't want to restore existing resource, please purge it first.\n`,
  );

  const recovered = await json('openai', 'recover', '-n', 'sd-cli', ...AT);
  assert.equal(recovered.id, created.id);
  assert.equal(recovered.properties.endpoint, created.properties.endpoint);
  assert.deepEqual(await json('openai', 'keys', 'list', '-g', 'cli-sd', '-n', 'sd-cli'), keys);
  assert.deepEqual((await json('openai', 'deployment', 'list', '-g', 'cli-sd', '-n', 'sd-cli')).map((d: { name: string }) => d.name), ['chat']);
  assert.deepEqual(await json('openai', 'list-deleted'), []);
});

test('purge: prints nothing, frees the name; show-deleted then fails as ARM answers', async () => {
  await json('openai', 'create', '-g', 'cli-sd', '-n', 'sd-purge');
  await cli('openai', 'delete', '-g', 'cli-sd', '-n', 'sd-purge');
  const purged = await cli('openai', 'purge', '-n', 'sd-purge', ...AT);
  assert.deepEqual({ code: purged.code, stdout: purged.stdout, stderr: purged.stderr }, { code: 0, stdout: '', stderr: '' });
  const gone = await cli('openai', 'show-deleted', '-n', 'sd-purge', ...AT);
  assert.equal(gone.code, 1);
  assert.equal(gone.stderr, "ERROR: (ResourceNotFound) The deleted account 'sd-purge' under resource group 'cli-sd' at location 'westus' was not found. It may never have existed, been restored, or been purged.\n");
  assert.equal((await cli('openai', 'create', '-g', 'cli-sd', '-n', 'sd-purge')).code, 0);
  // -l is required, as in az.
  const noLocation = await cli('openai', 'purge', '-n', 'sd-purge', '-g', 'cli-sd');
  assert.equal(noLocation.code, 2);
});

test('after 48 hours the deleted account is gone and its name free', async () => {
  await json('openai', 'create', '-g', 'cli-sd', '-n', 'sd-retained');
  await cli('openai', 'delete', '-g', 'cli-sd', '-n', 'sd-retained');
  await json('clock', 'advance', '47h');
  assert.deepEqual((await json('openai', 'list-deleted')).map((a: { name: string }) => a.name), ['sd-retained']);
  await json('clock', 'advance', '1h');
  assert.deepEqual(await json('openai', 'list-deleted'), []);
  assert.equal((await cli('openai', 'recover', '-n', 'sd-retained', ...AT)).code, 1);
  assert.equal((await cli('openai', 'create', '-g', 'cli-sd', '-n', 'sd-retained')).code, 0);
});
