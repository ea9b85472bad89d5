/** `keyless openai deployment …`: model deployments under an account. */
import type { Command } from 'commander';
import type { Json } from '../arm.js';
import { API_VERSIONS, TYPES, asObject, listValue, pick, resourcePath } from '../arm.js';
import type { CommandContext } from '../context.js';
import { nounCommand, run, withNoWait } from '../context.js';
import { parsePositiveInt } from '../flags.js';
import type { Column } from '../output.js';
import { printResult } from '../output.js';
import type { GroupAndName } from '../resources.js';
import { leaf, subscriptionOf } from '../resources.js';

const COLUMNS: readonly Column<Json>[] = [
  { header: 'Name', value: (d) => d['name'] },
  { header: 'Model', value: (d) => pick(d, 'properties', 'model', 'name') },
  { header: 'Version', value: (d) => pick(d, 'properties', 'model', 'version') },
  { header: 'Sku', value: (d) => pick(d, 'sku', 'name') },
  { header: 'Capacity', value: (d) => pick(d, 'sku', 'capacity') },
  { header: 'State', value: (d) => pick(d, 'properties', 'provisioningState') },
];

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

  target(withNoWait(leaf(deployment, 'create', 'Create or update a model deployment.')), true)
    .option('--model-name <name>', 'model name', 'gpt-4o-mini')
    .option('--model-version <version>', "model version (default: the model's default version)")
    .option('--model-format <format>', 'model format', 'OpenAI')
    .option('--sku-name <name>', 'deployment SKU', 'Standard')
    .option('--capacity <n>', 'capacity units', parsePositiveInt, 1)
    .action(
      run(async (ctx, o: DeploymentFlags & { modelName: string; modelVersion?: string; modelFormat: string; skuName: string; capacity: number }) => {
        const body: Json = {
          sku: { name: o.skuName, capacity: o.capacity },
          properties: { model: { format: o.modelFormat, name: o.modelName, ...(o.modelVersion === undefined ? {} : { version: o.modelVersion }) } },
        };
        const d = asObject((await ctx.client().request('PUT', deploymentPath(ctx, o), api, body)).body);
        printResult(ctx.format, d, [d], COLUMNS);
      }),
    );

  target(leaf(deployment, 'show', 'Show a model deployment.'), true).action(
    run(async (ctx, o: DeploymentFlags) => {
      const d = asObject((await ctx.client().request('GET', deploymentPath(ctx, o), api)).body);
      printResult(ctx.format, d, [d], COLUMNS);
    }),
  );

  target(withNoWait(leaf(deployment, 'delete', 'Delete a model deployment.')), true)
    .option('-y, --yes', 'accepted for az compatibility; never prompts')
    .action(run(async (ctx, o: DeploymentFlags) => void (await ctx.client().request('DELETE', deploymentPath(ctx, o), api))));

  target(leaf(deployment, 'list', "List an account's model deployments."), false).action(
    run(async (ctx, o: GroupAndName) => {
      const list = listValue((await ctx.client().request('GET', deploymentsPath(ctx, o), api)).body);
      printResult(ctx.format, list, list, COLUMNS);
    }),
  );
}
