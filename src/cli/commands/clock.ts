/** `keyless clock show|advance|set|resume`: the product time of a Keyless started with `--clock controllable`. */
import type { Command } from 'commander';
import type { Json } from '../arm.js';
import { asObject, subscriptionPath } from '../arm.js';
import { nounCommand, run, type CommandContext } from '../context.js';
import { parseDuration } from '../duration.js';
import { UsageError } from '../errors.js';
import type { Column } from '../output.js';
import { printResult } from '../output.js';
import { leaf, subscriptionOf } from '../resources.js';

const API = '2026-01-01';

const COLUMNS: readonly Column<Json>[] = [
  { header: 'Now', value: (r) => r['now'] },
  { header: 'Offset', value: (r) => offsetText(Number(r['offsetMs'] ?? 0)) },
  { header: 'State', value: (r) => (r['controllable'] !== true ? 'system clock' : r['frozen'] === true ? 'frozen' : 'flowing') },
];

/** `+2h 0m 3s`: how far the controlled time is from the system's. */
function offsetText(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  let rest = Math.round(Math.abs(ms) / 1000);
  const days = Math.floor(rest / 86400);
  rest -= days * 86400;
  const text = `${Math.floor(rest / 3600)}h ${Math.floor((rest % 3600) / 60)}m ${rest % 60}s`;
  return `${sign}${days > 0 ? `${days}d ` : ''}${text}`;
}

async function clockCall(ctx: CommandContext, method: 'GET' | 'POST', action: string, body?: Json): Promise<void> {
  const path = `${subscriptionPath(subscriptionOf(ctx))}/providers/Keyless/clock${action}`;
  const result = asObject((await ctx.client().request(method, path, API, body)).body);
  printResult(ctx, result, [result], COLUMNS);
}

export function registerClockCommands(program: Command): void {
  const clock = nounCommand(program, 'clock', 'The time every surface reads, when Keyless runs with --clock controllable (for testing expiry).');
  leaf(clock, 'show', 'Show the product time, its offset from the system clock, and whether it is frozen.').action(run(async (ctx) => clockCall(ctx, 'GET', '')));
  leaf(clock, 'advance', 'Move the time forward, e.g. `keyless clock advance 2h` (tokens issued before keep their exp and expire by it).')
    .argument('<duration>', '30s, 90m, 2h, 1h30m, 7d')
    .action(run(async (ctx, _o: unknown, [duration = '']) => clockCall(ctx, 'POST', '/advance', { milliseconds: parseDuration(duration, 'the duration') })));
  leaf(clock, 'set', 'Set the time, e.g. `keyless clock set 2030-01-01T00:00:00Z`; it flows from there unless --freeze.')
    .argument('<time>', 'an ISO-8601 time with a date and a time of day')
    .option('--freeze', 'stop the time there: it moves only with `clock advance`, until `clock resume`')
    .action(
      run(async (ctx, o: { freeze?: boolean }, [time = '']) => {
        if (Number.isNaN(Date.parse(time))) throw new UsageError(`the time must be an ISO-8601 time such as 2030-01-01T00:00:00Z (got '${time}').`);
        await clockCall(ctx, 'POST', '/set', { time, freeze: o.freeze === true });
      }),
    );
  leaf(clock, 'resume', 'Return to the system clock (no offset, flowing).').action(run(async (ctx) => clockCall(ctx, 'POST', '/resume')));
}
