/** `keyless openai deployment …`: model deployments under an account. */
import type { Command } from 'commander';
import type { Json } from '../arm.js';
import { API_VERSIONS, TYPES, asObject, listValue, pick, resourcePath } from '../arm.js';
import type { CommandContext } from '../context.js';
import { nounCommand, run, withNoWait } from '../context.js';
import { parsePositiveInt } from '../flags.js';
import type { Column } from '../output.js';
import { printResult } from '../output.js';
import { deleteAndWait, putAndWait, type WaitFlag } from '../long-running.js';
import type { GroupAndName } from '../resources.js';
import { leaf, subscriptionOf } from '../resources.js';
import { upstreamBody, withUpstreamFlags, type UpstreamFlags } from './upstream-flags.js';

const COLUMNS: readonly Column<Json>[] = [
  { header: 'Name', value: (d) => d['name'] },
  { header: 'Model', value: (d) => pick(d, 'properties', 'model', 'name') },
  { header: 'Version', value: (d) => pick(d, 'properties', 'model', 'version') },
  { header: 'Sku', value: (d) => pick(d, 'sku', 'name') },
  { header: 'Capacity', value: (d) => pick(d, 'sku', 'capacity') },
  { header: 'Upstream', value: (d) => pick(d, 'properties', 'upstream', 'url') ?? '(simulator)' },
  { header: 'State', value: (d) => pick(d, 'properties', 'provisioningState') },
];

type CreateFlags = DeploymentFlags & UpstreamFlags & WaitFlag & { modelName: string; modelVersion?: string; modelFormat: string; skuName: string; capacity?: number };
type UpdateFlags = DeploymentFlags & UpstreamFlags & { modelName?: string; modelVersion?: string; skuName?: string; capacity?: number };

type DeploymentFlags = GroupAndName & { deploymentName: string };

const deploymentsPath = (ctx: CommandContext, o: GroupAndName): string =>
  `${resourcePath(subscriptionOf(ctx), o.resourceGroup, TYPES.account, o.name)}/deployments`;

const deploymentPath = (ctx: CommandContext, o: DeploymentFlags): string =>
  `${deploymentsPath(ctx, o)}/${encodeURIComponent(o.deploymentName)}`;

/** -g, -n (the account) and, unless listing, --deployment-name. */
function target(cmd: Command, withDeployment: boolean): Command {
  cmd.requiredOption('-g, --resource-group <name>', 'resource group').requiredOption('-n, --name <name>', 'account name');
  return withDeployment ? cmd.requiredOption('--deployment-name <name>', 'deployment name') : cmd;
}

export function registerDeploymentCommands(openai: Command): void {
  const deployment = nounCommand(openai, 'deployment', 'Model deployments of an account.');
  const api = API_VERSIONS.cognitive;

  withUpstreamFlags(target(withNoWait(leaf(deployment, 'create', 'Create or update a model deployment.')), true), false)
    .option('--model-name <name>', 'model name', 'gpt-4o-mini')
    .option('--model-version <version>', "model version (default: the model's default version)")
    .option('--model-format <format>', 'model format', 'OpenAI')
    .option('--sku-name <name>', 'deployment SKU', 'Standard')
    .option('--capacity <n>', 'capacity units of 1,000 tokens and 6 requests per minute (default: 1000, Keyless\'s generous default)', parsePositiveInt)
    .action(
      run(async (ctx, o: CreateFlags) => {
        const properties: Json = { model: { format: o.modelFormat, name: o.modelName, ...(o.modelVersion === undefined ? {} : { version: o.modelVersion }) } };
        const upstream = upstreamBody(o, undefined);
        if (upstream !== undefined) properties['upstream'] = upstream;
        const body: Json = { sku: { name: o.skuName, ...(o.capacity === undefined ? {} : { capacity: o.capacity }) }, properties };
        const d = await putAndWait(ctx.client(), deploymentPath(ctx, o), api, body, o);
        if (d) printResult(ctx, d, [d], COLUMNS);
      }),
    );

  // As az's generic update: read, change what the flags name, write back.
  withUpstreamFlags(target(leaf(deployment, 'update', 'Change a model deployment: its model, capacity or upstream.'), true), true)
    .option('--model-name <name>', 'model name')
    .option('--model-version <version>', 'model version')
    .option('--sku-name <name>', 'deployment SKU')
    .option('--capacity <n>', 'capacity units', parsePositiveInt)
    .action(
      run(async (ctx, o: UpdateFlags) => {
        const current = asObject((await ctx.client().request('GET', deploymentPath(ctx, o), api)).body);
        const properties = asObject(current['properties'] ?? {});
        const model = { ...asObject(properties['model'] ?? {}) };
        if (o.modelName !== undefined) model['name'] = o.modelName;
        if (o.modelVersion !== undefined) model['version'] = o.modelVersion;
        const next: Json = { model };
        if (properties['simulatedLatencyMs'] !== undefined) next['simulatedLatencyMs'] = properties['simulatedLatencyMs'];
        const shown = properties['upstream'];
        const upstream = upstreamBody(o, typeof shown === 'object' && shown !== null ? (shown as Json) : undefined);
        if (upstream !== undefined) next['upstream'] = upstream;
        const sku = { ...asObject(current['sku'] ?? {}) };
        if (o.skuName !== undefined) sku['name'] = o.skuName;
        if (o.capacity !== undefined) sku['capacity'] = o.capacity;
        const d = asObject((await ctx.client().request('PUT', deploymentPath(ctx, o), api, { sku, properties: next })).body);
        printResult(ctx, d, [d], COLUMNS);
      }),
    );

  target(leaf(deployment, 'show', 'Show a model deployment.'), true).action(
    run(async (ctx, o: DeploymentFlags) => {
      const d = asObject((await ctx.client().request('GET', deploymentPath(ctx, o), api)).body);
      printResult(ctx, d, [d], COLUMNS);
    }),
  );

  target(withNoWait(leaf(deployment, 'delete', 'Delete a model deployment.')), true)
    .option('-y, --yes', 'accepted for az compatibility; never prompts')
    .action(run(async (ctx, o: DeploymentFlags & WaitFlag) => deleteAndWait(ctx.client(), deploymentPath(ctx, o), api, o)));

  target(leaf(deployment, 'list', "List an account's model deployments."), false).action(
    run(async (ctx, o: GroupAndName) => {
      const list = listValue((await ctx.client().request('GET', deploymentsPath(ctx, o), api)).body);
      printResult(ctx, list, list, COLUMNS);
    }),
  );
}
