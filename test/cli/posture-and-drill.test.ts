import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cliJson, runCli, startKeyless, type KeylessProcess } from '../fixtures/server.js';

/**
 * The exit codes of `keyless posture --fail-on` and `keyless drill leak
 * --remediate` as a CI job sees them, from real `keyless` processes against
 * a real `keyless up`. What they report is tested in
 * test/surfaces/posture.test.ts and test/surfaces/leak-drill.test.ts.
 */
let keyless: KeylessProcess;
const json = cliJson(() => keyless.dataDir);
const cli = (...args: string[]) => runCli(keyless.dataDir, args);

before(async () => {
  keyless = await startKeyless();
  await json('group', 'create', '-n', 'ci');
});
after(async () => keyless.stop());

test('posture gates a CI job: 0, then 3 with a medium finding, then 0 once it is fixed', async () => {
  assert.equal((await cli('posture', '--fail-on', 'medium')).code, 0);
  await json('openai', 'create', '-g', 'ci', '-n', 'ci-acct', '--disable-local-auth', 'true');
  const open = await cli('posture', '--fail-on', 'medium');
  assert.equal(open.code, 3);
  assert.equal(open.stderr, 'posture: 1 finding(s) at or above medium\n');
  assert.match(open.stdout, /^medium\s+NetworkOpenToAll\s/m);
  assert.equal((await cli('posture', '--fail-on', 'high')).code, 0);
  await json('openai', 'update', '-g', 'ci', '-n', 'ci-acct', '--public-network-access', 'Disabled');
  const fixed = await cli('posture', '--fail-on', 'medium');
  assert.equal(fixed.code, 0, fixed.stderr);
  assert.equal(fixed.stdout, '');
  assert.equal((await cli('posture', '--fail-on', 'low')).code, 2, 'low is not a threshold');
});

test('a leaked key: the drill shows it working, --remediate ends it and exits 0', async () => {
  await json('openai', 'create', '-g', 'ci', '-n', 'ci-keys');
  await json('openai', 'deployment', 'create', '-g', 'ci', '-n', 'ci-keys', '--deployment-name', 'chat', '--model-name', 'gpt-4o-mini');
  const drill = await cli('drill', 'leak', '--key', 'ci-keys/key1', '--remediate');
  assert.equal(drill.code, 0, drill.stderr);
  assert.match(drill.stdout, /^leak\s+call chat\/completions with key1 of ci-keys\s+ci-keys\/chat\s+worked \(200\)\s+until key1 of ci-keys is regenerated$/m);
  assert.match(drill.stdout, /^remediation \(applied\)\s+keyless openai keys regenerate -g ci -n ci-keys --key-name key1\s+ends key1 of ci-keys at once$/m);
  assert.match(drill.stdout, /^after remediation\s+call chat\/completions with key1 of ci-keys\s+ci-keys\/chat\s+refused \(401\)$/m);
});
