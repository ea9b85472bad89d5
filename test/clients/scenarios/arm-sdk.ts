/**
 * Runs in its own process (NODE_EXTRA_CA_CERTS must be set at start-up):
 * Azure's management SDKs, unmodified, against Keyless. Prints one JSON
 * object describing what each call returned, for the test to assert.
 */
import { randomUUID } from 'node:crypto';
import { ClientSecretCredential } from '@azure/identity';
import { ResourceManagementClient } from '@azure/arm-resources';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { CognitiveServicesManagementClient } from '@azure/arm-cognitiveservices';
import { AuthorizationManagementClient } from '@azure/arm-authorization';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const endpoint = env('KEYLESS_URL');
const tenantId = env('AZURE_TENANT_ID');
const subscription = env('KEYLESS_SUBSCRIPTION_ID');
const credential = new ClientSecretCredential(tenantId, env('AZURE_CLIENT_ID'), env('AZURE_CLIENT_SECRET'), {
  authorityHost: endpoint,
  disableInstanceDiscovery: true,
});
const options = { endpoint };

const resources = new ResourceManagementClient(credential, subscription, options);
const msi = new ManagedServiceIdentityClient(credential, subscription, options);
const cognitive = new CognitiveServicesManagementClient(credential, subscription, options);
const authorization = new AuthorizationManagementClient(credential, subscription, options);

const result: Record<string, unknown> = {};
const group = await resources.resourceGroups.createOrUpdate('sdk-rg', { location: 'westus', tags: { team: 'keyless' } });
result['group'] = { name: group.name, location: group.location, tags: group.tags };
const identity = await msi.userAssignedIdentities.createOrUpdate('sdk-rg', 'sdk-identity', { location: 'westus' });
result['identity'] = { id: identity.id, principalId: identity.principalId, clientId: identity.clientId, tenantId: identity.tenantId };
const account = await cognitive.accounts.beginCreateAndWait('sdk-rg', 'sdk-openai', {
  kind: 'OpenAI',
  sku: { name: 'S0' },
  location: 'westus',
  properties: {},
  identity: { type: 'SystemAssigned' },
});
result['account'] = {
  endpoint: account.properties?.endpoint,
  provisioningState: account.properties?.provisioningState,
  identityType: account.identity?.type,
  principalId: account.identity?.principalId,
};
const keys = await cognitive.accounts.listKeys('sdk-rg', 'sdk-openai');
const regenerated = await cognitive.accounts.regenerateKey('sdk-rg', 'sdk-openai', 'Key2');
result['keys'] = { key1Same: keys.key1 === regenerated.key1, key2Changed: keys.key2 !== regenerated.key2, length: keys.key1?.length };
const scope = `/subscriptions/${subscription}/resourceGroups/sdk-rg`;
const role = `/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/5e0bd9bd-7b93-4f28-af87-19fc36ad61bd`;
const assignment = await authorization.roleAssignments.create(scope, randomUUID(), {
  roleDefinitionId: role,
  principalId: identity.principalId ?? '',
  principalType: 'ServicePrincipal',
});
result['assignment'] = { scope: assignment.scope, principalId: assignment.principalId, roleDefinitionId: assignment.roleDefinitionId };
const listed = [];
for await (const a of authorization.roleAssignments.listForScope(scope)) listed.push(a.principalId);
result['listed'] = listed;
// az resource list: the generic list, one resource per page (the SDK follows nextLink), filtered and expanded.
const generic = [];
for await (const r of resources.resources.listByResourceGroup('sdk-rg', { top: 1, expand: 'createdTime,provisioningState' })) {
  generic.push({ name: r.name, type: r.type, provisioningState: r.provisioningState, created: typeof r.createdTime });
}
result['generic'] = generic;
const filtered = [];
for await (const r of resources.resources.list({ filter: "resourceType eq 'Microsoft.ManagedIdentity/userAssignedIdentities' and substringof('sdk-', name)" })) filtered.push(r.name);
result['genericFiltered'] = filtered;
try {
  await msi.userAssignedIdentities.get('sdk-rg', 'missing');
} catch (error) {
  const e = error as { statusCode?: number; code?: string };
  result['missing'] = { statusCode: e.statusCode, code: e.code };
}
await cognitive.accounts.beginDeleteAndWait('sdk-rg', 'sdk-openai');
await resources.resourceGroups.beginDeleteAndWait('sdk-rg');
result['groupAfterDelete'] = (await resources.resourceGroups.checkExistence('sdk-rg')).body;
process.stdout.write(JSON.stringify(result));
