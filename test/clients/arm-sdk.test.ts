import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readAdminCredential, ROOT, runScenario, startKeyless, type KeylessProcess } from '../fixtures/server.js';

let keyless: KeylessProcess;
before(async () => {
  keyless = await startKeyless();
});
after(async () => {
  await keyless.stop();
});

test('Azure management SDKs (resources, msi, cognitiveservices, authorization) work unmodified against Keyless', async () => {
  const admin = readAdminCredential(keyless.dataDir);
  const run = await runScenario(path.join(ROOT, 'dist/test/clients/scenarios/arm-sdk.js'), {
    NODE_EXTRA_CA_CERTS: keyless.info.caPath,
    KEYLESS_URL: keyless.info.baseUrl,
    KEYLESS_SUBSCRIPTION_ID: keyless.info.subscriptionId,
    AZURE_TENANT_ID: admin.tenantId,
    AZURE_CLIENT_ID: admin.clientId,
    AZURE_CLIENT_SECRET: admin.clientSecret,
  });
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as Record<string, any>;
  assert.deepEqual(result['group'], { name: 'sdk-rg', location: 'westus', tags: { team: 'keyless' } });
  assert.match(result['identity'].principalId, /^[0-9a-f-]{36}$/);
  assert.match(result['identity'].clientId, /^[0-9a-f-]{36}$/);
  assert.equal(result['identity'].tenantId, keyless.info.tenantId);
  assert.equal(result['account'].endpoint, `${keyless.info.baseUrl}/accounts/sdk-openai/`);
  assert.equal(result['account'].provisioningState, 'Succeeded');
  assert.equal(result['account'].identityType, 'SystemAssigned');
  assert.deepEqual(result['keys'], { key1Same: true, key2Changed: true, length: 64 });
  assert.equal(result['assignment'].principalId, result['identity'].principalId);
  assert.ok((result['listed'] as string[]).includes(result['identity'].principalId));
  assert.deepEqual(result['generic'], [
    { name: 'sdk-openai', type: 'Microsoft.CognitiveServices/accounts', provisioningState: 'Succeeded', created: 'object' },
    { name: 'sdk-identity', type: 'Microsoft.ManagedIdentity/userAssignedIdentities', provisioningState: 'Succeeded', created: 'object' },
  ]);
  assert.deepEqual(result['genericFiltered'], ['sdk-identity']);
  assert.deepEqual(result['missing'], { statusCode: 404, code: 'ResourceNotFound' });
  assert.equal(result['groupAfterDelete'], false);
});
