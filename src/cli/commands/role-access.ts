/** `keyless role check` and `keyless role who-can`: Keyless's access questions (POST {scope}/providers/Keyless/checkAccess | whoCan). */
import type { Command } from 'commander';
import type { Json } from '../arm.js';
import { asObject } from '../arm.js';
import type { CommandContext } from '../context.js';
import { run } from '../context.js';
import { UsageError } from '../errors.js';
import { OPERATION_DATA_ACTIONS, resolveDeployment } from '../deployment-ref.js';
import { requireArmPath } from '../flags.js';
import { printResult, renderTable } from '../output.js';
import { resolvePrincipal } from '../principal-ref.js';
import { leaf } from '../resources.js';

const API = '2026-01-01';

interface CheckOptions {
  assignee: string;
  scope?: string;
  action?: string;
  dataAction?: string;
  deployment?: string;
  operation?: string;
}

/** The action asked about, and the scope: `--scope` with `--action`/`--data-action`, or the deployment's account with `--deployment`. */
async function question(ctx: CommandContext, o: Omit<CheckOptions, 'assignee'>): Promise<{ scope: string; body: Json }> {
  const given = [o.action, o.dataAction, o.deployment].filter((v) => v !== undefined).length;
  if (given !== 1) throw new UsageError('give exactly one of --action, --data-action and --deployment (with --operation).');
  if (o.deployment === undefined) {
    if (o.operation !== undefined) throw new UsageError('--operation goes with --deployment.');
    if (o.scope === undefined) throw new UsageError('the following arguments are required: --scope');
    const scope = requireArmPath('--scope', o.scope);
    return { scope, body: o.action !== undefined ? { action: o.action } : { dataAction: o.dataAction } };
  }
  if (o.scope !== undefined) throw new UsageError("--scope cannot be used with --deployment: the data plane checks a deployment's calls at its account.");
  const operation = o.operation?.toLowerCase();
  const dataAction = operation === undefined ? undefined : OPERATION_DATA_ACTIONS[operation];
  if (dataAction === undefined) throw new UsageError(`--operation must be one of: ${Object.keys(OPERATION_DATA_ACTIONS).join(', ')}.`);
  const { accountId } = await resolveDeployment(ctx, o.deployment);
  return { scope: accountId, body: { dataAction } };
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/** The verdict line, the assignments there with what each does, and the fix. */
function renderCheck(answer: Json): string {
  const grants = (answer['grantedBy'] as Json[]).map((g) => ({ ...g, effect: 'grants', why: `matches '${str(g['matchedPattern'])}'` }));
  const others = (answer['notGrantedBy'] as Json[]).map((g) => ({ ...g, effect: 'does not grant', why: str(g['reason']).replace(/^[^:]*: /, '') }));
  const principal = asObject(answer['principal']);
  const who = principal['exists'] === true ? `${str(principal['id'])} (${str(principal['displayName'])})` : `${str(principal['id'])} (no such principal: its assignments are orphaned)`;
  const lines = [`${answer['allowed'] === true ? 'Allowed' : 'Denied'}: ${who}, ${answer['actionType'] === 'DataAction' ? 'data action' : 'action'} ${str(answer['action'])} at ${str(answer['scope'])}`, ''];
  const table = renderTable([...grants, ...others], [
    { header: 'Effect', value: (r: Json) => r['effect'] },
    { header: 'Role', value: (r: Json) => r['roleName'] ?? `(unknown role ${str(r['roleDefinitionId'])})` },
    { header: 'AssignmentScope', value: (r: Json) => r['roleAssignmentScope'] },
    { header: 'Why', value: (r: Json) => r['why'] },
    { header: 'Assignment', value: (r: Json) => r['roleAssignmentId'] },
  ]);
  lines.push(table === '' ? 'No role assignment at or above that scope.\n' : table);
  const fix = answer['fix'];
  if (answer['allowed'] !== true) lines.push(fix === null ? 'No built-in role grants it.' : `Fix (the narrowest built-in role, ${str(asObject(fix)['roleName'])}):\n  ${str(asObject(fix)['command'])}`, '');
  return lines.join('\n');
}

/** One row per granting assignment, holders first, then those who can grant themselves. */
function renderWhoCan(answer: Json): string {
  const rows: Json[] = [];
  for (const [list, via] of [[answer['value'], 'holds it'], [answer['canGrantThemselves'], 'can grant itself']] as const) {
    for (const p of list as Json[]) for (const g of p['grantedBy'] as Json[]) rows.push({ ...p, ...g, via });
  }
  if (rows.length === 0) return 'Nobody holds it, and nobody can grant it there.\n';
  return renderTable(rows, [
    { header: 'Principal', value: (r: Json) => r['principalId'] },
    { header: 'Name', value: (r: Json) => (r['orphaned'] === true ? '(deleted: orphaned assignment)' : r['displayName']) },
    { header: 'Access', value: (r: Json) => r['via'] },
    { header: 'Role', value: (r: Json) => r['roleName'] },
    { header: 'AssignmentScope', value: (r: Json) => r['roleAssignmentScope'] },
    { header: 'Pattern', value: (r: Json) => r['matchedPattern'] },
  ]);
}

/** The table form is this command's own (a verdict, a table, a fix); every other format is the API's answer, as printResult renders it. */
function printAnswer(ctx: CommandContext, answer: Json, table: (answer: Json) => string): void {
  if (ctx.format === 'table') process.stdout.write(table(answer));
  else printResult(ctx, answer, [answer], []);
}

export function registerRoleAccessCommands(role: Command): void {
  leaf(role, 'check', 'Whether a principal may perform an action at a scope, and why (or the narrowest role that would let it).')
    .requiredOption('--assignee <principal>', 'object id, client id, or display name of the principal')
    .option('--scope <scope>', 'ARM id of the scope (subscription, group or resource); implied by --deployment')
    .option('--action <action>', 'a control-plane action, e.g. Microsoft.CognitiveServices/accounts/listKeys/action')
    .option('--data-action <action>', 'a data action, e.g. Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action')
    .option('--deployment <url-or-name>', "a deployment: its data-plane URL, or account/deployment (the check is at its account, as the data plane's)")
    .option('--operation <operation>', `with --deployment: ${Object.keys(OPERATION_DATA_ACTIONS).join(', ')}`)
    .action(
      run(async (ctx, o: CheckOptions) => {
        const { scope, body } = await question(ctx, o);
        const principal = await resolvePrincipal(ctx, o.assignee);
        const answer = asObject((await ctx.client().request('POST', `${scope}/providers/Keyless/checkAccess`, API, { principalId: principal.objectId, ...body })).body);
        printAnswer(ctx, answer, renderCheck);
      }),
    );

  leaf(role, 'who-can', 'Every principal that may perform an action at a scope (orphaned assignments included), and those that can grant it to themselves.')
    .requiredOption('--scope <scope>', 'ARM id of the scope')
    .option('--action <action>', 'a control-plane action')
    .option('--data-action <action>', 'a data action')
    .action(
      run(async (ctx, o: { scope: string; action?: string; dataAction?: string }) => {
        if ((o.action === undefined) === (o.dataAction === undefined)) throw new UsageError('give exactly one of --action and --data-action.');
        const scope = requireArmPath('--scope', o.scope);
        const body = o.action !== undefined ? { action: o.action } : { dataAction: o.dataAction };
        const answer = asObject((await ctx.client().request('POST', `${scope}/providers/Keyless/whoCan`, API, body)).body);
        printAnswer(ctx, answer, renderWhoCan);
      }),
    );
}
