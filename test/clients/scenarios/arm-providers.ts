/**
 * Runs in its own process (NODE_EXTRA_CA_CERTS must be set at start-up):
 * @azure/arm-resources' providers and by-id calls, @azure/arm-msi's
 * systemAssignedIdentities and operations, unmodified, against Keyless.
 * Prints one JSON object describing what each call returned.
 */
import { credential, endpoint, subscription, nonLoopback } from './admin-context.js';
import { ResourceManagementClient } from '@azure/arm-resources';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';

const resources = new ResourceManagementClient(credential, subscription, { endpoint });
const msi = new ManagedServiceIdentityClient(credential, subscription, { endpoint });
const result: Record<string, unknown> = {};

const listed = [];
for await (const p of resources.providers.list()) listed.push(`${p.namespace}:${p.registrationState}`);
result['list'] = listed;
const cognitive = await resources.providers.get('Microsoft.CognitiveServices', { expand: 'resourceTypes/aliases' });
const accounts = cognitive.resourceTypes?.find((t) => t.resourceType === 'accounts');
result['get'] = { id: cognitive.id, policy: cognitive.registrationPolicy, newest: accounts?.apiVersions?.[0], aliases: accounts?.aliases };
result['unregister'] = (await resources.providers.unregister('Microsoft.Compute')).registrationState;
result['register'] = (await resources.providers.register('Microsoft.Compute')).registrationState;
const tenant = await resources.providers.getAtTenantScope('Microsoft.ManagedIdentity');
result['tenant'] = { id: tenant.id, state: tenant.registrationState ?? null, types: tenant.resourceTypes?.map((t) => t.resourceType) };
const tenantList = [];
for await (const p of resources.providers.listAtTenantScope()) tenantList.push(p.namespace);
result['tenantList'] = tenantList;
try {
  await resources.providers.get('Microsoft.Storage');
} catch (error) {
  const e = error as { statusCode?: number; code?: string };
  result['unknown'] = { statusCode: e.statusCode, code: e.code };
}

// A web app with a system-assigned identity, read back by id and by scope, then deleted by id, as az resource show/delete --ids do.
await resources.resourceGroups.createOrUpdate('sdk-prov', { location: 'westus' });
const web = await resources.providers.get('Microsoft.Web');
const version = web.resourceTypes?.find((t) => t.resourceType === 'sites')?.apiVersions?.find((v) => !v.includes('preview')) ?? '';
const id = `/subscriptions/${subscription}/resourceGroups/sdk-prov/providers/Microsoft.Web/sites/sdk-app`;
await resources.resources.beginCreateOrUpdateByIdAndWait(id, version, { location: 'westus', identity: { type: 'SystemAssigned' } });
const byId = await resources.resources.getById(id, version);
result['byId'] = { version, id: byId.id, type: byId.type, identity: byId.identity?.type };
const system = await msi.systemAssignedIdentities.getByScope(id);
result['system'] = { name: system.name, type: system.type, principalMatches: system.principalId === byId.identity?.principalId, clientId: typeof system.clientId };
const operations = [];
for await (const o of msi.operations.list()) operations.push(o.name);
result['operations'] = operations;
await resources.resources.beginDeleteByIdAndWait(id, version);
try {
  await resources.resources.getById(id, version);
} catch (error) {
  result['afterDelete'] = (error as { statusCode?: number }).statusCode;
}
await resources.resourceGroups.beginDeleteAndWait('sdk-prov');
result['nonLoopback'] = nonLoopback;
process.stdout.write(JSON.stringify(result));
