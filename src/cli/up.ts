import type { Command } from 'commander';
import type { RawUpOptions } from '../config/options.js';
import { KeylessError } from '../shared/errors.js';

/** How long a clean shutdown may take before the process exits anyway. */
const STOP_DEADLINE_MS = 10_000;

export function registerUpCommand(program: Command): void {
  program
    .command('up')
    .description('Run Keyless: the authority, the control plane and the data plane (HTTPS), and the managed identity endpoints (HTTP, loopback)')
    .option('--data <dir>', 'data folder (default $KEYLESS_DATA, else ${XDG_DATA_HOME:-~/.local/share}/keyless)')
    .option('--host <host>', 'address of the HTTPS listener', '127.0.0.1')
    .option('--port <port>', 'HTTPS port (0 picks a free one)', '8443')
    .option('--identity-port <port>', 'managed identity endpoint port, plain HTTP on loopback (0 picks a free one)', '8080')
    .option('--identity-host <host>', 'move the managed identity listener off loopback (not recommended)')
    .option('--database <url>', 'keep state in PostgreSQL (postgres://…) instead of SQLite in the data folder')
    .option('--redis <url>', 'count quotas in Redis (redis://…), shared by every instance; without it each instance counts alone')
    .option('--kek-file <file>', 'key-encryption key file (default: KEYLESS_KEK, else DIR/kek)')
    .option('--app-token-lifetime <seconds>', 'fixed lifetime of application tokens (default: random 60–90 minutes, as Entra)')
    .option('--identity-token-lifetime <seconds>', 'lifetime of managed identity tokens (default 86400, about 24 h as Azure)')
    .option('--identity-throttle', "apply Azure's managed identity limits: 20 requests/s and 5 concurrent per host, then 429")
    .option('--strict-revocation', 'refuse tokens of deleted identities at once (Azure honours them until they expire)')
    .option('--token-throttle', 'throttle the token endpoint per client (20 requests/s), then 429 with Retry-After')
    .option('--public-url <url>', 'the origin clients use, https://NAME[:PORT] (behind a load balancer or on a name other than localhost; default KEYLESS_PUBLIC_URL)')
    .option('--tls-cert <file>', 'serve this PEM certificate chain instead of the generated localhost certificate, with --tls-key (default KEYLESS_TLS_CERT)')
    .option('--tls-key <file>', 'the PEM private key of --tls-cert (default KEYLESS_TLS_KEY)')
    .option('--federated-issuer <url...>', 'trust tokens of this external issuer in federated credentials (HTTPS, public addresses only)')
    .option('--lease <seconds>', 'with other instances on one database: how long this one may go unconfirmed before it fences itself (503) and writes stop waiting for it (default 5)')
    .option('--clock <mode>', "system (default) or controllable: product time (token times, expiry, windows, audit) then follows `keyless clock`, for tests; not with --database", 'system')
    .option('--async-operations', "answer creates and deletes of Cognitive Services accounts and deployments as Azure's long-running operations: 201/202, Azure-AsyncOperation, provisioningState Creating/Deleting (default KEYLESS_ASYNC_OPERATIONS)")
    .option('--async-delay <seconds>', 'with --async-operations: how long each operation runs, decimals allowed, 0 to 600 (default KEYLESS_ASYNC_DELAY, else 2)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent', 'warn')
    .action(async (raw: RawUpOptions) => {
      try {
        await up(raw);
      } catch (error) {
        process.stderr.write(`keyless: ${error instanceof KeylessError ? error.message : String((error as Error)?.message ?? error)}\n`);
        process.exitCode = 1;
      }
    });
}

async function up(raw: RawUpOptions): Promise<void> {
  // Loaded here, not at the top: the client commands should not pay for the server's modules.
  const { parseUpOptions } = await import('../config/options.js');
  const { startKeyless } = await import('../app.js');
  const options = parseUpOptions(raw);
  const running = await startKeyless(options);
  const { info } = running;
  const out = process.stdout;
  out.write(`Keyless ready (pid ${info.pid})\n`);
  out.write(`  authority, control plane, data plane: ${info.baseUrl}\n`);
  out.write(`  managed identity endpoints:           ${info.identityUrl}\n`);
  out.write(`  portal:                               ${info.baseUrl.replace(/\/+$/, '')}/portal/ (sign in with \`keyless portal\`)\n`);
  out.write(`  tenant:       ${info.tenantId}\n`);
  out.write(`  subscription: ${info.subscriptionId}\n`);
  out.write(`  data folder:  ${info.dataDir}\n`);
  if (options.asyncOperations) out.write(`  operations:   asynchronous, ${options.asyncDelayMs / 1000} s each (Azure-AsyncOperation)\n`);
  if (options.clock === 'controllable') out.write('  clock:        controllable (keyless clock show|advance|set|resume)\n');
  if (options.publicUrl !== undefined) out.write(`  listening on: https://${info.host.includes(':') ? `[${info.host}]` : info.host}:${info.port}\n`);
  // The last line: what clients add to their trust, or why nothing is needed.
  if (info.caPath !== undefined) out.write(`export NODE_EXTRA_CA_CERTS=${info.caPath}\n`);
  else out.write(`# ${options.tls?.certFile ?? 'the certificate'} is issued by a CA outside the file: clients need no NODE_EXTRA_CA_CERTS if they already trust it\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const deadline = setTimeout(() => {
      process.stderr.write(`keyless: did not stop within ${STOP_DEADLINE_MS / 1000} s after ${signal}; exiting.\n`);
      process.exit(1);
    }, STOP_DEADLINE_MS);
    deadline.unref();
    running.stop().then(
      () => {
        process.stderr.write(`Keyless stopped (${signal}).\n`);
        process.exitCode = 0;
      },
      (error: unknown) => {
        process.stderr.write(`keyless: error while stopping: ${String(error)}\n`);
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
