/** Shared by `webapp` and `vm`: create with an optional identity, show/delete/list, and `identity …`. */
import type { Command } from 'commander';
import type { Json } from '../arm.js';
import { nounCommand, run, withNoWait } from '../context.js';
import { createIdentityBlock } from '../identity-block.js';
import { parseTags } from '../flags.js';
import type { GroupAndName, ResourceKind } from '../resources.js';
import { groupColumn, identityTypeColumn, leaf, locationColumn, nameColumn, principalColumn, printOne, putResource, registerReadAndDelete } from '../resources.js';
import { identitySelection, registerHostIdentityCommands } from './host-identity.js';

export const HOST_COLUMNS = [nameColumn, groupColumn, locationColumn, identityTypeColumn, principalColumn];

export interface HostNoun {
  readonly noun: string;
  readonly description: string;
  readonly label: string;
  readonly kind: ResourceKind;
}

export type CreateFlags = GroupAndName & { location?: string; tags?: string[]; assignIdentity?: string[] | boolean };

export const ASSIGN_IDENTITY_HELP = "enable identities: '[system]' and/or user-assigned identity ids or names (no value: system)";

export function registerHostCommands(program: Command, host: HostNoun): void {
  const noun = nounCommand(program, host.noun, host.description);

  withNoWait(leaf(noun, 'create', `Create or update a ${host.label}.`))
    .requiredOption('-g, --resource-group <name>', 'resource group')
    .requiredOption('-n, --name <name>', `${host.label} name`)
    .option('-l, --location <location>', "location (default: the group's)")
    .option('--tags <tags...>', 'space-separated KEY=VALUE tags')
    .option('--assign-identity [identities...]', ASSIGN_IDENTITY_HELP)
    .action(
      run(async (ctx, o: CreateFlags) => {
        const body: Json = { properties: {} };
        if (o.location !== undefined) body['location'] = o.location;
        const tags = parseTags(o.tags);
        if (tags !== undefined) body['tags'] = tags;
        const selection = identitySelection(ctx, o.assignIdentity, o.resourceGroup);
        if (selection) body['identity'] = createIdentityBlock(selection);
        printOne(ctx, host.kind, await putResource(ctx, host.kind, o.resourceGroup, o.name, body));
      }),
    );

  registerReadAndDelete(noun, host.kind, host.label);
  registerHostIdentityCommands(noun, host.kind, host.label);
}
