import { Command } from 'commander';
import { registerUpCommand } from './up.js';
import { registerClientCommands } from './commands.js';
import { registerModelCommands } from './model-serve.js';
import { hoistGlobalOptions } from './global-options.js';
import { KEYLESS_VERSION } from '../shared/version.js';

/**
 * The `keyless` command line: the server (`up`) and the az-shaped client
 * commands. A new program per parse: commander keeps parsed values on it.
 */
export function createProgram(): Command {
  const program = new Command('keyless')
    .description('Keyless: Azure OpenAI-style authentication and access (Entra ID, managed identities, RBAC, API keys), runnable anywhere')
    .showHelpAfterError()
    // `keyless run --as X -- cmd --flags` passes the command's own flags through untouched.
    .enablePositionalOptions()
    .version(`keyless ${KEYLESS_VERSION}`, '--version', 'print the version and exit')
    .exitOverride((error) => {
      // Usage errors exit 2 as az does; help and version exit 0.
      process.exit(error.exitCode === 0 ? 0 : 2);
    });
  registerUpCommand(program);
  registerClientCommands(program);
  registerModelCommands(program);
  return program;
}

/** Runs one `keyless` command line (argv as node gives it), az's global options accepted anywhere on it. */
export async function runCommandLine(argv: readonly string[]): Promise<void> {
  await createProgram().parseAsync(hoistGlobalOptions(argv));
}
