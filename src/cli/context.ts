import path from 'node:path';
import { Option } from 'commander';
import type { Command, CommanderError } from 'commander';
import { defaultDataDir } from '../runtime/data-dir.js';
import { KeylessClient } from './client.js';
import { ArmResponseError, CliError } from './errors.js';
import type { OutputFormat, OutputOptions } from './output.js';
import { OUTPUT_FORMATS, renderJson } from './output.js';
import { parseQuery, type Query } from './query.js';

/** What every client command's action gets: the output format and query, the data folder, and a lazily connected client. */
export interface CommandContext extends OutputOptions {
  readonly format: OutputFormat;
  readonly query: Query | undefined;
  readonly dataDir: string;
  client(): KeylessClient;
}

/**
 * A top-level noun (`group`, `openai`, …). Its subcommands inherit the exit
 * override: flag errors are one line and exit 2 as az's do (commander would
 * exit 1); help exits 0.
 */
export function nounCommand(program: Command, name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .showHelpAfterError(false)
    .exitOverride((error: CommanderError) => {
      // Commander exits right after this callback; only the code changes.
      process.exit(error.exitCode === 0 ? 0 : 2);
    });
}

/** Adds az's global options to a leaf command: `-o/--output`, `--query`, `--only-show-errors`, and Keyless's `--data`. */
export function withCommonOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .option('--query <jmespath>', 'JMESPath query applied to the result (http://jmespath.org/)', parseQuery)
    .option('--only-show-errors', 'accepted for az compatibility; Keyless prints no warnings on the client side')
    .option('--data <dir>', 'data folder of the running Keyless (default: $KEYLESS_DATA, else ~/.local/share/keyless)');
}

/** Adds az's `--no-wait`: it matters when Keyless runs with --async-operations (accounts and deployments); otherwise every operation has finished when the response comes. */
export function withNoWait(cmd: Command): Command {
  return cmd.option('--no-wait', 'do not wait for a long-running operation to finish (keyless up --async-operations); prints nothing then, as az');
}

/**
 * Wraps an async action: builds the context, prints errors as one line,
 * and sets process.exitCode (1 for server and network failures, 2 for usage).
 */
export function run<O>(handler: (ctx: CommandContext, opts: O, args: readonly string[]) => Promise<void>): (...params: unknown[]) => Promise<void> {
  // commander passes the positional arguments first, then the options, then the command.
  return async (...params: unknown[]) => {
    const cmd = params[params.length - 1] as Command;
    const format = resolveOutput(cmd);
    let client: KeylessClient | undefined;
    const ctx: CommandContext = {
      format,
      query: fromChain(cmd, 'query') as Query | undefined,
      dataDir: resolveDataDir(cmd),
      client: () => (client ??= KeylessClient.connect(ctx.dataDir)),
    };
    try {
      await handler(ctx, cmd.opts() as O, cmd.args);
    } catch (error) {
      reportError(error, format);
    } finally {
      client?.close();
    }
  };
}

function reportError(error: unknown, format: OutputFormat): void {
  if (error instanceof ArmResponseError && (format === 'json' || format === 'jsonc') && typeof error.body === 'object' && error.body !== null) {
    process.stdout.write(renderJson(error.body));
  }
  if (error instanceof CliError) {
    process.stderr.write(`${error.plain ? '' : 'ERROR: '}${oneLine(error.message)}\n`);
  } else {
    process.stderr.write(`ERROR: ${oneLine(error instanceof Error ? error.message : String(error))}\n`);
  }
  process.exitCode = error instanceof CliError ? error.exitCode : 1;
}

const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, ' ');

/** The command's own --data, else one given to an ancestor (e.g. the program's global option), else the default. */
function resolveDataDir(cmd: Command): string {
  const given = fromChain(cmd, 'data');
  return typeof given === 'string' && given.length > 0 ? path.resolve(given) : defaultDataDir();
}

function resolveOutput(cmd: Command): OutputFormat {
  const given = fromChain(cmd, 'output');
  return OUTPUT_FORMATS.find((format) => format === given) ?? 'table';
}

/** The first value set on the command line or by env, walking leaf to root; else the first default found. */
function fromChain(cmd: Command, key: string): unknown {
  let fallback: unknown;
  for (let c: Command | null = cmd; c; c = c.parent) {
    const value: unknown = c.opts()[key];
    if (value === undefined) continue;
    const source = c.getOptionValueSource(key);
    if (source === 'cli' || source === 'env') return value;
    fallback ??= value;
  }
  return fallback;
}
