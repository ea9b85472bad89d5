/** `keyless cluster status`: the instances sharing this Keyless's database, with their lag. */
import type { Command } from 'commander';
import type { Json } from '../arm.js';
import { listValue, subscriptionPath } from '../arm.js';
import { nounCommand, run } from '../context.js';
import type { Column } from '../output.js';
import { printResult } from '../output.js';
import { leaf, subscriptionOf } from '../resources.js';

const API = '2026-01-01';

const COLUMNS: readonly Column<Json>[] = [
  { header: 'Instance', value: (r) => `${String(r['id'] ?? '')}${r['self'] === true ? ' (this one)' : ''}` },
  { header: 'Address', value: (r) => r['address'] },
  { header: 'State', value: (r) => (r['live'] === true ? 'live' : 'out (no heartbeat within the lease)') },
  { header: 'Heartbeat', value: (r) => `${(Number(r['heartbeatAgeMs'] ?? 0) / 1000).toFixed(1)} s ago` },
  { header: 'Applied', value: (r) => r['appliedRevision'] },
  { header: 'Lag', value: (r) => r['lag'] },
  { header: 'Started', value: (r) => r['startedAt'] },
  { header: 'Version', value: (r) => r['version'] },
];

export function registerClusterCommands(program: Command): void {
  const cluster = nounCommand(program, 'cluster', 'The Keyless instances that share this database.');
  leaf(cluster, 'status', 'List the instances with their last heartbeat and how many revisions each has yet to apply.').action(
    run(async (ctx) => {
      const path = `${subscriptionPath(subscriptionOf(ctx))}/providers/Keyless/cluster`;
      const body = (await ctx.client().request('GET', path, API)).body;
      printResult(ctx, body, listValue(body), COLUMNS);
    }),
  );
}
