/** `keyless signing-key rotate [--emergency]`: roll the authority's signing keys. */
import type { Command } from 'commander';
import { asObject, subscriptionPath } from '../arm.js';
import { nounCommand, run } from '../context.js';
import { printResult } from '../output.js';
import { leaf } from '../resources.js';

interface Rotation {
  emergency: boolean;
  current: string;
  next: string;
  revoked: string[];
}

export function registerSigningKeyCommands(program: Command): void {
  const noun = nounCommand(program, 'signing-key', "The authority's token signing keys.");
  leaf(noun, 'rotate', 'Promote the next key and publish a new next one; --emergency revokes every key published so far.')
    .option('--emergency', "revoke every published key at once and replace the workload issuer's key: every token issued so far stops working (apps must get new tokens)")
    .action(
      run(async (ctx, o: { emergency?: boolean }) => {
        const query = o.emergency ? '?emergency=true' : '';
        const path = `${subscriptionPath(ctx.client().runtime.subscriptionId)}/providers/Keyless/signingKeys/rotate${query}`;
        const result = asObject((await ctx.client().request('POST', path, '2026-01-01')).body) as unknown as Rotation;
        printResult(ctx, result, [result], [
          { header: 'Current', value: (r: Rotation) => r.current },
          { header: 'Next', value: (r: Rotation) => r.next },
          { header: 'Revoked', value: (r: Rotation) => r.revoked.length },
          { header: 'Emergency', value: (r: Rotation) => (r.emergency ? 'yes' : 'no') },
        ]);
      }),
    );
}
