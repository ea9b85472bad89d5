import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { runAdminScenario, startKeyless, type KeylessProcess } from '../fixtures/server.js';
import { assertSoftDelete } from './soft-delete-expected.js';

/** @azure/arm-cognitiveservices's begin…AndWait pollers against `keyless up --async-operations --async-delay 1`. */
let keyless: KeylessProcess;
before(async () => {
  keyless = await startKeyless({ args: ['--async-operations', '--async-delay', '1'] });
});
after(async () => {
  await keyless.stop();
});

test('the SDK polls Azure-AsyncOperation through InProgress to Succeeded for creates and deletes of accounts and deployments', async () => {
  const result = await runAdminScenario<Record<string, { provisioningState?: string; polls: string[]; left?: boolean }>>(keyless, 'arm-sdk-async');
  // The generated begin* polls once at once (InProgress), then after Retry-After (1 s): Succeeded.
  for (const phase of ['account', 'deployment', 'deploymentDelete', 'accountDelete']) {
    const polls = result[phase]?.polls ?? [];
    assert.equal(polls[0], '200 InProgress', `${phase}: ${polls.join(', ')}`);
    assert.equal(polls[polls.length - 1], '200 Succeeded', `${phase}: ${polls.join(', ')}`);
    assert.ok(polls.slice(0, -1).every((p) => p === '200 InProgress'), `${phase}: ${polls.join(', ')}`);
  }
  assert.equal(result['account']?.provisioningState, 'Succeeded');
  assert.equal(result['deployment']?.provisioningState, 'Succeeded');
  assert.equal(result['deploymentDelete']?.left, true);
  assert.equal(result['afterDelete'] as unknown, 404);
});

test('the soft delete scenario with long-running deletes, restores and purges: the SDK polls them to the same answers', async () => {
  assertSoftDelete(await runAdminScenario(keyless, 'arm-soft-delete'), keyless.info.subscriptionId);
});
