/** `keyless identity federated-credential create|list|show|delete`: federated credentials of a user-assigned identity (an ARM child resource). */
import type { Command } from 'commander';
import type { Json } from '../arm.js';
import { API_VERSIONS, TYPES, asObject, listValue, pick, resourcePath } from '../arm.js';
import type { CommandContext } from '../context.js';
import { nounCommand, run, withNoWait } from '../context.js';
import type { Column } from '../output.js';
import { printResult } from '../output.js';
import { groupColumn, leaf, subscriptionOf } from '../resources.js';

const COLUMNS: readonly Column<Json>[] = [
  { header: 'Name', value: (r) => r['name'] },
  groupColumn,
  { header: 'Issuer', value: (r) => pick(r, 'properties', 'issuer') },
  { header: 'Subject', value: (r) => pick(r, 'properties', 'subject') },
  { header: 'Audiences', value: (r) => (pick(r, 'properties', 'audiences') as string[] | undefined)?.join(', ') },
];

interface Flags {
  readonly resourceGroup: string;
  readonly identityName: string;
  readonly name: string;
}

const collection = (ctx: CommandContext, o: Omit<Flags, 'name'>): string =>
  `${resourcePath(subscriptionOf(ctx), o.resourceGroup, TYPES.identity, o.identityName)}/federatedIdentityCredentials`;
const itemPath = (ctx: CommandContext, o: Flags): string => `${collection(ctx, o)}/${encodeURIComponent(o.name)}`;

function withTarget(cmd: Command, named = true): Command {
  cmd.requiredOption('-g, --resource-group <name>', 'resource group').requiredOption('--identity-name <name>', 'user-assigned identity name');
  return named ? cmd.requiredOption('-n, --name <name>', 'federated credential name') : cmd;
}

export function registerIdentityFederatedCommands(identity: Command): void {
  const fic = nounCommand(identity, 'federated-credential', 'Federated credentials of a user-assigned identity (trust in tokens of an external issuer).');
  const api = API_VERSIONS.identities;

  withTarget(leaf(fic, 'create', 'Create or update a federated credential.'))
    .requiredOption('--issuer <url>', 'issuer URL (https)')
    .requiredOption('--subject <subject>', 'subject claim to match exactly')
    .option('--audiences <audiences...>', 'audience to match', ['api://AzureADTokenExchange'])
    .action(
      run(async (ctx, o: Flags & { issuer: string; subject: string; audiences: string[] }) => {
        const body = { properties: { issuer: o.issuer, subject: o.subject, audiences: o.audiences } };
        const created = asObject((await ctx.client().request('PUT', itemPath(ctx, o), api, body)).body);
        printResult(ctx, created, [created], COLUMNS);
      }),
    );

  withTarget(leaf(fic, 'show', 'Show a federated credential.')).action(
    run(async (ctx, o: Flags) => {
      const found = asObject((await ctx.client().request('GET', itemPath(ctx, o), api)).body);
      printResult(ctx, found, [found], COLUMNS);
    }),
  );

  withTarget(leaf(fic, 'list', "List an identity's federated credentials."), false).action(
    run(async (ctx, o: Omit<Flags, 'name'>) => {
      const list = listValue((await ctx.client().request('GET', collection(ctx, o), api)).body);
      printResult(ctx, list, list, COLUMNS);
    }),
  );

  withNoWait(withTarget(leaf(fic, 'delete', 'Delete a federated credential.')))
    .option('-y, --yes', 'accepted for az compatibility; never prompts')
    .action(run(async (ctx, o: Flags) => void (await ctx.client().request('DELETE', itemPath(ctx, o), api))));
}
