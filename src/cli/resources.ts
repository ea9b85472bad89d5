/** Generic ARM calls and printing for top-level resources (identities, accounts, sites, VMs). */
import type { Command } from 'commander';
import type { Json } from './arm.js';
import { asObject, collectionPath, groupOfId, listValue, pick, resourcePath } from './arm.js';
import type { CommandContext } from './context.js';
import { run, withCommonOptions, withNoWait } from './context.js';
import type { Column } from './output.js';
import { printResult } from './output.js';
import { deleteAndWait, type WaitFlag } from './long-running.js';

export interface ResourceKind {
  readonly type: string;
  readonly apiVersion: string;
  readonly columns: readonly Column<Json>[];
}

/** A leaf subcommand with -o and --data. */
export function leaf(parent: Command, name: string, description: string): Command {
  return withCommonOptions(parent.command(name).description(description));
}

export const nameColumn: Column<Json> = { header: 'Name', value: (r) => r['name'] };
export const groupColumn: Column<Json> = { header: 'ResourceGroup', value: (r) => groupOfId(r['id']) };
export const locationColumn: Column<Json> = { header: 'Location', value: (r) => r['location'] };
export const identityTypeColumn: Column<Json> = { header: 'IdentityType', value: (r) => pick(r, 'identity', 'type') };
export const principalColumn: Column<Json> = { header: 'PrincipalId', value: (r) => pick(r, 'identity', 'principalId') };

export function subscriptionOf(ctx: CommandContext): string {
  return ctx.client().runtime.subscriptionId;
}

export async function putResource(ctx: CommandContext, kind: ResourceKind, group: string, name: string, body: Json): Promise<Json> {
  const path = resourcePath(subscriptionOf(ctx), group, kind.type, name);
  return asObject((await ctx.client().request('PUT', path, kind.apiVersion, body)).body);
}

export async function patchResource(ctx: CommandContext, kind: ResourceKind, group: string, name: string, body: Json): Promise<Json> {
  const path = resourcePath(subscriptionOf(ctx), group, kind.type, name);
  return asObject((await ctx.client().request('PATCH', path, kind.apiVersion, body)).body);
}

export async function getResource(ctx: CommandContext, kind: ResourceKind, group: string, name: string): Promise<Json> {
  const path = resourcePath(subscriptionOf(ctx), group, kind.type, name);
  return asObject((await ctx.client().request('GET', path, kind.apiVersion)).body);
}

/** Waits for a long-running delete (keyless up --async-operations) unless --no-wait. */
export async function deleteResource(ctx: CommandContext, kind: ResourceKind, group: string, name: string, flags: WaitFlag = {}): Promise<void> {
  await deleteAndWait(ctx.client(), resourcePath(subscriptionOf(ctx), group, kind.type, name), kind.apiVersion, flags);
}

/** In one group, or across the subscription when no group is given. */
export async function listResources(ctx: CommandContext, kind: ResourceKind, group: string | undefined): Promise<Json[]> {
  const res = await ctx.client().request('GET', collectionPath(subscriptionOf(ctx), kind.type, group), kind.apiVersion);
  return listValue(res.body);
}

export function printOne(ctx: CommandContext, kind: ResourceKind, resource: Json): void {
  printResult(ctx, resource, [resource], kind.columns);
}

export function printMany(ctx: CommandContext, kind: ResourceKind, resources: readonly Json[]): void {
  printResult(ctx, resources, resources, kind.columns);
}

/**
 * show / delete / list for a top-level resource noun, shared by identity, openai, webapp and vm.
 * `afterDelete` completes the delete's description with what deleting leaves behind (an account's soft delete).
 */
export function registerReadAndDelete(noun: Command, kind: ResourceKind, label: string, afterDelete = ''): void {
  const a = /^[aeio]/i.test(label) ? 'an' : 'a'; // 'a user-assigned …'
  leaf(noun, 'show', `Show ${a} ${label}.`)
    .requiredOption('-g, --resource-group <name>', 'resource group')
    .requiredOption('-n, --name <name>', `${label} name`)
    .action(run(async (ctx, o: GroupAndName) => printOne(ctx, kind, await getResource(ctx, kind, o.resourceGroup, o.name))));

  withNoWait(leaf(noun, 'delete', `Delete ${a} ${label}.${afterDelete === '' ? '' : ` ${afterDelete}`}`))
    .requiredOption('-g, --resource-group <name>', 'resource group')
    .requiredOption('-n, --name <name>', `${label} name`)
    .option('-y, --yes', 'accepted for az compatibility; never prompts')
    .action(run(async (ctx, o: GroupAndName & WaitFlag) => deleteResource(ctx, kind, o.resourceGroup, o.name, o)));

  leaf(noun, 'list', `List ${label} resources in a group, or in the subscription without -g.`)
    .option('-g, --resource-group <name>', 'resource group')
    .action(run(async (ctx, o: { resourceGroup?: string }) => printMany(ctx, kind, await listResources(ctx, kind, o.resourceGroup))));
}

export interface GroupAndName {
  readonly resourceGroup: string;
  readonly name: string;
}
