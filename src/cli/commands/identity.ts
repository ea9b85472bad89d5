/** `keyless identity create|show|delete|list`: user-assigned managed identities. */
import type { Command } from 'commander';
import type { Json } from '../arm.js';
import { API_VERSIONS, TYPES, pick } from '../arm.js';
import { nounCommand, run, withNoWait } from '../context.js';
import { parseTags } from '../flags.js';
import type { GroupAndName, ResourceKind } from '../resources.js';
import { groupColumn, leaf, locationColumn, nameColumn, printOne, putResource, registerReadAndDelete } from '../resources.js';
import { registerIdentityFederatedCommands } from './identity-federated.js';

export const IDENTITY_KIND: ResourceKind = {
  type: TYPES.identity,
  apiVersion: API_VERSIONS.identities,
  columns: [
    nameColumn,
    groupColumn,
    locationColumn,
    { header: 'PrincipalId', value: (r) => pick(r, 'properties', 'principalId') },
    { header: 'ClientId', value: (r) => pick(r, 'properties', 'clientId') },
  ],
};

export function registerIdentityCommands(program: Command): void {
  const identity = nounCommand(program, 'identity', 'User-assigned managed identities.');

  withNoWait(leaf(identity, 'create', 'Create or update a user-assigned identity.'))
    .requiredOption('-g, --resource-group <name>', 'resource group')
    .requiredOption('-n, --name <name>', 'identity name')
    .option('-l, --location <location>', 'location (default: the group\'s)')
    .option('--tags <tags...>', 'space-separated KEY=VALUE tags')
    .action(
      run(async (ctx, o: GroupAndName & { location?: string; tags?: string[] }) => {
        const body: Json = {};
        if (o.location !== undefined) body['location'] = o.location;
        const tags = parseTags(o.tags);
        if (tags !== undefined) body['tags'] = tags;
        printOne(ctx, IDENTITY_KIND, await putResource(ctx, IDENTITY_KIND, o.resourceGroup, o.name, body));
      }),
    );

  registerReadAndDelete(identity, IDENTITY_KIND, 'user-assigned identity');
  registerIdentityFederatedCommands(identity);
}
