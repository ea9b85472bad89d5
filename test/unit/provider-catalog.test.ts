import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PROVIDERS, providerNamespace } from '../../src/providers/index.js';
import { DEPLOYMENT_OPERATIONS, V1_OPERATIONS } from '../../src/surfaces/openai/operations.js';
import { matchOtherRoute } from '../../src/surfaces/openai/other-operations.js';
import { storedResponseOperation } from '../../src/surfaces/openai/responses-route.js';
import { handlerFor } from '../../src/resources/index.js';

/** The provider catalog against what Keyless serves: api-versions, resource types, and the data plane's data actions. */
describe('the provider catalog', () => {
  test("every resource type's api-versions are well-formed (the ARM pipeline accepts them), distinct and newest first", () => {
    for (const p of PROVIDERS) {
      for (const t of p.resourceTypes) {
        const where = `${p.namespace}/${t.resourceType}`;
        assert.ok(t.apiVersions.length > 0, where);
        assert.ok(t.apiVersions.every((v) => /^\d{4}-\d{2}-\d{2}(-preview)?$/.test(v)), where);
        assert.equal(new Set(t.apiVersions).size, t.apiVersions.length, where);
        const dates = t.apiVersions.map((v) => v.slice(0, 10));
        assert.deepEqual(dates, [...dates].sort().reverse(), where);
      }
    }
  });

  test('every resource type the resource handlers serve is listed by its provider', () => {
    for (const type of ['Microsoft.CognitiveServices/accounts', 'Microsoft.CognitiveServices/accounts/deployments', 'Microsoft.ManagedIdentity/userAssignedIdentities',
      'Microsoft.Web/sites', 'Microsoft.Compute/virtualMachines']) {
      assert.ok(handlerFor(type), type);
      const [namespace, ...rest] = type.split('/');
      const listed = providerNamespace(namespace as string)?.resourceTypes.some((t) => t.resourceType === rest.join('/'));
      assert.ok(listed, type);
    }
  });

  test("the Cognitive Services operations list every data action the data plane checks, and nothing it does not serve", () => {
    const served = new Set<string>();
    for (const op of [...Object.values(DEPLOYMENT_OPERATIONS), ...Object.values(V1_OPERATIONS)]) served.add(op.dataAction);
    for (const [method, rest] of [['GET', ['models']], ['GET', ['deployments']]] as const) served.add(matchOtherRoute(method, rest)?.operation.dataAction as string);
    served.add('Microsoft.CognitiveServices/accounts/OpenAI/responses/write');
    for (const method of ['GET', 'DELETE']) served.add(storedResponseOperation(true, method)?.dataAction as string);
    const listed = new Set(providerNamespace('Microsoft.CognitiveServices')?.operations.filter((o) => o.isDataAction).map((o) => o.name));
    assert.deepEqual([...listed].sort(), [...served].sort());
  });
});

describe('the region table', () => {
  test('one row per region: programmatic names are the display names lowercased without spaces, and distinct', async () => {
    const { AZURE_REGION_TABLE } = await import('../../src/resources/locations.js');
    assert.equal(AZURE_REGION_TABLE.length, 57);
    for (const r of AZURE_REGION_TABLE) assert.equal(r.displayName.replace(/ /g, '').toLowerCase(), r.name);
    assert.equal(new Set(AZURE_REGION_TABLE.map((r) => r.name)).size, 57);
    assert.ok(AZURE_REGION_TABLE.some((r) => r.name === 'eastus2' && r.displayName === 'East US 2'));
  });
});
