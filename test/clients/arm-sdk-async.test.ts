import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readAdminCredential, ROOT, runScenario, startKeyless, type KeylessProcess } from '../fixtures/server.js';

/** @azure/arm-cognitiveservices's begin…AndWait pollers against `keyless up --async-operations --async-delay 1`. */
let keyless: KeylessProcess;
before(async () => {
  keyless = await startKeyless({ args: ['--async-operations', '--async-delay', '1'] });
});
after(async () => {
  await keyless.stop();
});

test('the SDK polls Azure-AsyncOperation through InProgress to Succeeded for creates and deletes of accounts and deployments', async () => {
  const admin = readAdminCredential(keyless.dataDir);
  const run = await runScenario(path.join(ROOT, 'dist/test/clients/scenarios/arm-sdk-async.js'), {
    NODE_EXTRA_CA_CERTS: keyless.info.caPath,
    KEYLESS_URL: keyless.info.baseUrl,
    KEYLESS_SUBSCRIPTION_ID: keyless.info.subscriptionId,
    AZURE_TENANT_ID: admin.tenantId,
    AZURE_CLIENT_ID: admin.clientId,
    AZURE_CLIENT_SECRET: admin.clientSecret,
  });
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as Record<string, { provisioningState?: string; polls: string[]; left?: boolean }>;
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
