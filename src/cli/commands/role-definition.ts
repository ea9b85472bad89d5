/** `keyless role definition create|update|delete|list`, shaped like az's. */
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import type { Json } from '../arm.js';
import { API_VERSIONS, asObject, lastSegment, listValue, pick } from '../arm.js';
import type { CommandContext } from '../context.js';
import { nounCommand, run } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { requireArmPath } from '../flags.js';
import type { Column } from '../output.js';
import { printResult } from '../output.js';
import { leaf, subscriptionOf } from '../resources.js';
import { readRoleDefinition } from '../role-definition-file.js';
import { findRoleByName, isGuid, roleNameFilter } from '../role-ref.js';

const API = API_VERSIONS.authorization;
const DEFINITIONS = '/providers/Microsoft.Authorization/roleDefinitions';

const DEFINITION_COLUMNS: readonly Column<Json>[] = [
  { header: 'RoleName', value: (d) => pick(d, 'properties', 'roleName') },
  { header: 'Name', value: (d) => d['name'] },
  { header: 'Type', value: (d) => pick(d, 'properties', 'type') },
];

/** The role definitions seen at a scope (the subscription by default), with an optional OData query. */
export async function listDefinitions(ctx: CommandContext, query = '', scope = `/subscriptions/${subscriptionOf(ctx)}`): Promise<Json[]> {
  return listValue((await ctx.client().request('GET', `${scope}${DEFINITIONS}${query ? `?${query}` : ''}`, API)).body);
}

const scopeOf = (ctx: CommandContext, scope: string | undefined): string =>
  scope === undefined ? `/subscriptions/${subscriptionOf(ctx)}` : requireArmPath('--scope', scope);

/** The custom roles a `--name` (roleName, GUID or full id) names at a scope. */
async function customRolesNamed(ctx: CommandContext, name: string, scope: string): Promise<Json[]> {
  const wanted = name.trim();
  if (isGuid(wanted) || wanted.startsWith('/')) {
    const guid = lastSegment(wanted).toLowerCase();
    return (await listDefinitions(ctx, '', scope)).filter((d) => String(d['name']).toLowerCase() === guid && pick(d, 'properties', 'type') === 'CustomRole');
  }
  const found = findRoleByName(await listDefinitions(ctx, roleNameFilter(wanted), scope), wanted);
  return found && pick(found, 'properties', 'type') === 'CustomRole' ? [found] : [];
}

async function putDefinition(ctx: CommandContext, scope: string, guid: string, properties: Json): Promise<Json> {
  return asObject((await ctx.client().request('PUT', `${scope}${DEFINITIONS}/${guid}`, API, { properties })).body);
}

export function registerRoleDefinitionCommands(role: Command): void {
  const definition = nounCommand(role, 'definition', 'Role definitions: the built-in roles and custom roles.');

  leaf(definition, 'list', 'List role definitions.')
    .option('--name <role>', 'only the role with this name')
    .option('--custom-role-only', 'only custom roles')
    .option('--scope <scope>', 'ARM id of the scope to list at (default: the subscription)')
    .action(
      run(async (ctx, o: { name?: string; customRoleOnly?: boolean; scope?: string }) => {
        const defs = (await listDefinitions(ctx, o.name === undefined ? '' : roleNameFilter(o.name), scopeOf(ctx, o.scope))).filter(
          (d) => !o.customRoleOnly || pick(d, 'properties', 'type') === 'CustomRole',
        );
        printResult(ctx, defs, defs, DEFINITION_COLUMNS);
      }),
    );

  leaf(definition, 'create', 'Create a custom role from a JSON file (az\'s shape: Name, Description, Actions, NotActions, DataActions, NotDataActions, AssignableScopes).')
    .requiredOption('--role-definition <file-or-json>', 'a JSON file, or the JSON itself')
    .action(
      run(async (ctx, o: { roleDefinition: string }) => {
        const input = readRoleDefinition(o.roleDefinition);
        const scopes = input.properties['assignableScopes'];
        if (!Array.isArray(scopes) || typeof scopes[0] !== 'string') throw new UsageError("please provide 'assignableScopes'");
        const created = await putDefinition(ctx, requireArmPath('AssignableScopes', scopes[0]), randomUUID(), input.properties);
        printResult(ctx, created, [created], DEFINITION_COLUMNS);
      }),
    );

  leaf(definition, 'update', 'Update a custom role from a JSON file; the role is found by its id, or else by its name.')
    .requiredOption('--role-definition <file-or-json>', 'a JSON file, or the JSON itself')
    .action(
      run(async (ctx, o: { roleDefinition: string }) => {
        const input = readRoleDefinition(o.roleDefinition);
        const given = input.properties['assignableScopes'];
        const scope = Array.isArray(given) && typeof given[0] === 'string' ? requireArmPath('AssignableScopes', given[0]) : scopeOf(ctx, undefined);
        const matches = await customRolesNamed(ctx, input.id ?? input.roleName, scope);
        const [existing] = matches;
        if (existing === undefined) throw new CliError(`Role '${input.id ?? input.roleName}' doesn't exist.`);
        // What the file leaves out stays as it is.
        const properties: Json = { ...input.properties };
        properties['assignableScopes'] ??= pick(existing, 'properties', 'assignableScopes');
        const updated = await putDefinition(ctx, scope, String(existing['name']), properties);
        printResult(ctx, updated, [updated], DEFINITION_COLUMNS);
      }),
    );

  leaf(definition, 'delete', 'Delete a custom role (refused while it is assigned).')
    .requiredOption('--name <name-or-id>', 'the role\'s name, GUID or full id')
    .option('--scope <scope>', 'ARM id of the scope to look the role up at (default: the subscription)')
    .option('-y, --yes', 'accepted for az compatibility; never prompts')
    .action(
      run(async (ctx, o: { name: string; scope?: string }) => {
        const scope = scopeOf(ctx, o.scope);
        const matches = await customRolesNamed(ctx, o.name, scope);
        if (matches.length === 0) throw new CliError(`Role '${o.name}' doesn't exist.`);
        for (const d of matches) await ctx.client().request('DELETE', `${scope}${DEFINITIONS}/${String(d['name'])}`, API);
      }),
    );
}
