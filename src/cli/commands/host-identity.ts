/** `<noun> identity assign|remove|show` for resources that carry an identity block (webapp, vm, openai). */
import type { Command } from 'commander';
import type { Json } from '../arm.js';
import { asObject, lastSegment, pick, resourcePath } from '../arm.js';
import type { CommandContext } from '../context.js';
import { nounCommand, run } from '../context.js';
import type { IdentityBlock, IdentitySelection } from '../identity-block.js';
import { assignIdentityBlock, parseIdentitySelection, removeIdentityBlock, userIdentityId } from '../identity-block.js';
import type { Column } from '../output.js';
import { printResult } from '../output.js';
import type { GroupAndName, ResourceKind } from '../resources.js';
import { getResource, leaf, patchResource, subscriptionOf } from '../resources.js';

interface IdentityRow {
  readonly type: string;
  readonly name: string;
  readonly principalId: unknown;
  readonly clientId: unknown;
}

const COLUMNS: readonly Column<IdentityRow>[] = [
  { header: 'Type', value: (r) => r.type },
  { header: 'Identity', value: (r) => r.name },
  { header: 'PrincipalId', value: (r) => r.principalId },
  { header: 'ClientId', value: (r) => r.clientId },
];

/** One row per identity (system first); a single "None" row when there is none. */
export function identityRows(identity: unknown): IdentityRow[] {
  const rows: IdentityRow[] = [];
  const type = pick(identity, 'type');
  if (typeof type === 'string' && type.toLowerCase().includes('systemassigned')) {
    rows.push({ type: 'SystemAssigned', name: 'system', principalId: pick(identity, 'principalId'), clientId: undefined });
  }
  const users = asObject(pick(identity, 'userAssignedIdentities'));
  for (const [id, entry] of Object.entries(users)) {
    rows.push({ type: 'UserAssigned', name: lastSegment(id), principalId: pick(entry, 'principalId'), clientId: pick(entry, 'clientId') });
  }
  if (rows.length === 0) rows.push({ type: 'None', name: '', principalId: undefined, clientId: undefined });
  return rows;
}

export function printIdentity(ctx: CommandContext, identity: unknown): void {
  printResult(ctx, identity ?? { type: 'None' }, identityRows(identity), COLUMNS);
}

/** `--assign-identity` / `--identities` values, with plain names resolved in the command's group. */
export function identitySelection(ctx: CommandContext, values: readonly string[] | boolean | undefined, group: string): IdentitySelection | undefined {
  return parseIdentitySelection(values, (ref) => userIdentityId(ref, subscriptionOf(ctx), group));
}

type IdentityFlags = GroupAndName & { identities?: string[] | boolean };

export function registerHostIdentityCommands(noun: Command, kind: ResourceKind, label: string): void {
  const identity = nounCommand(noun, 'identity', `Managed identities of a ${label}.`);

  const change = (verb: 'assign' | 'remove', compute: (current: unknown, sel: IdentitySelection) => IdentityBlock) =>
    leaf(identity, verb, `${verb === 'assign' ? 'Add' : 'Remove'} identities (system and/or user-assigned) ${verb === 'assign' ? 'to' : 'from'} a ${label}.`)
      .requiredOption('-g, --resource-group <name>', 'resource group')
      .requiredOption('-n, --name <name>', `${label} name`)
      .option('--identities [identities...]', "'[system]' and/or user-assigned identity ids or names (default: [system])")
      .action(
        run(async (ctx, o: IdentityFlags) => {
          const selection = identitySelection(ctx, o.identities ?? true, o.resourceGroup) as IdentitySelection;
          const current = await getResource(ctx, kind, o.resourceGroup, o.name);
          const block = compute(current['identity'], selection);
          const updated: Json = await patchResource(ctx, kind, o.resourceGroup, o.name, { identity: block });
          printIdentity(ctx, updated['identity']);
        }),
      );

  change('assign', assignIdentityBlock);
  change('remove', removeIdentityBlock);

  if (kind.type === 'Microsoft.Web/sites' || kind.type === 'Microsoft.Compute/virtualMachines') {
    leaf(identity, 'rotate-secret', `Replace the ${label}'s identity endpoint secret; the old one stops working at once (restart its processes).`)
      .requiredOption('-g, --resource-group <name>', 'resource group')
      .requiredOption('-n, --name <name>', `${label} name`)
      .action(
        run(async (ctx, o: GroupAndName) => {
          const path = `${resourcePath(subscriptionOf(ctx), o.resourceGroup, kind.type, o.name)}/rotateIdentitySecret`;
          await ctx.client().request('POST', path, kind.apiVersion);
        }),
      );
  }

  leaf(identity, 'show', `Show the identities of a ${label}.`)
    .requiredOption('-g, --resource-group <name>', 'resource group')
    .requiredOption('-n, --name <name>', `${label} name`)
    .action(run(async (ctx, o: GroupAndName) => printIdentity(ctx, (await getResource(ctx, kind, o.resourceGroup, o.name))['identity'])));
}
