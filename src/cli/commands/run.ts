/** `keyless run --as HOST -- CMD …` and `keyless env --as HOST`: code as if deployed in a web app or VM. */
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { asObject, pick, resourcePath, TYPES, API_VERSIONS } from '../arm.js';
import type { CommandContext } from '../context.js';
import { nounCommand, run } from '../context.js';
import { ArmResponseError, CliError, UsageError } from '../errors.js';
import { subscriptionOf } from '../resources.js';
import { hostEnv, removedNames } from '../host-environment.js';
import { WorkloadToken } from '../workload-token.js';

interface AsFlags {
  readonly as: string;
  readonly resourceGroup?: string;
  readonly data?: string;
}

interface RunFlags {
  readonly as?: string;
  readonly asWorkload?: string;
  readonly clientId?: string;
  readonly audience?: string;
  readonly resourceGroup?: string;
  readonly data?: string;
}

const HOSTS = [
  { type: TYPES.site, apiVersion: API_VERSIONS.web },
  { type: TYPES.vm, apiVersion: API_VERSIONS.compute },
] as const;

/** Finds the host (a resource id, or a name with -g: a web app, else a VM) and asks Keyless for its identity variables. */
async function hostVariables(ctx: CommandContext, flags: AsFlags): Promise<Record<string, string>> {
  const target = await resolveHost(ctx, flags);
  const res = await ctx.client().request('POST', `${target.path}/listIdentityEnvironment`, target.apiVersion);
  const variables = pick(asObject(res.body), 'variables');
  if (typeof variables !== 'object' || variables === null) throw new CliError('Keyless answered without host variables.');
  return variables as Record<string, string>;
}

async function resolveHost(ctx: CommandContext, flags: AsFlags): Promise<{ path: string; apiVersion: string }> {
  if (flags.as.startsWith('/')) {
    const host = HOSTS.find((h) => flags.as.toLowerCase().includes(`/providers/${h.type.toLowerCase()}/`));
    if (!host) throw new UsageError(`--as '${flags.as}' is not the id of a web app (Microsoft.Web/sites) or VM (Microsoft.Compute/virtualMachines).`);
    return { path: flags.as, apiVersion: host.apiVersion };
  }
  if (!flags.resourceGroup) throw new UsageError('--as NAME needs -g RESOURCE_GROUP (or give the resource id).');
  const found: { path: string; apiVersion: string }[] = [];
  for (const host of HOSTS) {
    const path = resourcePath(subscriptionOf(ctx), flags.resourceGroup, host.type, flags.as);
    try {
      await ctx.client().request('GET', path, host.apiVersion);
      found.push({ path, apiVersion: host.apiVersion });
    } catch (error) {
      if (!(error instanceof ArmResponseError) || error.status !== 404) throw error;
      if ((error.body as { error?: { code?: string } } | undefined)?.error?.code === 'ResourceGroupNotFound') throw error;
    }
  }
  if (found.length === 0) throw new CliError(`No web app or VM named '${flags.as}' in resource group '${flags.resourceGroup}'.`);
  if (found.length > 1) throw new UsageError(`Both a web app and a VM are named '${flags.as}'; give the resource id with --as.`);
  return found[0] as { path: string; apiVersion: string };
}

export function registerRunCommands(program: Command): void {
  nounCommand(program, 'run', 'Run a command as if deployed in a web app or VM (its managed identity endpoint), or as a Kubernetes-style workload (a federated token file): no secret in your code.')
    .option('--as <host>', 'web app or VM: a name (with -g) or a resource id')
    .option('-g, --resource-group <name>', 'resource group of the host')
    .option('--as-workload <namespace/serviceaccount>', 'run as this workload: a projected token from the built-in workload issuer')
    .option('--client-id <id>', 'with --as-workload: the application or user-assigned identity whose federated credential trusts it')
    .option('--audience <audience>', 'with --as-workload: the token audience', 'api://AzureADTokenExchange')
    .option('--data <dir>', 'data folder of the running Keyless')
    .argument('<command...>', 'the command to run, after --')
    .passThroughOptions()
    .action(async (command: string[], _opts: RunFlags, cmd: Command) => {
      let env: NodeJS.ProcessEnv | undefined;
      let workload: WorkloadToken | undefined;
      await run<RunFlags>(async (ctx, flags) => {
        if ((flags.as === undefined) === (flags.asWorkload === undefined)) throw new UsageError('Give exactly one of --as HOST and --as-workload NAMESPACE/SERVICEACCOUNT.');
        if (flags.as !== undefined) {
          const variables = await hostVariables(ctx, { as: flags.as, ...(flags.resourceGroup ? { resourceGroup: flags.resourceGroup } : {}) });
          env = hostEnv(process.env, variables, ctx.client().runtime.caPath, ctx.dataDir);
          return;
        }
        if (!flags.clientId) throw new UsageError('--as-workload needs --client-id CLIENT_ID.');
        workload = await WorkloadToken.start(ctx, flags.asWorkload ?? '', flags.audience ?? 'api://AzureADTokenExchange');
        env = hostEnv(process.env, workload.variables(flags.clientId, ctx.client().runtime.baseUrl), ctx.client().runtime.caPath, ctx.dataDir);
      })(cmd.opts() as RunFlags, cmd);
      if (env === undefined) return;
      try {
        await runChild(command, env);
      } finally {
        workload?.stop();
      }
    });

  nounCommand(program, 'env', 'Print the environment of a web app or VM as shell lines, for shells and IDEs.')
    .requiredOption('--as <host>', 'web app or VM: a name (with -g) or a resource id')
    .option('-g, --resource-group <name>', 'resource group of the host')
    .option('--data <dir>', 'data folder of the running Keyless')
    .action(
      run(async (ctx, flags: AsFlags) => {
        const variables = await hostVariables(ctx, flags);
        const env = hostEnv({}, variables, ctx.client().runtime.caPath, ctx.dataDir);
        const lines = removedNames(process.env).map((name) => `unset ${name}`);
        for (const [name, value] of Object.entries(env)) lines.push(`export ${name}=${shellQuote(value ?? '')}`);
        process.stdout.write(`${lines.join('\n')}\n`);
      }),
    );
}

/** Runs the command with stdio, signals and the exit status passed through. */
function runChild(command: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const [file, ...args] = command;
  if (file === undefined) {
    process.stderr.write('ERROR: no command given after --\n');
    process.exitCode = 2;
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const child = spawn(file, args, { env, stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((signal) => {
      const handler = forward(signal);
      process.on(signal, handler);
      return [signal, handler] as const;
    });
    child.on('error', (error) => {
      process.stderr.write(`ERROR: cannot run ${file}: ${error.message}\n`);
      process.exitCode = 127;
      resolve();
    });
    child.on('exit', (code, signal) => {
      for (const [name, handler] of handlers) process.off(name, handler);
      if (signal) {
        // Die of the same signal, so the caller sees what the command saw.
        process.kill(process.pid, signal);
        return;
      }
      process.exitCode = code ?? 1;
      resolve();
    });
  });
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
