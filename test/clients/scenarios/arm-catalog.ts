/**
 * Runs in its own process (NODE_EXTRA_CA_CERTS must be set at start-up):
 * @azure/arm-cognitiveservices's catalogue operations, unmodified, against
 * Keyless (models, SKUs, usages at a location and an account). Prints one
 * JSON object describing what each call returned, for the test to assert.
 */
import { credential, endpoint, subscription } from './admin-context.js';
import { ResourceManagementClient } from '@azure/arm-resources';
import { CognitiveServicesManagementClient, type Usage } from '@azure/arm-cognitiveservices';

const resources = new ResourceManagementClient(credential, subscription, { endpoint });
const cognitive = new CognitiveServicesManagementClient(credential, subscription, { endpoint });

const all = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};
const gpt4o = (usages: Usage[]) => usages.find((u) => u.name?.value === 'OpenAI.Standard.gpt-4o');
const deploy = (capacity: number) =>
  cognitive.deployments.beginCreateOrUpdateAndWait('sdk-catalog', 'sdk-catalog-ai', 'chat', {
    sku: { name: 'Standard', capacity },
    properties: { model: { format: 'OpenAI', name: 'gpt-4o', version: '2024-11-20' } },
  });

const result: Record<string, unknown> = {};
await resources.resourceGroups.createOrUpdate('sdk-catalog', { location: 'swedencentral' });
await cognitive.accounts.beginCreateAndWait('sdk-catalog', 'sdk-catalog-ai', { kind: 'OpenAI', sku: { name: 'S0' }, location: 'swedencentral', properties: {} });
await deploy(20);

const models = await all(cognitive.models.list('swedencentral'));
const mini = models.find((m) => m.model?.name === 'gpt-4o-mini');
result['models'] = {
  count: models.length,
  mini: { kind: mini?.kind, skuName: mini?.skuName, version: mini?.model?.version, lifecycleStatus: mini?.model?.lifecycleStatus, sku: mini?.model?.skus?.[0] },
};
const accountModels = await all(cognitive.accounts.listModels('sdk-catalog', 'sdk-catalog-ai'));
result['accountModels'] = { count: accountModels.length, first: { name: accountModels[0]?.name, version: accountModels[0]?.version, capabilities: accountModels[0]?.capabilities } };
const skus = await all(cognitive.resourceSkus.list());
result['resourceSkus'] = { count: skus.length, first: skus[0] };
result['accountSkus'] = (await cognitive.accounts.listSkus('sdk-catalog', 'sdk-catalog-ai')).value;

const before = await all(cognitive.usages.list('swedencentral'));
result['usages'] = { count: before.length, first: before[0], gpt4o: gpt4o(before) };
await deploy(35);
result['usagesAfterUpdate'] = gpt4o(await all(cognitive.usages.list('swedencentral')))?.currentValue;
const own = await cognitive.accounts.listUsages('sdk-catalog', 'sdk-catalog-ai', { filter: "name.value eq 'OpenAI.Standard.gpt-4o'" });
result['accountUsages'] = own.value;
try {
  await all(cognitive.usages.list('atlantis'));
  result['unknownLocation'] = 'listed';
} catch (error) {
  const e = error as { statusCode?: number; code?: string };
  result['unknownLocation'] = { statusCode: e.statusCode, code: e.code };
}
await resources.resourceGroups.beginDeleteAndWait('sdk-catalog');
process.stdout.write(JSON.stringify(result));
