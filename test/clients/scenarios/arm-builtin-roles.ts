/**
 * Runs in its own process (NODE_EXTRA_CA_CERTS set at start-up):
 * @azure/arm-authorization's roleDefinitions, unmodified, reading Keyless's
 * built-in roles as az and the SDKs do. Prints one JSON object of what each call returned.
 */
import { credential, endpoint, subscription } from './admin-context.js';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { shape } from './role-definition-shape.js';

const scope = `/subscriptions/${subscription}`;
const client = new AuthorizationManagementClient(credential, subscription, { endpoint });

const result: Record<string, unknown> = {};
const website: unknown[] = [];
for await (const d of client.roleDefinitions.list(scope, { filter: "roleName eq 'Website Contributor'" })) website.push(shape(d));
result['website'] = website;
const builtIns: string[] = [];
for await (const d of client.roleDefinitions.list(scope, { filter: "type eq 'BuiltInRole'" })) builtIns.push(d.roleName ?? '');
result['builtIns'] = builtIns;
result['operator'] = shape(await client.roleDefinitions.get(scope, 'f1a07417-d97a-45cb-824c-7a7467783830'));
process.stdout.write(JSON.stringify(result));
