/** `keyless drill leak`: what an attacker holding one leaked item can do, and whether the remediation ends it. */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ADMIN_CREDENTIAL_FILE, readCredential } from '../../setup/admin-credential.js';
import { API_VERSIONS, asObject, resourcePath, subscriptionPath } from '../arm.js';
import { nounCommand, run, type CommandContext } from '../context.js';
import { ArmResponseError, CliError, UsageError } from '../errors.js';
import { printResult, type Column } from '../output.js';
import { leaf } from '../resources.js';
import { attack, type Attempt } from '../drill/attack.js';
import { readEstate, type Estate } from '../drill/estate.js';
import { tokenExpiry, type Holdings } from '../drill/holdings.js';
import { Outsider } from '../drill/outsider.js';
import { planRemediation, type RemediationStep } from '../drill/remediation.js';

const ADMIN_API = '2026-01-01';

/** The exit code of `--remediate` when something still works after the remediation. */
export const DRILL_STILL_OPEN_EXIT_CODE = 3;

interface LeakOptions {
  key?: string;
  clientId?: string;
  clientSecret?: string;
  secretFile?: string;
  secretEnv?: string;
  token?: string;
  remediate?: boolean;
}

interface Row {
  readonly phase: string;
  readonly attempt: string;
  readonly target: string;
  readonly outcome: string;
  readonly lasts: string;
}

const COLUMNS: readonly Column<Row>[] = [
  { header: 'Phase', value: (r) => r.phase },
  { header: 'Attempt', value: (r) => r.attempt },
  { header: 'Target', value: (r) => r.target },
  { header: 'Outcome', value: (r) => r.outcome },
  { header: 'For how long', value: (r) => r.lasts },
];

export function registerDrillCommands(program: Command): void {
  const drill = nounCommand(program, 'drill', 'Rehearse incidents against this Keyless, through its public surfaces only.');
  leaf(drill, 'leak', 'Try what an attacker holding one leaked item can do from outside every host; with --remediate, end it and try again.')
    .option('--key <account>', 'a leaked account key: ACCOUNT[/key1|key2] (default key1)')
    .option('--client-id <id>', 'a leaked client id (of an application or a managed identity), alone')
    .option('--client-secret <appId>', "a leaked client secret of this application; its value from --secret-file or --secret-env, never the command line")
    .option('--secret-file <file>', 'file holding the leaked client secret (first line)')
    .option('--secret-env <variable>', 'environment variable holding the leaked client secret')
    .option('--token <file>', 'file holding a leaked access token')
    .option('--remediate', 'apply the remediation through the API (regenerate, remove the secret, emergency signing-key rotation), then try everything again')
    .action(run(async (ctx, o: LeakOptions) => leakDrill(ctx, o)));
}

async function leakDrill(ctx: CommandContext, o: LeakOptions): Promise<void> {
  const given = [o.key, o.clientId, o.clientSecret, o.token].filter((v) => v !== undefined).length;
  if (given !== 1) throw new UsageError('give exactly one of --key, --client-id, --client-secret and --token.');
  const estate = await readEstate(ctx);
  const { item, target, held, leakedKey, notes } = await leakedItem(ctx, estate, o);
  const client = ctx.client();
  const base = `${subscriptionPath(client.runtime.subscriptionId)}/providers/Keyless/drills`;
  const { drillId } = asObject((await client.request('POST', `${base}/start`, ADMIN_API, { item, target })).body) as { drillId: string };
  const outsider = new Outsider(client.runtime, drillId);
  let ended = false;
  try {
    const before = await attack(outsider, estate, held, Date.now);
    const attemptsBefore = [...notes, ...before.attempts];
    const steps = await planRemediation(ctx, before.gained, before.attempts, leakedKey);
    let after: Attempt[] | undefined;
    if (o.remediate) {
      for (const step of steps) await step.apply(ctx);
      after = (await attack(outsider, estate, before.gained, Date.now)).attempts;
    }
    const worked = (list: readonly Attempt[]) => list.filter((a) => a.worked).length;
    const summary = `${item} ${target}: ${worked(attemptsBefore)} of ${attemptsBefore.length} attempts worked` +
      (after === undefined ? '; not remediated' : `; remediated (${steps.map((s) => s.command).join('; ') || 'nothing to do'}); afterwards ${worked(after)} of ${after.length} worked`);
    await client.request('POST', `${base}/end`, ADMIN_API, { drillId, summary });
    ended = true;
    report(ctx, { drillId, item, target, before: attemptsBefore, steps, after });
    if (after !== undefined && worked(after) > 0) {
      process.stderr.write(`drill: ${worked(after)} attempt(s) still work after the remediation\n`);
      process.exitCode = DRILL_STILL_OPEN_EXIT_CODE;
    }
  } catch (error) {
    // The audit says the drill stopped, and why (network and API errors name no secret).
    if (!ended) await client.request('POST', `${base}/end`, ADMIN_API, { drillId, summary: `aborted: ${(error as Error).message}`.slice(0, 4096) }).catch(() => undefined);
    throw error;
  } finally {
    outsider.close();
  }
}

