/**
 * `keyless openai list-deleted|show-deleted|purge|recover`: soft-deleted
 * accounts, as az's `cognitiveservices account list-deleted|show-deleted|purge|recover`.
 */
import type { Command } from 'commander';
import type { Json } from '../arm.js';
import { API_VERSIONS, TYPES, asObject, listValue, pick, resourcePath, subscriptionPath } from '../arm.js';
import { run, withNoWait } from '../context.js';
import { deleteAndWait, putAndWait, type WaitFlag } from '../long-running.js';
import type { Column } from '../output.js';
import { printResult } from '../output.js';
import type { GroupAndName } from '../resources.js';
import { groupColumn, leaf, locationColumn, nameColumn, subscriptionOf } from '../resources.js';

type DeletedFlags = GroupAndName & { readonly location: string };

const DELETED_COLUMNS: readonly Column<Json>[] = [
  nameColumn,
  groupColumn,
  locationColumn,
  { header: 'DeletionDate', value: (a) => pick(a, 'properties', 'deletionDate') },
  { header: 'ScheduledPurgeDate', value: (a) => pick(a, 'properties', 'scheduledPurgeDate') },
];

const seg = encodeURIComponent;
const deletedPath = (s: string, o: DeletedFlags): string =>
  `${subscriptionPath(s)}/providers/Microsoft.CognitiveServices/locations/${seg(o.location)}/resourceGroups/${seg(o.resourceGroup)}/deletedAccounts/${seg(o.name)}`;

/** -g, -n and -l, all required: a deleted account is addressed by its location too. */
function addressed(cmd: Command): Command {
  return cmd
    .requiredOption('-g, --resource-group <name>', 'resource group the account was in')
    .requiredOption('-n, --name <name>', 'account name')
    .requiredOption('-l, --location <location>', 'location the account was in');
}

export function registerDeletedAccountCommands(openai: Command, accountColumns: readonly Column<Json>[]): void {
  leaf(openai, 'list-deleted', 'List the soft-deleted accounts of the subscription (kept 48 hours after their deletion).').action(
    run(async (ctx) => {
      const res = await ctx.client().request('GET', `${subscriptionPath(subscriptionOf(ctx))}/providers/Microsoft.CognitiveServices/deletedAccounts`, API_VERSIONS.cognitive);
      const accounts = listValue(res.body);
      printResult(ctx, accounts, accounts, DELETED_COLUMNS);
    }),
  );

  addressed(leaf(openai, 'show-deleted', 'Show a soft-deleted account.')).action(
    run(async (ctx, o: DeletedFlags) => {
      const account = asObject((await ctx.client().request('GET', deletedPath(subscriptionOf(ctx), o), API_VERSIONS.cognitive)).body);
      printResult(ctx, account, [account], DELETED_COLUMNS);
    }),
  );

  withNoWait(addressed(leaf(openai, 'purge', 'Delete a soft-deleted account for good: its keys, deployments and name go.'))).action(
    run(async (ctx, o: DeletedFlags & WaitFlag) => deleteAndWait(ctx.client(), deletedPath(subscriptionOf(ctx), o), API_VERSIONS.cognitive, o)),
  );

  withNoWait(addressed(leaf(openai, 'recover', 'Restore a soft-deleted account with its keys and deployments.'))).action(
    run(async (ctx, o: DeletedFlags & WaitFlag) => {
      // As az sends it: the location and the restore flag, nothing else (the account comes back as it was).
      const body: Json = { location: o.location, properties: { restore: true } };
      const path = resourcePath(subscriptionOf(ctx), o.resourceGroup, TYPES.account, o.name);
      const account = await putAndWait(ctx.client(), path, API_VERSIONS.cognitive, body, o);
      if (account) printResult(ctx, account, [account], accountColumns);
    }),
  );
}
