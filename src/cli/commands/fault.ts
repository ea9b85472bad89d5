/** `keyless fault add|list|clear`: make a surface fail as Azure does, to test an app's retry and fallback paths. */
import type { Command } from 'commander';
import type { Json } from '../arm.js';
import { asObject, listValue, subscriptionPath } from '../arm.js';
import { nounCommand, run, type CommandContext } from '../context.js';
import { parseDuration } from '../duration.js';
import { UsageError } from '../errors.js';
import type { Column } from '../output.js';
import { printResult } from '../output.js';
import { leaf, subscriptionOf } from '../resources.js';

const API = '2026-01-01';

const COLUMNS: readonly Column<Json>[] = [
  { header: 'Id', value: (r) => r['id'] },
  { header: 'Surface', value: (r) => r['surface'] },
  { header: 'Matches', value: (r) => matches(r) },
  { header: 'Effect', value: (r) => r['description'] },
  { header: 'Times', value: (r) => r['times'] ?? 'until cleared' },
  { header: 'Until', value: (r) => (r['expiresAt'] === null ? '' : `${String(r['expiresAt'])}${r['expired'] === true ? ' (over)' : ''}`) },
];

function matches(r: Json): string {
  const parts = [['host', r['host']], ['client-id', r['clientId']], ['deployment', r['deployment']]].filter(([, v]) => typeof v === 'string');
  return parts.length === 0 ? 'every call' : parts.map(([k, v]) => `${String(k)} ${String(v)}`).join(', ');
}

interface AddOptions {
  surface?: string;
  host?: string;
  clientId?: string;
  deployment?: string;
  status?: string;
  retryAfter?: string;
  delayMs?: string;
  aadsts?: string;
  contentFilter?: string;
  dropConnection?: boolean;
  times?: string;
  for?: string;
}

const faultsPath = (ctx: CommandContext): string => `${subscriptionPath(subscriptionOf(ctx))}/providers/Keyless/faults`;

/** A whole number flag, or a usage error naming it. */
function whole(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number (got '${value}').`);
  return Number(value);
}

export function registerFaultCommands(program: Command): void {
  const fault = nounCommand(program, 'fault', 'Failures injected into a surface (IMDS, App Service, the token endpoint, the data plane), answered as Azure answers them.');
  leaf(fault, 'add', 'Make a surface fail: one effect, optionally only for a host, client id or deployment, for N answers or a while.')
    .option('--surface <surface>', 'imds, app-service, token or data-plane')
    .option('--host <name>', 'only calls from this VM (imds) or web app (app-service)')
    .option('--client-id <id>', "only this identity's or application's client id (imds, app-service, token)")
    .option('--deployment <name>', 'only this deployment (data-plane)')
    .option('--status <status>', '429, 500 or 503 (and 410 on imds: an upgrade in progress)')
    .option('--retry-after <seconds>', 'the Retry-After the failure carries (429 carries 1 unless given)')
    .option('--delay-ms <ms>', 'answer normally, this many milliseconds late')
    .option('--aadsts <code>', 'the token endpoint answers this AADSTS error (7000215, 7000222, 7000218, 700016, 7000112, 53003, 50196, 50000, 90033)')
    .option('--content-filter <where>', 'prompt (400 content_filter) or completion (finish_reason content_filter) on the data plane')
    .option('--drop-connection', 'reset the connection without an answer')
    .option('--times <n>', 'inject this many answers, then remove the fault')
    .option('--for <duration>', 'inject for this long (product time), e.g. 30s, 5m')
    .action(
      run(async (ctx, o: AddOptions) => {
        if (o.surface === undefined) throw new UsageError('the following arguments are required: --surface');
        const body: Json = {
          surface: o.surface,
          ...(o.host !== undefined && { host: o.host }),
          ...(o.clientId !== undefined && { clientId: o.clientId }),
          ...(o.deployment !== undefined && { deployment: o.deployment }),
          ...(o.status !== undefined && { status: whole(o.status, '--status') }),
          ...(o.retryAfter !== undefined && { retryAfterSeconds: whole(o.retryAfter, '--retry-after') }),
          ...(o.delayMs !== undefined && { delayMs: whole(o.delayMs, '--delay-ms') }),
          ...(o.aadsts !== undefined && { aadsts: whole(o.aadsts.replace(/^AADSTS/i, ''), '--aadsts') }),
          ...(o.contentFilter !== undefined && { contentFilter: o.contentFilter }),
          ...(o.dropConnection === true && { dropConnection: true }),
          ...(o.times !== undefined && { times: whole(o.times, '--times') }),
          ...(o.for !== undefined && { forMs: parseDuration(o.for, '--for') }),
        };
        const added = asObject((await ctx.client().request('POST', faultsPath(ctx), API, body)).body);
        printResult(ctx, added, [added], COLUMNS);
      }),
    );
  leaf(fault, 'list', 'List the faults in force (and those whose --for is over, until cleared).').action(
    run(async (ctx) => {
      const body = (await ctx.client().request('GET', faultsPath(ctx), API)).body;
      printResult(ctx, body, listValue(body), COLUMNS);
    }),
  );
  leaf(fault, 'clear', 'Remove faults: the given ids, or all of them.')
    .option('--id <id...>', 'only these faults')
    .action(
      run(async (ctx, o: { id?: string[] }) => {
        const body = asObject((await ctx.client().request('POST', `${faultsPath(ctx)}/clear`, API, o.id === undefined ? {} : { ids: o.id })).body);
        const removed = (body['value'] as string[] | undefined) ?? [];
        printResult(ctx, body, removed.map((id) => ({ id })), [{ header: 'Removed', value: (r: Json) => r['id'] }]);
      }),
    );
}
