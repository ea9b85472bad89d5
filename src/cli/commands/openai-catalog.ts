/**
 * `keyless openai list-models|list-skus|list-usage`, `keyless openai model list`
 * and `keyless openai usage list`: Cognitive Services' catalogue, as az's
 * `cognitiveservices account list-models|list-skus|list-usage`,
 * `cognitiveservices model list` and `cognitiveservices usage list` show it.
 */
import type { Command } from 'commander';
import type { Json } from '../arm.js';
import { API_VERSIONS, TYPES, listValue, pick, resourcePath, subscriptionPath } from '../arm.js';
import type { CommandContext } from '../context.js';
import { nounCommand, run } from '../context.js';
import { UsageError } from '../errors.js';
import type { Column } from '../output.js';
import { printResult } from '../output.js';
import type { GroupAndName } from '../resources.js';
import { leaf, subscriptionOf } from '../resources.js';

const PROVIDER = 'providers/Microsoft.CognitiveServices';

const MODEL_COLUMNS: readonly Column<Json>[] = [
  { header: 'Name', value: (m) => m['name'] },
  { header: 'Version', value: (m) => m['version'] },
  { header: 'Format', value: (m) => m['format'] },
  { header: 'LifecycleStatus', value: (m) => m['lifecycleStatus'] },
  { header: 'IsDefaultVersion', value: (m) => m['isDefaultVersion'] },
];
const LOCATION_MODEL_COLUMNS: readonly Column<Json>[] = [
  { header: 'Kind', value: (m) => m['kind'] },
  { header: 'SkuName', value: (m) => m['skuName'] },
  ...MODEL_COLUMNS.map((c) => ({ header: c.header, value: (m: Json) => c.value((m['model'] ?? {}) as Json) })),
];
const USAGE_COLUMNS: readonly Column<Json>[] = [
  { header: 'Name', value: (u) => pick(u, 'name', 'value') },
  { header: 'CurrentValue', value: (u) => u['currentValue'] },
  { header: 'Limit', value: (u) => u['limit'] },
  { header: 'Unit', value: (u) => u['unit'] },
  { header: 'LocalizedName', value: (u) => pick(u, 'name', 'localizedValue') },
];
const RESOURCE_SKU_COLUMNS: readonly Column<Json>[] = [
  { header: 'Kind', value: (s) => s['kind'] },
  { header: 'Name', value: (s) => s['name'] },
  { header: 'Tier', value: (s) => s['tier'] },
  { header: 'Locations', value: (s) => (Array.isArray(s['locations']) ? s['locations'].join(',') : undefined) },
];
const ACCOUNT_SKU_COLUMNS: readonly Column<Json>[] = [
  { header: 'ResourceType', value: (s) => s['resourceType'] },
  { header: 'Name', value: (s) => pick(s, 'sku', 'name') },
  { header: 'Tier', value: (s) => pick(s, 'sku', 'tier') },
];

/** The `value` of a catalogue list, printed as az prints lists. */
async function printList(ctx: CommandContext, path: string, columns: readonly Column<Json>[], keep: (item: Json) => boolean = () => true): Promise<void> {
  const items = listValue((await ctx.client().request('GET', path, API_VERSIONS.cognitive)).body).filter(keep);
  printResult(ctx, items, items, columns);
}

const accountPath = (ctx: CommandContext, o: GroupAndName): string => resourcePath(subscriptionOf(ctx), o.resourceGroup, TYPES.account, o.name);
const locationPath = (ctx: CommandContext, location: string, list: string): string =>
  `${subscriptionPath(subscriptionOf(ctx))}/${PROVIDER}/locations/${encodeURIComponent(location)}/${list}`;

export function registerCatalogCommands(openai: Command): void {
  const account = (name: string, description: string): Command =>
    leaf(openai, name, description).requiredOption('-g, --resource-group <name>', 'resource group').requiredOption('-n, --name <name>', 'account name');

  account('list-models', 'List the models an account can deploy (the catalog, and the models its upstreams serve).').action(
    run(async (ctx, o: GroupAndName) => printList(ctx, `${accountPath(ctx, o)}/models`, MODEL_COLUMNS)),
  );

  account('list-usage', "List the quota an account's deployments hold, by usage name.").action(
    run(async (ctx, o: GroupAndName) => printList(ctx, `${accountPath(ctx, o)}/usages`, USAGE_COLUMNS)),
  );

  leaf(openai, 'list-skus', "List an account's SKUs (-g and -n), or the SKUs of the subscription, by --kind and --location.")
    .option('-g, --resource-group <name>', 'resource group (with -n)')
    .option('-n, --name <name>', 'account name (with -g)')
    .option('--kind <kind>', 'only SKUs of this account kind (without -n)')
    .option('-l, --location <location>', 'only SKUs at this location (without -n)')
    .action(
      run(async (ctx, o: { resourceGroup?: string; name?: string; kind?: string; location?: string }) => {
        if (o.name !== undefined || o.resourceGroup !== undefined) {
          if (o.name === undefined || o.resourceGroup === undefined) throw new UsageError('Give both -g and -n to list an account\'s SKUs, or neither.');
          if (o.kind !== undefined || o.location !== undefined) throw new UsageError('--kind and --location list the subscription\'s SKUs; give them without -g and -n.');
          return printList(ctx, `${accountPath(ctx, { resourceGroup: o.resourceGroup, name: o.name })}/skus`, ACCOUNT_SKU_COLUMNS);
        }
        const same = (a: unknown, b: string | undefined) => b === undefined || String(a).toLowerCase() === b.toLowerCase().replace(/\s+/g, '');
        const keep = (s: Json) => same(s['kind'], o.kind) && (o.location === undefined || (Array.isArray(s['locations']) && s['locations'].some((l) => same(l, o.location))));
        return printList(ctx, `${subscriptionPath(subscriptionOf(ctx))}/${PROVIDER}/skus`, RESOURCE_SKU_COLUMNS, keep);
      }),
    );

  const model = nounCommand(openai, 'model', 'The models Keyless serves at a location.');
  leaf(model, 'list', 'List the models an account at this location can deploy.')
    .requiredOption('-l, --location <location>', 'location')
    .action(run(async (ctx, o: { location: string }) => printList(ctx, locationPath(ctx, o.location, 'models'), LOCATION_MODEL_COLUMNS)));

  const usage = nounCommand(openai, 'usage', "The subscription's quota at a location.");
  leaf(usage, 'list', 'List the quota the deployments at this location hold, by usage name.')
    .requiredOption('-l, --location <location>', 'location')
    .action(run(async (ctx, o: { location: string }) => printList(ctx, locationPath(ctx, o.location, 'usages'), USAGE_COLUMNS)));
}
