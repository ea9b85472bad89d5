import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { runAdminScenario, startKeyless, type KeylessProcess } from '../fixtures/server.js';
import { assertSoftDelete } from './soft-delete-expected.js';

let keyless: KeylessProcess;
before(async () => {
  keyless = await startKeyless();
});
after(async () => {
  await keyless.stop();
});

test('Azure management SDKs (resources, msi, cognitiveservices, authorization) work unmodified against Keyless', async () => {
  const result = await runAdminScenario<Record<string, any>>(keyless, 'arm-sdk');
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

test("@azure/arm-cognitiveservices's catalogue (models, resourceSkus, usages; accounts.listModels|listSkus|listUsages) works unmodified", async () => {
  const catalogue = await runAdminScenario(keyless, 'arm-catalog');
  const capacity = { minimum: 1, maximum: 150000, step: 1, default: 1000 };
  const gpt4o = (currentValue: number) => ({
    name: { value: 'OpenAI.Standard.gpt-4o', localizedValue: 'Tokens Per Minute (thousands) - GPT-4o' },
    currentValue,
    limit: 150000,
    unit: 'Count',
  });
  assert.deepEqual(catalogue, {
    models: {
      count: 21,
      mini: {
        kind: 'OpenAI',
        skuName: 'S0',
        version: '2024-07-18',
        lifecycleStatus: 'GenerallyAvailable',
        // The SDK parses deprecationDate into a Date, which prints as ISO with milliseconds.
        sku: { name: 'Standard', usageName: 'OpenAI.Standard.gpt-4o-mini', capacity, deprecationDate: '2026-03-31T00:00:00.000Z' },
      },
    },
    accountModels: { count: 21, first: { name: 'gpt-4o', version: '2024-05-13', capabilities: { chatCompletion: 'true', responses: 'true' } } },
    resourceSkus: {
      count: 114,
      first: { resourceType: 'accounts', name: 'S0', tier: 'Standard', kind: 'OpenAI', locations: ['AUSTRALIACENTRAL'], restrictions: [] },
    },
    accountSkus: [{ resourceType: 'Microsoft.CognitiveServices/accounts', sku: { name: 'S0', tier: 'Standard' } }],
    usages: {
      count: 37,
      first: { name: { value: 'AccountCount', localizedValue: 'Cognitive Services total account limit' }, currentValue: 1, limit: 200, unit: 'Count' },
      gpt4o: gpt4o(20),
    },
    usagesAfterUpdate: 35,
    accountUsages: [gpt4o(35)],
    unknownLocation: { statusCode: 400, code: 'NoRegisteredProviderFound' },
  });
});

test("@azure/arm-cognitiveservices's soft delete (deletedAccounts.list|get|beginPurgeAndWait, a create with restore) works unmodified", async () => {
  assertSoftDelete(await runAdminScenario(keyless, 'arm-soft-delete'), keyless.info.subscriptionId);
});
