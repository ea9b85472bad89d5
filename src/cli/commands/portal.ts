/** `keyless portal [--open]`: a one-time sign-in link to the web portal (POST …/providers/Keyless/signInCodes). */
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { asObject, subscriptionPath } from '../arm.js';
import { run, withCommonOptions } from '../context.js';
import { printResult } from '../output.js';
import { subscriptionOf } from '../resources.js';

const API = '2026-01-01';

/** The platform's own "open this address" command. */
function opener(): { command: string; args: string[] } {
  if (process.platform === 'darwin') return { command: 'open', args: [] };
  if (process.platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""'] };
  return { command: 'xdg-open', args: [] };
}

/** Opens the link in the default browser, without waiting for it; says so when no browser could be started. */
function openInBrowser(url: string): void {
  const { command, args } = opener();
  const child = spawn(command, [...args, url], { detached: true, stdio: 'ignore' });
  child.on('error', () => process.stderr.write(`keyless: could not start ${command}; open the link above yourself.\n`));
  child.unref();
}

export function registerPortalCommand(program: Command): void {
  withCommonOptions(program.command('portal').description('Print a one-time sign-in link to the web portal (valid 2 minutes, single use).'))
    .option('--open', 'also open the link in the default browser')
    .action(
      run(async (ctx, o: { open?: boolean }) => {
        const answer = asObject((await ctx.client().request('POST', `${subscriptionPath(subscriptionOf(ctx))}/providers/Keyless/signInCodes`, API, {})).body);
        const url = String(answer['portalUrl']);
        if (ctx.format === 'table') {
          process.stdout.write(`${url}\n`);
          process.stderr.write(`One-time sign-in link, valid until ${String(answer['expiresOn'])}; it works once. Anyone with it can act as Keyless's admin until then.\n`);
        } else {
          printResult(ctx, answer, [answer], []);
        }
        if (o.open === true) openInBrowser(url);
      }),
    );
}
