import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployableModels, quotaUsages, type Resource } from '../../src/resources/index.js';

/** The catalogue's arithmetic: which usage name a deployment counts under, with what capacity; which models an account can deploy. */
const deployment = (name: string, model: Record<string, unknown>, sku: Record<string, unknown> | null): Resource => ({
  id: `/subscriptions/s/resourceGroups/g/providers/Microsoft.CognitiveServices/accounts/a/deployments/${name}`,
  key: name,
  groupKey: 'g',
  parentKey: 'a',
  type: 'Microsoft.CognitiveServices/accounts/deployments',
  name,
  location: 'eastus',
  kind: null,
  sku,
  tags: {},
  properties: { model },
  identity: null,
  createdAt: '2026-01-01T00:00:00.000Z',
});

test('a deployment counts its capacity under OpenAI.{sku}.{catalog name}, in any case; a row without a valid capacity counts the default', () => {
  const usages = quotaUsages([
    deployment('a', { format: 'OpenAI', name: 'GPT-4O', version: '2024-11-20' }, { name: 'standard', capacity: 7 }),
    deployment('b', { format: 'OpenAI', name: 'gpt-4o', version: '2024-08-06' }, null),
    deployment('c', { format: 'OpenAI', name: 'gpt-4o', version: '2024-08-06' }, { name: 'Standard', capacity: 'lots' }),
  ]);
  assert.deepEqual(usages[0], { name: 'OpenAI.Standard.gpt-4o', model: 'gpt-4o', sku: 'Standard', current: 2007, limit: 150000 });
  assert.equal(usages.length, 36);
});

test('usage names only deployments use come after the catalog, sorted', () => {
  const usages = quotaUsages([
    deployment('z', { format: 'Meta', name: 'llama', version: '1' }, { name: 'Standard', capacity: 2 }),
    deployment('y', { format: 'OpenAI', name: 'gpt-4.1', version: '2025-04-14' }, { name: 'DataZoneStandard', capacity: 3 }),
  ]);
  assert.deepEqual(usages.slice(36).map((u) => [u.name, u.current]), [['OpenAI.DataZoneStandard.gpt-4.1', 3], ['OpenAI.Standard.llama', 2]]);
});

test("an account can deploy the catalog and, once each, the models only its upstreams serve", () => {
  const models = deployableModels([
    deployment('a', { format: 'Meta', name: 'llama', version: '2' }, null),
    deployment('b', { format: 'Meta', name: 'Llama', version: '2' }, null),
    deployment('c', { format: 'OpenAI', name: 'gpt-4o-mini', version: '2024-07-18' }, null),
    deployment('d', { format: 'Mistral', name: 'mistral', version: '1' }, null),
  ]);
  assert.equal(models.length, 23);
  assert.deepEqual(models.slice(21), [
    { source: 'upstream', model: { format: 'Meta', name: 'llama', version: '2' } },
    { source: 'upstream', model: { format: 'Mistral', name: 'mistral', version: '1' } },
  ]);
});
