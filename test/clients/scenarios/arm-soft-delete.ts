/**
 * Runs in its own process (NODE_EXTRA_CA_CERTS must be set at start-up):
 * @azure/arm-cognitiveservices's soft delete, unmodified, against Keyless
 * (synchronous, or with --async-operations: the same calls, the SDK polls).
 * deletedAccounts.list/get/beginPurgeAndWait, and accounts.beginCreateAndWait
 * with properties.restore. Prints one JSON object for the test to assert.
 */
import { credential, endpoint, subscription } from './admin-context.js';
import { ResourceManagementClient } from '@azure/arm-resources';
import { CognitiveServicesManagementClient } from '@azure/arm-cognitiveservices';

const resources = new ResourceManagementClient(credential, subscription, { endpoint });
const cognitive = new CognitiveServicesManagementClient(credential, subscription, { endpoint });
const GROUP = 'sd-sdk-rg';
const NAME = 'sd-sdk';

const failure = async (call: () => Promise<unknown>): Promise<{ statusCode: number | undefined; code: string | undefined } | 'no error'> => {
  try {
    await call();
    return 'no error';
  } catch (error) {
    const e = error as { statusCode?: number; code?: string };
    return { statusCode: e.statusCode, code: e.code };
  }
};

const result: Record<string, unknown> = {};
await resources.resourceGroups.createOrUpdate(GROUP, { location: 'westus' });
const created = await cognitive.accounts.beginCreateAndWait(GROUP, NAME, { kind: 'OpenAI', sku: { name: 'S0' }, location: 'westus', properties: {} });
await cognitive.deployments.beginCreateOrUpdateAndWait(GROUP, NAME, 'chat', {
  sku: { name: 'Standard', capacity: 1 },
  properties: { model: { format: 'OpenAI', name: 'gpt-4o-mini', version: '2024-07-18' } },
});
const keys = await cognitive.accounts.listKeys(GROUP, NAME);
await cognitive.accounts.beginDeleteAndWait(GROUP, NAME);

const listed = [];
// Other scenarios' deleted accounts are listed too: this one's only.
for await (const a of cognitive.deletedAccounts.list()) if (a.name === NAME) listed.push({ name: a.name, id: a.id, kind: a.kind, purgeIn: Date.parse(a.properties?.scheduledPurgeDate ?? '') - Date.parse(a.properties?.deletionDate ?? '') });
result['listed'] = listed;
const shown = await cognitive.deletedAccounts.get('westus', GROUP, NAME);
result['shown'] = { name: shown.name, endpoint: shown.properties?.endpoint === created.properties?.endpoint, deletionDate: typeof shown.properties?.deletionDate };
result['createAgain'] = await failure(() => cognitive.accounts.beginCreateAndWait(GROUP, NAME, { kind: 'OpenAI', sku: { name: 'S0' }, location: 'westus', properties: {} }));

const restored = await cognitive.accounts.beginCreateAndWait(GROUP, NAME, { location: 'westus', properties: { restore: true } });
const deployments = [];
for await (const d of cognitive.deployments.list(GROUP, NAME)) deployments.push(d.name);
const keysAfter = await cognitive.accounts.listKeys(GROUP, NAME);
result['restored'] = { id: restored.id === created.id, provisioningState: restored.properties?.provisioningState, sameKeys: keysAfter.key1 === keys.key1 && keysAfter.key2 === keys.key2, deployments };

await cognitive.accounts.beginDeleteAndWait(GROUP, NAME);
await cognitive.deletedAccounts.beginPurgeAndWait('westus', GROUP, NAME);
result['afterPurge'] = await failure(() => cognitive.deletedAccounts.get('westus', GROUP, NAME));
// Nothing left to purge: the spec's 204, which the SDK takes as done.
result['purgeAgain'] = await failure(() => cognitive.deletedAccounts.beginPurgeAndWait('westus', GROUP, NAME));
result['restoreNothing'] = await failure(() => cognitive.accounts.beginCreateAndWait(GROUP, NAME, { location: 'westus', properties: { restore: true } }));
await resources.resourceGroups.beginDeleteAndWait(GROUP);
process.stdout.write(JSON.stringify(result));
