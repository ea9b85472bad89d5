import type { Command } from 'commander';
import type { AddressInfo } from 'node:net';
import { UsageError } from './errors.js';

/** `keyless model serve`: the built-in simulator alone, as an OpenAI-compatible server on plain HTTP. */
export function registerModelCommands(program: Command): void {
  const model = program.command('model').description('The built-in simulator model');
  model
    .command('serve')
    .description('Serve the simulator alone as an OpenAI-compatible API (/v1/chat/completions, /v1/completions, /v1/embeddings, /v1/responses, /v1/models), with no authentication')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0 picks a free one)', '8000')
    .action(async (o: { host: string; port: string }) => {
      const port = Number(o.port);
      if (!/^\d+$/.test(o.port) || port > 65535) {
        process.stderr.write(`keyless: ${new UsageError(`--port must be a port number, not '${o.port}'.`).message}\n`);
        process.exitCode = 2;
        return;
      }
      // Loaded here: the other commands should not pay for the model's modules.
      const { createModelServer } = await import('../surfaces/model-server/index.js');
      const { createSimulatorBackend } = await import('../models/index.js');
      const backend = createSimulatorBackend();
      const server = createModelServer(backend, Date.now, backend.stored);
      server.on('error', (error: NodeJS.ErrnoException) => {
        process.stderr.write(`keyless: cannot listen on ${o.host}:${o.port} (${error.code ?? error.message}).\n`);
        process.exitCode = 1;
      });
      server.listen(port, o.host, () => {
        const { port: bound } = server.address() as AddressInfo;
        const host = o.host.includes(':') ? `[${o.host}]` : o.host;
        process.stdout.write(`Keyless model server ready (pid ${process.pid}): http://${host}:${bound}/v1\n`);
      });
      const stop = () => {
        server.close(() => process.stderr.write('Keyless model server stopped.\n'));
        server.closeAllConnections();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
