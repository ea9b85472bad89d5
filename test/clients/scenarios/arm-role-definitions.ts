/**
 * Runs in its own process (NODE_EXTRA_CA_CERTS set at start-up):
 * @azure/arm-authorization's roleDefinitions, unmodified, against Keyless's
 * custom roles. Prints one JSON object of what each call returned.
 */
import { randomUUID } from 'node:crypto';
import { credential, endpoint, subscription } from './admin-context.js';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { shape } from './role-definition-shape.js';

const scope = `/subscriptions/${subscription}`;
const client = new AuthorizationManagementClient(credential, subscription, { endpoint });
const failure = (e: unknown) => ({ statusCode: (e as { statusCode?: number }).statusCode, code: (e as { code?: string }).code });

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
