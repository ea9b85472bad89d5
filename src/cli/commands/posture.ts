/** `keyless posture`: what is loose in the subscription, with why it matters and the commands that fix it. */
import { InvalidArgumentError, type Command } from 'commander';
import { asObject, listValue, subscriptionPath, type Json } from '../arm.js';
import { run, withCommonOptions } from '../context.js';
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
];

export function registerPostureCommand(program: Command): void {
  withCommonOptions(program.command('posture').description("Findings on the subscription's access: severity, resource, why it matters, and the fix commands."))
    .option('--fail-on <severity>', `exit ${POSTURE_FAILED_EXIT_CODE} when a finding is at or above this severity (high or medium)`, parseFailOn)
    .option('--max-key-age <days>', 'report account keys older than this many days (default 90)', parsePositiveInt)
    .action(
      run(async (ctx, o: { failOn?: 'high' | 'medium'; maxKeyAge?: number }) => {
        const query = o.maxKeyAge === undefined ? '' : `?maxKeyAgeDays=${o.maxKeyAge}`;
        const report = asObject((await ctx.client().request('GET', `${subscriptionPath(subscriptionOf(ctx))}/providers/Keyless/posture${query}`, API)).body);
        const findings = listValue(report);
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
