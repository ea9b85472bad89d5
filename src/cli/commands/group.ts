/** `keyless group create|show|delete|list`: resource groups. */
import type { Command } from 'commander';
import type { Json } from '../arm.js';
import { API_VERSIONS, asObject, groupPath, groupsPath, listValue, pick } from '../arm.js';
import type { CommandContext } from '../context.js';
import { nounCommand, run, withNoWait } from '../context.js';
import { UsageError } from '../errors.js';
import { parseTags } from '../flags.js';
import type { Column } from '../output.js';
import { printResult } from '../output.js';
import { leaf } from '../resources.js';

const COLUMNS: readonly Column<Json>[] = [
  { header: 'Name', value: (g) => g['name'] },
  { header: 'Location', value: (g) => g['location'] },
  { header: 'Status', value: (g) => pick(g, 'properties', 'provisioningState') },
];

/** az takes the group as -n/--name or -g/--resource-group. */
interface GroupFlags {
  readonly name?: string;
  readonly resourceGroup?: string;
}

const groupName = (o: GroupFlags): string => {
  const name = o.name ?? o.resourceGroup;
  if (name === undefined || name.length === 0) throw new UsageError('the following arguments are required: --name/-n');
  return name;
};

function withGroupName(cmd: Command): Command {
  return cmd.option('-n, --name <name>', 'resource group name').option('-g, --resource-group <name>', 'same as --name');
}

const sub = (ctx: CommandContext): string => ctx.client().runtime.subscriptionId;

export function registerGroupCommands(program: Command): void {
  const group = nounCommand(program, 'group', 'Resource groups.');

  withNoWait(withGroupName(leaf(group, 'create', 'Create or update a resource group.')))
    .option('-l, --location <location>', 'location', 'eastus')
    .option('--tags <tags...>', 'space-separated KEY=VALUE tags')
    .action(
      run(async (ctx, o: GroupFlags & { location: string; tags?: string[] }) => {
        const name = groupName(o);
        const body: Json = { location: o.location };
        const tags = parseTags(o.tags);
        if (tags !== undefined) body['tags'] = tags;
        const res = await ctx.client().request('PUT', groupPath(sub(ctx), name), API_VERSIONS.groups, body);
        const g = asObject(res.body);
        printResult(ctx, g, [g], COLUMNS);
      }),
    );

  withGroupName(leaf(group, 'show', 'Show a resource group.')).action(
    run(async (ctx, o: GroupFlags) => {
      const name = groupName(o);
      const g = asObject((await ctx.client().request('GET', groupPath(sub(ctx), name), API_VERSIONS.groups)).body);
      printResult(ctx, g, [g], COLUMNS);
    }),
  );

  withNoWait(withGroupName(leaf(group, 'delete', 'Delete a resource group and everything in it.')))
    .option('-y, --yes', 'accepted for az compatibility; never prompts')
    .action(
      run(async (ctx, o: GroupFlags) => {
        const name = groupName(o);
        await ctx.client().request('DELETE', groupPath(sub(ctx), name), API_VERSIONS.groups);
      }),
    );

  leaf(group, 'list', 'List resource groups.').action(
    run(async (ctx) => {
      const groups = listValue((await ctx.client().request('GET', groupsPath(sub(ctx)), API_VERSIONS.groups)).body);
      printResult(ctx, groups, groups, COLUMNS);
    }),
  );
}
