import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { runAdminScenario, startKeyless, type KeylessProcess } from '../fixtures/server.js';

/** @azure/arm-resources (providers, by-id) and @azure/arm-msi (system identities by scope, operations) against Keyless. */
let keyless: KeylessProcess;
before(async () => {
  keyless = await startKeyless();
});
after(async () => {
  await keyless.stop();
});

test('providers, resources by id, systemAssignedIdentities.getByScope and operations.list work unmodified', async () => {
  const result = await runAdminScenario<Record<string, unknown>>(keyless, 'arm-providers');
  const namespaces = ['Microsoft.CognitiveServices', 'Microsoft.ManagedIdentity', 'Microsoft.Web', 'Microsoft.Compute', 'Microsoft.Authorization', 'Microsoft.Resources'];
  assert.deepEqual(result, {
    list: namespaces.map((n) => `${n}:Registered`),
    get: {
      id: `/subscriptions/${keyless.info.subscriptionId}/providers/Microsoft.CognitiveServices`,
      policy: 'RegistrationRequired',
      newest: '2025-09-01',
      aliases: [],
    },
    unregister: 'NotRegistered',
    register: 'Registered',
    tenant: {
      id: '/providers/Microsoft.ManagedIdentity',
      state: null,
      types: ['Identities', 'userAssignedIdentities', 'userAssignedIdentities/federatedIdentityCredentials', 'operations'],
    },
    tenantList: namespaces,
    unknown: { statusCode: 404, code: 'InvalidResourceNamespace' },
    byId: {
      version: '2024-11-01',
      id: `/subscriptions/${keyless.info.subscriptionId}/resourceGroups/sdk-prov/providers/Microsoft.Web/sites/sdk-app`,
      type: 'Microsoft.Web/sites',
      identity: 'SystemAssigned',
    },
    system: { name: 'default', type: 'Microsoft.ManagedIdentity/Identities', principalMatches: true, clientId: 'string' },
    operations: [
      'Microsoft.ManagedIdentity/register/action', 'Microsoft.ManagedIdentity/unregister/action',
      'Microsoft.ManagedIdentity/userAssignedIdentities/read', 'Microsoft.ManagedIdentity/userAssignedIdentities/write',
      'Microsoft.ManagedIdentity/userAssignedIdentities/delete', 'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action',
      'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/read',
      'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write',
      'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/delete',
      'Microsoft.ManagedIdentity/identities/read',
    ],
    afterDelete: 404,
    nonLoopback: [],
  });
});
