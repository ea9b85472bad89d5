import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startKeyless, type KeylessProcess } from '../fixtures/server.js';
import { cliJson, runCli } from '../fixtures/cli-thread.js';

/**
 * The catalogue commands, as az's `cognitiveservices account list-models|list-skus|list-usage`,
 * `cognitiveservices model list` and `cognitiveservices usage list`: JSON, tables, --query,
 * a usage that follows a deployment's capacity, and ARM's refusals on stderr.
 */
let keyless: KeylessProcess;
const json = cliJson(() => keyless.dataDir);
const cli = (...args: string[]) => runCli(keyless.dataDir, args);
const ACCOUNT = ['-g', 'cli-cat', '-n', 'cli-cat-ai'];

before(async () => {
  keyless = await startKeyless();
  await json('group', 'create', '-n', 'cli-cat', '-l', 'westus');
  await json('openai', 'create', ...ACCOUNT);
});
after(async () => {
  await keyless.stop();
});

test('openai model list -l and openai list-models list the catalog, as JSON, a table or through --query', async () => {
  const models = await json('openai', 'model', 'list', '-l', 'westus');
  assert.equal(models.length, 21);
  assert.deepEqual([models[0].kind, models[0].skuName, models[0].model.name, models[0].model.version], ['OpenAI', 'S0', 'gpt-4o', '2024-05-13']);

  const table = await cli('openai', 'model', 'list', '-l', 'westus', '-o', 'table');
  assert.equal(table.code, 0, table.stderr);
  const lines = table.stdout.split('\n');
  assert.match(lines[0] ?? '', /^Kind\s+SkuName\s+Name\s+Version\s+Format\s+LifecycleStatus\s+IsDefaultVersion$/);
  assert.ok(lines.some((l) => /^OpenAI\s+S0\s+gpt-4o-mini\s+2024-07-18\s+OpenAI\s+GenerallyAvailable\s+True$/.test(l)), table.stdout);

  const versions = await cli('openai', 'list-models', ...ACCOUNT, '--query', "[?name=='gpt-4o'].version", '-o', 'tsv');
  assert.deepEqual({ code: versions.code, stdout: versions.stdout }, { code: 0, stdout: '2024-05-13\n2024-08-06\n2024-11-20\n' });
});

test('openai list-skus: the account\'s (-g -n) or the subscription\'s by --kind and --location', async () => {
  assert.deepEqual(await json('openai', 'list-skus', ...ACCOUNT), [{ resourceType: 'Microsoft.CognitiveServices/accounts', sku: { name: 'S0', tier: 'Standard' } }]);
  assert.deepEqual(await json('openai', 'list-skus', '--kind', 'OpenAI', '-l', 'West US'), [
    { resourceType: 'accounts', name: 'S0', tier: 'Standard', kind: 'OpenAI', locations: ['WESTUS'], restrictions: [] },
  ]);
  const half = await cli('openai', 'list-skus', '-n', 'cli-cat-ai');
  assert.deepEqual({ code: half.code, stderr: half.stderr }, { code: 2, stderr: "ERROR: Give both -g and -n to list an account's SKUs, or neither.\n" });
});

test("openai list-usage and openai usage list -l follow a deployment's capacity", async () => {
  const gpt4o = ['--query', "[?name.value=='OpenAI.Standard.gpt-4o'].currentValue | [0]", '-o', 'tsv'];
  await json('openai', 'deployment', 'create', ...ACCOUNT, '--deployment-name', 'chat', '--model-name', 'gpt-4o', '--capacity', '12');
  assert.equal((await cli('openai', 'list-usage', ...ACCOUNT, ...gpt4o)).stdout, '12\n');
  await json('openai', 'deployment', 'update', ...ACCOUNT, '--deployment-name', 'chat', '--capacity', '30');
  assert.equal((await cli('openai', 'usage', 'list', '-l', 'westus', ...gpt4o)).stdout, '30\n');

  const usages = await json('openai', 'usage', 'list', '-l', 'westus');
  assert.deepEqual(usages[0], { name: { value: 'AccountCount', localizedValue: 'Cognitive Services total account limit' }, currentValue: 1, limit: 200, unit: 'Count' });
  const table = await cli('openai', 'list-usage', ...ACCOUNT, '-o', 'table');
  assert.match(table.stdout.split('\n')[0] ?? '', /^Name\s+CurrentValue\s+Limit\s+Unit\s+LocalizedName$/);
  assert.ok(table.stdout.includes('Tokens Per Minute (thousands) - GPT-4o'), table.stdout);
});

test("ARM's refusals are one line on stderr", async () => {
  const unknown = await cli('openai', 'usage', 'list', '-l', 'atlantis');
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /^ERROR: \(NoRegisteredProviderFound\) No registered resource provider found for location 'atlantis' and API version '2024-10-01' for type 'locations\/usages'\. /);
  const missing = await cli('openai', 'list-models', '-g', 'cli-cat', '-n', 'nope');
  assert.deepEqual({ code: missing.code, stderr: missing.stderr }, {
    code: 1,
    stderr: "ERROR: (ResourceNotFound) The Resource 'Microsoft.CognitiveServices/accounts/nope' under resource group 'cli-cat' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix\n",
  });
});