interface Leaked {
  item: 'key' | 'clientId' | 'clientSecret' | 'token';
  /** Names the item for the audit; never its value. */
  target: string;
  held: Holdings;
  leakedKey?: { group: string; account: string; keyName: 'key1' | 'key2' };
  /** Rows for what could not even be tried (a key of an account that refuses keys). */
  notes: Attempt[];
}

async function leakedItem(ctx: CommandContext, estate: Estate, o: LeakOptions): Promise<Leaked> {
  if (o.key !== undefined) return leakedKey(ctx, estate, o.key);
  if (o.clientId !== undefined) return { item: 'clientId', target: o.clientId, held: { keys: [], tokens: [], clientId: o.clientId }, notes: [] };
  if (o.clientSecret !== undefined) {
    if ((o.secretFile === undefined) === (o.secretEnv === undefined)) throw new UsageError('--client-secret needs the value from exactly one of --secret-file FILE and --secret-env VARIABLE.');
    const value = o.secretFile !== undefined ? readFirstLine(o.secretFile, 'secret') : process.env[o.secretEnv ?? ''];
    if (value === undefined || value === '') throw new UsageError(`the environment variable ${o.secretEnv ?? ''} is not set or empty.`);
    // Removing the admin's secret would leave this CLI unable to sign in until Keyless restarts.
    if (o.remediate && readCredential(path.join(ctx.dataDir, ADMIN_CREDENTIAL_FILE))?.clientId.toLowerCase() === o.clientSecret.toLowerCase()) {
      throw new CliError(`${o.clientSecret} is Keyless's own admin application, whose secret the CLI signs in with: drill it without --remediate.`);
    }
    return { item: 'clientSecret', target: o.clientSecret, held: { keys: [], tokens: [], secret: { appId: o.clientSecret, value } }, notes: [] };
  }
  const value = readFirstLine(o.token ?? '', 'token');
  return { item: 'token', target: `token file ${o.token ?? ''}`, held: { keys: [], tokens: [{ value, source: 'token from the file', exp: tokenExpiry(value) }] }, notes: [] };
}

/** The key's value, as the leak would have it: read with the operator's own listKeys. */
async function leakedKey(ctx: CommandContext, estate: Estate, spec: string): Promise<Leaked> {
  const [name = '', keyPart = 'key1', ...rest] = spec.split('/');
  const keyName = keyPart.toLowerCase();
  if (rest.length > 0 || (keyName !== 'key1' && keyName !== 'key2')) throw new UsageError(`--key '${spec}': expected ACCOUNT, ACCOUNT/key1 or ACCOUNT/key2.`);
  const account = estate.accounts.find((a) => a.name.toLowerCase() === name.toLowerCase());
  if (account === undefined) throw new CliError(`No Azure OpenAI account named '${name}' in the subscription.`);
  const leaked = { group: account.group, account: account.name, keyName: keyName as 'key1' | 'key2' };
  const target = `${account.name}/${keyName}`;
  try {
    const path = `${resourcePath(ctx.client().runtime.subscriptionId, account.group, 'Microsoft.CognitiveServices/accounts', account.name)}/listKeys`;
    const value = asObject((await ctx.client().request('POST', path, API_VERSIONS.cognitive)).body)[keyName];
    if (typeof value !== 'string') throw new CliError(`listKeys of '${account.name}' did not return ${keyName}.`);
    return { item: 'key', target, held: { keys: [{ account: account.id, accountName: account.name, group: account.group, keyName: leaked.keyName, value }], tokens: [] }, leakedKey: leaked, notes: [] };
  } catch (error) {
    if (!(error instanceof ArmResponseError && error.status === 400)) throw error;
    // disableLocalAuth: no key can be read, and none would be accepted.
    const note: Attempt = { attempt: `use ${keyName} of ${account.name}`, target: account.name, worked: false, outcome: 'refused: the account refuses keys (disableLocalAuth)', lasts: '' };
    return { item: 'key', target, held: { keys: [], tokens: [] }, notes: [note] };
  }
}

function readFirstLine(file: string, what: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read the ${what} file ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  const line = text.split(/\r?\n/)[0]?.trim() ?? '';
  if (line === '') throw new CliError(`The ${what} file ${file} is empty.`);
  return line;
}

function report(ctx: CommandContext, r: { drillId: string; item: string; target: string; before: Attempt[]; steps: RemediationStep[]; after: Attempt[] | undefined }): void {
  const json = {
    drillId: r.drillId,
    item: r.item,
    target: r.target,
    before: r.before,
    remediation: r.steps.map((s) => ({ command: s.command, why: s.why })),
    remediated: r.after !== undefined,
    ...(r.after !== undefined && { after: r.after }),
  };
  const rows: Row[] = [
    ...r.before.map((a) => ({ phase: 'leak', ...a })),
    ...r.steps.map((s) => ({ phase: r.after === undefined ? 'remediation (to run)' : 'remediation (applied)', attempt: s.command, target: '', outcome: '', lasts: s.why })),
    ...(r.steps.length === 0 ? [{ phase: 'remediation', attempt: 'nothing to do: nothing worked', target: '', outcome: '', lasts: '' }] : []),
    ...(r.after ?? []).map((a) => ({ phase: 'after remediation', ...a })),
  ];
  printResult(ctx, json, rows, COLUMNS);
}
