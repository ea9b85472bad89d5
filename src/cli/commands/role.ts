/** `keyless role assignment create|list|delete`; `role definition …` is in role-definition.ts. */
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import type { Json } from '../arm.js';
import { API_VERSIONS, asObject, listValue, pick } from '../arm.js';
import type { CommandContext } from '../context.js';
import { resolvePrincipal } from '../principal-ref.js';
import { nounCommand, run, withNoWait } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { requireArmPath } from '../flags.js';
import { printResult } from '../output.js';
import { leaf, subscriptionOf } from '../resources.js';
import { registerRoleAccessCommands } from './role-access.js';
import { findRoleByName, parseRoleReference, roleNameFilter, roleNameFor, roleNamesById } from '../role-ref.js';
import { listDefinitions, registerRoleDefinitionCommands } from './role-definition.js';

const API = API_VERSIONS.authorization;
const ASSIGNMENTS = '/providers/Microsoft.Authorization/roleAssignments';

/** `--role`: a GUID or full id is used as given; a name is looked up (the server's $filter, then any case). */
export async function resolveRoleId(ctx: CommandContext, role: string): Promise<string> {
  const ref = parseRoleReference(role, subscriptionOf(ctx));
  if (ref.kind === 'id') return ref.id;
  const found = findRoleByName(await listDefinitions(ctx, roleNameFilter(ref.name)), ref.name)
    ?? findRoleByName(await listDefinitions(ctx), ref.name);
  const id = found?.['id'];
  if (typeof id !== 'string') throw new CliError(`Role '${ref.name}' doesn't exist.`);
  return id;
}

/** PUTs a new role assignment (a fresh GUID name) and returns it. */
export async function createAssignment(ctx: CommandContext, scope: string, roleDefinitionId: string, principalId: string, principalType: string): Promise<Json> {
  const body = { properties: { roleDefinitionId, principalId, principalType } };
  return asObject((await ctx.client().request('PUT', `${scope}${ASSIGNMENTS}/${randomUUID()}`, API, body)).body);
}

/** Assignments as a table: role names resolved through the definitions list, principals through the directory. */
async function printAssignments(ctx: CommandContext, json: unknown, rows: readonly Json[]): Promise<void> {
  const names = ctx.format === 'table' ? roleNamesById(await listDefinitions(ctx)) : new Map<string, string>();
  const principals = ctx.format === 'table' ? await principalNames(ctx, rows) : new Map<string, string>();
  printResult(ctx, json, rows, [
    { header: 'Principal', value: (a: Json) => pick(a, 'properties', 'principalId') },
    { header: 'PrincipalName', value: (a: Json) => principals.get(String(pick(a, 'properties', 'principalId')).toLowerCase()) ?? '(unknown principal)' },
    { header: 'Role', value: (a: Json) => roleNameFor(pick(a, 'properties', 'roleDefinitionId'), names) },
    { header: 'Scope', value: (a: Json) => pick(a, 'properties', 'scope') },
  ]);
}

/** Display names of the assignments' principals; a deleted principal (an orphaned assignment) is simply absent. */
async function principalNames(ctx: CommandContext, rows: readonly Json[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.map((a) => String(pick(a, 'properties', 'principalId'))))];
  if (ids.length === 0) return new Map();
  const res = await ctx.client().request('POST', '/v1.0/directoryObjects/getByIds', 'v1.0', { ids, types: ['servicePrincipal'] });
  const found = listValue(res.body);
  return new Map(found.map((p) => [String(p['id']).toLowerCase(), String(p['displayName'])]));
}

/**
 * The principal id `--assignee` names, as az reads it (an object id, a client id, or a display name,
 * looked up in Graph); `--assignee-object-id` is taken as it is, without a lookup.
 */
async function assignee(ctx: CommandContext, o: { assignee?: string; assigneeObjectId?: string }): Promise<string | undefined> {
  if (o.assigneeObjectId !== undefined) return o.assigneeObjectId;
  return o.assignee === undefined ? undefined : (await resolvePrincipal(ctx, o.assignee)).objectId;
}

export function registerRoleCommands(program: Command): void {
  const role = nounCommand(program, 'role', 'Role definitions and role assignments (RBAC).');
  registerRoleDefinitionCommands(role);
  const assignment = nounCommand(role, 'assignment', 'Role assignments.');
  registerRoleAccessCommands(role);

  withNoWait(leaf(assignment, 'create', 'Grant a role to a principal at a scope.'))
    .option('--assignee <principal>', 'object id, client id or display name of the principal')
    .option('--assignee-object-id <object-id>', 'object id of the principal, taken as it is (no Graph lookup)')
    .option('--assignee-principal-type <type>', 'ServicePrincipal, User or Group', 'ServicePrincipal')
    .requiredOption('--role <name-or-id>', 'role name, role definition GUID, or full role definition id')
    .requiredOption('--scope <scope>', 'ARM id of the scope (subscription, group or resource)')
    .action(
      run(async (ctx, o: { assignee?: string; assigneeObjectId?: string; assigneePrincipalType: string; role: string; scope: string }) => {
        const principalId = await assignee(ctx, o);
        if (principalId === undefined) throw new UsageError('the following arguments are required: --assignee');
        const scope = requireArmPath('--scope', o.scope);
        const roleDefinitionId = await resolveRoleId(ctx, o.role);
        const created = await createAssignment(ctx, scope, roleDefinitionId, principalId, o.assigneePrincipalType);
        await printAssignments(ctx, created, [created]);
      }),
    );

  leaf(assignment, 'list', 'List role assignments (at the subscription and below unless --scope is given).')
    .option('--assignee <principal>', 'only this principal\'s assignments (object id, client id or display name)')
    .option('--assignee-object-id <object-id>', 'only this object id\'s assignments (no Graph lookup)')
    .option('--scope <scope>', 'ARM id of the scope to list at')
    .option('--all', 'every assignment in the subscription')
    .action(
      run(async (ctx, o: { assignee?: string; assigneeObjectId?: string; scope?: string; all?: boolean }) => {
        if (o.all && o.scope !== undefined) throw new UsageError('--all cannot be used with --scope.');
        const scope = o.scope === undefined ? `/subscriptions/${subscriptionOf(ctx)}` : requireArmPath('--scope', o.scope);
        const principalId = await assignee(ctx, o);
        const filter = principalId === undefined ? '' : `?$filter=${encodeURIComponent(`principalId eq '${principalId.replace(/'/g, "''")}'`)}`;
        const list = listValue((await ctx.client().request('GET', `${scope}${ASSIGNMENTS}${filter}`, API)).body);
        await printAssignments(ctx, list, list);
      }),
    );

  withNoWait(leaf(assignment, 'delete', 'Delete role assignments by id.'))
    .requiredOption('--ids <ids...>', 'full ids of the role assignments')
    .option('-y, --yes', 'accepted for az compatibility; never prompts')
    .action(
      run(async (ctx, o: { ids: string[] }) => {
        const ids = o.ids.map((id) => requireArmPath('--ids', id));
        for (const id of ids) {
          if (!id.toLowerCase().includes(ASSIGNMENTS.toLowerCase())) throw new UsageError(`--ids '${id}' is not a role assignment id.`);
        }
        for (const id of ids) await ctx.client().request('DELETE', id, API);
      }),
    );
}
