/** `keyless posture`: what is loose in the subscription, with why it matters and the commands that fix it. */
import { InvalidArgumentError, type Command } from 'commander';
import { asObject, listValue, pick, subscriptionPath, type Json } from '../arm.js';
import type { HttpMethod } from '../client.js';
import { run, withCommonOptions, type CommandContext } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { parsePositiveInt } from '../flags.js';
import { printResult, type Column } from '../output.js';
import { subscriptionOf } from '../resources.js';

const API = '2026-01-01';

/** The exit code when a finding is at or above `--fail-on` (1 is a failure to run, 2 a usage error). */
export const POSTURE_FAILED_EXIT_CODE = 3;

const RANK: Readonly<Record<string, number>> = { high: 0, medium: 1, low: 2 };

function parseFailOn(value: string): 'high' | 'medium' {
  const v = value.trim().toLowerCase();
  if (v === 'high' || v === 'medium') return v;
  throw new InvalidArgumentError(`allowed values are high and medium, got '${value}'.`);
}

const COLUMNS: readonly Column<Json>[] = [
  { header: 'Severity', value: (f) => f['severity'] },
  { header: 'Finding', value: (f) => f['code'] },
  { header: 'Resource', value: (f) => f['resource'] },
  { header: 'Summary', value: (f) => f['summary'] },
  { header: 'Why', value: (f) => f['why'] },
  { header: 'Fix', value: (f) => (Array.isArray(f['fix']) ? f['fix'].join('; ') : '') },
  { header: 'FixId', value: (f) => pick(f, 'action', 'id') ?? '' },
];

const FIXED_COLUMNS: readonly Column<Json>[] = [
  { header: 'Finding', value: (f) => f['code'] },
  { header: 'Resource', value: (f) => f['resource'] },
  { header: 'Applied', value: (f) => pick(f, 'action', 'summary') },
];

/** Sends the finding's one-call fix (its `action`) with the CLI's own sign-in, as the portal's Apply fix does. */
async function applyFix(ctx: CommandContext, findings: readonly Json[], id: string): Promise<Json> {
  const finding = findings.find((f) => pick(f, 'action', 'id') === id.trim().toLowerCase());
  if (finding === undefined) throw new CliError(`No finding has a one-call fix with id '${id}'; \`keyless posture\` lists the current ones (FixId).`);
  const action = asObject(finding['action']);
  const apiVersion = typeof action['apiVersion'] === 'string' ? action['apiVersion'] : 'v1.0';
  await ctx.client().request(String(action['method']) as HttpMethod, String(action['path']), apiVersion, action['body']);
  return finding;
}

export function registerPostureCommand(program: Command): void {
  withCommonOptions(program.command('posture').description("Findings on the subscription's access: severity, resource, why it matters, and the fix commands."))
    .option('--fail-on <severity>', `exit ${POSTURE_FAILED_EXIT_CODE} when a finding is at or above this severity (high or medium)`, parseFailOn)
    .option('--max-key-age <days>', 'report account keys older than this many days (default 90)', parsePositiveInt)
    .option('--fix <id>', "apply the one-call fix with this id (the FixId column, action.id in -o json), then print what it changed")
    .action(
      run(async (ctx, o: { failOn?: 'high' | 'medium'; maxKeyAge?: number; fix?: string }) => {
        if (o.fix !== undefined && o.failOn !== undefined) throw new UsageError('usage error: --fix and --fail-on exclude each other.');
        const query = o.maxKeyAge === undefined ? '' : `?maxKeyAgeDays=${o.maxKeyAge}`;
        const report = asObject((await ctx.client().request('GET', `${subscriptionPath(subscriptionOf(ctx))}/providers/Keyless/posture${query}`, API)).body);
        const findings = listValue(report);
        if (o.fix !== undefined) {
          const fixed = await applyFix(ctx, findings, o.fix);
          printResult(ctx, fixed, [fixed], FIXED_COLUMNS);
          return;
        }
        printResult(ctx, report, findings, COLUMNS);
        if (o.failOn === undefined) return;
        const limit = RANK[o.failOn] ?? 0;
        const failing = findings.filter((f) => (RANK[String(f['severity'])] ?? 9) <= limit).length;
        if (failing > 0) {
          process.stderr.write(`posture: ${failing} finding(s) at or above ${o.failOn}\n`);
          process.exitCode = POSTURE_FAILED_EXIT_CODE;
        }
      }),
    );
}
