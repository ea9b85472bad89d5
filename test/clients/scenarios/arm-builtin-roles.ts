/**
 * Runs in its own process (NODE_EXTRA_CA_CERTS set at start-up):
 * @azure/arm-authorization's roleDefinitions, unmodified, reading Keyless's
 * built-in roles as az and the SDKs do. Prints one JSON object of what each call returned.
 */
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
const shape = (d: { id?: string; name?: string; roleName?: string; roleType?: string; permissions?: unknown; assignableScopes?: string[]; description?: string }) => ({
  id: d.id, name: d.name, roleName: d.roleName, roleType: d.roleType, permissions: d.permissions, assignableScopes: d.assignableScopes, description: d.description,
});

const result: Record<string, unknown> = {};
const website: unknown[] = [];
for await (const d of client.roleDefinitions.list(scope, { filter: "roleName eq 'Website Contributor'" })) website.push(shape(d));
result['website'] = website;
const builtIns: string[] = [];
for await (const d of client.roleDefinitions.list(scope, { filter: "type eq 'BuiltInRole'" })) builtIns.push(d.roleName ?? '');
result['builtIns'] = builtIns;
result['operator'] = shape(await client.roleDefinitions.get(scope, 'f1a07417-d97a-45cb-824c-7a7467783830'));
process.stdout.write(JSON.stringify(result));
