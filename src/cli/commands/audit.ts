/** `keyless audit list`: authentication and authorization decisions (the control plane's denials among them), newest first. */
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import type { Json } from '../arm.js';
import { listValue, subscriptionPath } from '../arm.js';
import { nounCommand, run } from '../context.js';
import { UsageError } from '../errors.js';
import { parsePositiveInt, requireArmPath } from '../flags.js';
import type { Column } from '../output.js';
import { printResult } from '../output.js';
import { leaf, subscriptionOf } from '../resources.js';

const API = '2026-01-01';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since`: a duration back from `now` (30s, 15m, 2h, 1d) or an ISO time; either way an ISO time. */
export function parseSince(value: string, now: number = Date.now()): string {
  const v = value.trim();
  const duration = /^(\d+)\s*([smhd])$/i.exec(v);
  if (duration) {
    const unit = UNIT_MS[(duration[2] ?? '').toLowerCase()] ?? 0;
    return new Date(now - Number(duration[1]) * unit).toISOString();
  }
  const ms = /^\d{4}-\d{2}-\d{2}/.test(v) ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(ms)) throw new InvalidArgumentError(`expected an ISO time or a duration such as 15m, 2h or 1d, got '${value}'.`);
  return new Date(ms).toISOString();
}

/** The Principal cell: the principal id, or `key1@account` for a key-authenticated call. */
export function principalCell(r: Json): string {
  const keyName = r['keyName'];
  if (typeof keyName === 'string' && keyName.length > 0) {
    const account = typeof r['account'] === 'string' ? r['account'].replace(/\/+$/, '').split('/').pop() : undefined;
    return account ? `${keyName}@${account}` : keyName;
  }
  return typeof r['principalId'] === 'string' ? r['principalId'] : '';
}

const COLUMNS: readonly Column<Json>[] = [
  { header: 'Time', value: (r) => r['at'] },
  { header: 'Decision', value: (r) => r['decision'] },
  { header: 'Surface', value: (r) => r['surface'] },
  { header: 'Operation', value: (r) => r['operation'] },
  { header: 'Principal', value: principalCell },
  { header: 'Deployment', value: (r) => r['deployment'] ?? '' },
  { header: 'Tokens', value: tokensCell },
  { header: 'Reason', value: (r) => r['reason'] },
];

/** With --denied: why each was refused (the explanation, when the decision had one, else the reason) and the fix. */
const DENIAL_COLUMNS: readonly Column<Json>[] = [
  { header: 'Time', value: (r) => r['at'] },
  { header: 'Surface', value: (r) => r['surface'] },
  { header: 'Operation', value: (r) => r['operation'] },
  { header: 'Principal', value: principalCell },
  { header: 'Why', value: (r) => r['explanation'] ?? r['reason'] },
  { header: 'Fix', value: (r) => r['fix'] ?? '' },
];

/** The Tokens cell: prompt+completion of an allowed model call, when it reported or was counted. */
export function tokensCell(r: Json): string {
  const prompt = r['promptTokens'];
  const completion = r['completionTokens'];
  return typeof prompt === 'number' && typeof completion === 'number' ? `${prompt}+${completion}` : '';
}

const SURFACES = ['openai', 'identity', 'entra', 'arm', 'graph', 'drill'];

function parseSurface(value: string): string {
  const v = value.trim().toLowerCase();
  if (!SURFACES.includes(v)) throw new InvalidArgumentError(`allowed values are ${SURFACES.join(', ')}, got '${value}'.`);
  return v;
}

interface ListOptions {
  since?: string;
  principal?: string;
  surface?: string;
  account?: string;
  allowed?: boolean;
  denied?: boolean;
  drill?: string;
  injected?: boolean;
  top?: number;
}

export function registerAuditCommands(program: Command): void {
  const audit = nounCommand(program, 'audit', 'The audit trail of authentication and authorization decisions.');
  leaf(audit, 'list', 'List audit records, newest first.')
    .option('--since <time>', 'only records from this ISO time, or this long ago (e.g. 15m, 2h, 1d)', (v: string) => parseSince(v))
    .option('--principal <id>', 'only records of this principal (object id)')
    .option('--surface <surface>', `only the decisions of this surface (${SURFACES.join(', ')})`, parseSurface)
    .option('--account <id>', "only the records of this account (its ARM id)", (v: string) => requireArmPath('--account', v))
    .option('--allowed', 'only allowed decisions')
    .option('--denied', 'only denials, each with why it was refused and the fix')
    .option('--drill <id>', 'only the records of this leak drill (its start and end, and the requests that carried its id)')
    .option('--injected', 'only answers injected by faults (`keyless fault add`)')
    .option('--top <n>', 'at most this many records (server default 100, at most 1000)', parsePositiveInt)
    .action(
      run(async (ctx, o: ListOptions) => {
        const query = new URLSearchParams();
        if (o.since !== undefined) query.set('since', o.since);
        if (o.principal !== undefined) query.set('principalId', o.principal);
        if (o.surface !== undefined) query.set('surface', o.surface);
        if (o.account !== undefined) query.set('account', o.account);
        if (o.allowed && o.denied) throw new UsageError('usage error: --allowed and --denied exclude each other.');
        if (o.allowed) query.set('decision', 'allowed');
        if (o.denied) query.set('denied', 'true');
        if (o.drill !== undefined) query.set('drill', o.drill);
        if (o.injected) query.set('injected', 'true');
        if (o.top !== undefined) query.set('top', String(o.top));
        const qs = query.toString();
        const path = `${subscriptionPath(subscriptionOf(ctx))}/providers/Keyless/auditRecords${qs ? `?${qs}` : ''}`;
        const records = listValue((await ctx.client().request('GET', path, API)).body);
        printResult(ctx, records, records, o.denied ? DENIAL_COLUMNS : COLUMNS);
      }),
    );
}
