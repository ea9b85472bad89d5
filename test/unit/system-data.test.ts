import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceEntity } from '../../src/resources/index.js';
import { systemData } from '../../src/surfaces/arm/resource-envelope.js';

/** systemData from stored rows: rows written before 0013_system_data have no authors, and show their times only. */
const row = {
  key: 'k', id: '/subscriptions/s/resourceGroups/g/providers/Microsoft.CognitiveServices/accounts/a', group_key: 'g', parent_key: null,
  type: 'Microsoft.CognitiveServices/accounts', name: 'a', location: 'eastus', kind: 'OpenAI', sku: '{"name":"S0"}', tags: '{}',
  properties: '{}', identity: null, created_at: '2026-01-02T03:04:05.000Z',
};

test('a row from before 0012 reads without authors: createdAt, and lastModifiedAt = createdAt', () => {
  const old = resourceEntity.codec.from({
    ...row, created_by: null, created_by_type: null, last_modified_by: null, last_modified_by_type: null, last_modified_at: null,
  });
  assert.equal('createdBy' in old, false);
  assert.deepEqual(systemData(old), { createdAt: '2026-01-02T03:04:05.000Z', lastModifiedAt: '2026-01-02T03:04:05.000Z' });
});

test('a row with its authors round-trips and renders in Azure\'s order', () => {
  const written = {
    ...row, created_by: 'app-id', created_by_type: 'Application', last_modified_by: 'mi-client-id', last_modified_by_type: 'ManagedIdentity',
    last_modified_at: '2026-01-03T00:00:00.000Z',
  };
  const resource = resourceEntity.codec.from(written);
  assert.deepEqual(resourceEntity.codec.to(resource), written);
  const data = systemData(resource);
  assert.deepEqual(Object.keys(data), ['createdBy', 'createdByType', 'createdAt', 'lastModifiedBy', 'lastModifiedByType', 'lastModifiedAt']);
  assert.deepEqual(data, {
    createdBy: 'app-id', createdByType: 'Application', createdAt: '2026-01-02T03:04:05.000Z',
    lastModifiedBy: 'mi-client-id', lastModifiedByType: 'ManagedIdentity', lastModifiedAt: '2026-01-03T00:00:00.000Z',
  });
});
