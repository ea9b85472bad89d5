/**
 * Runs in its own process (NODE_EXTRA_CA_CERTS set at start-up):
 * @azure/arm-authorization's roleDefinitions, unmodified, against Keyless's
 * custom roles. Prints one JSON object of what each call returned.
 */
import { randomUUID } from 'node:crypto';
import { ClientSecretCredential } from '@azure/identity';
import { AuthorizationManagementClient } from '@azure/arm-authorization';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const endpoint = env('KEYLESS_URL');
const scope = `/subscriptions/${env('KEYLESS_SUBSCRIPTION_ID')}`;
const credential = new ClientSecretCredential(env('AZURE_TENANT_ID'), env('AZURE_CLIENT_ID'), env('AZURE_CLIENT_SECRET'), {
  authorityHost: endpoint,
  disableInstanceDiscovery: true,
});
const client = new AuthorizationManagementClient(credential, env('KEYLESS_SUBSCRIPTION_ID'), { endpoint });
const failure = (e: unknown) => ({ statusCode: (e as { statusCode?: number }).statusCode, code: (e as { code?: string }).code });
const shape = (d: { id?: string; name?: string; roleName?: string; roleType?: string; permissions?: unknown; assignableScopes?: string[]; description?: string }) => ({
  id: d.id, name: d.name, roleName: d.roleName, roleType: d.roleType, permissions: d.permissions, assignableScopes: d.assignableScopes, description: d.description,
});

const id = randomUUID();
const permissions = [{ actions: [], notActions: [], dataActions: ['Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action'], notDataActions: [] }];
const result: Record<string, unknown> = { id };
result['created'] = shape(await client.roleDefinitions.createOrUpdate(scope, id, { roleName: 'SDK Chat', description: 'from the SDK', roleType: 'CustomRole', permissions, assignableScopes: [scope] }));
result['got'] = shape(await client.roleDefinitions.get(scope, id));
const listed: string[] = [];
for await (const d of client.roleDefinitions.list(scope, { filter: "type eq 'CustomRole'" })) listed.push(d.roleName ?? '');
result['listed'] = listed;
result['updated'] = shape(await client.roleDefinitions.createOrUpdate(scope, id, { roleName: 'SDK Chat', description: 'updated', roleType: 'CustomRole', permissions, assignableScopes: [scope] }));
try {
  await client.roleDefinitions.createOrUpdate(scope, randomUUID(), { roleName: 'Bad', permissions: [{ actions: ['Nope.Provider/things/read'] }], assignableScopes: [scope] });
  result['invalid'] = 'accepted';
} catch (e) {
  result['invalid'] = failure(e);
}
result['deleted'] = shape(await client.roleDefinitions.delete(scope, id));
try {
  await client.roleDefinitions.get(scope, id);
  result['afterDelete'] = 'found';
} catch (e) {
  result['afterDelete'] = failure(e);
}
process.stdout.write(JSON.stringify(result));
