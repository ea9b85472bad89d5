/*
 * The bare baseline of the data-plane benchmark (bench/data-plane.ts), run in
 * its own process so that it competes for the CPU the way Keyless does: a
 * plain node:http or node:https server that reads the request body, parses it
 * when there is one (as Keyless must), and answers every request with the same
 * bytes, a response captured from Keyless beforehand. No routing, no checks.
 *
 *   node dist/bench/baseline-server.js --body FILE [--cert PEM --key PEM] [--exit-with-stdin]
 *
 * With --cert and --key it serves HTTPS (keep-alive, as node:https does by
 * default), else plain HTTP. Listens on 127.0.0.1 on a free port and prints
 * one line, {"port":N}, once listening. SIGTERM or SIGINT closes it (and,
 * with --exit-with-stdin, the end of its stdin).
 */
import { stopWhenAsked } from './child-lifecycle.js';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}

const bodyFile = option('--body');
if (bodyFile === undefined) {
  process.stderr.write('usage: baseline-server --body FILE [--cert PEM --key PEM]\n');
  process.exit(2);
}
const certFile = option('--cert');
const keyFile = option('--key');
const answer = fs.readFileSync(bodyFile);
const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(answer.length) };

function handle(request: http.IncomingMessage, response: http.ServerResponse): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    if (chunks.length > 0) {
      try {
        // The parsed value is not used: this is the work every JSON API does.
        JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        response.writeHead(400, { 'content-type': 'application/json; charset=utf-8' }).end('{"error":"bad json"}');
        return;
      }
    }
    response.writeHead(200, headers).end(answer);
  });
}

const server =
  certFile !== undefined && keyFile !== undefined
    ? https.createServer({ cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) }, handle)
    : http.createServer(handle);
// fastify's default, so idle keep-alive connections live as long as Keyless's do.
server.keepAliveTimeout = 72_000;

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});

stopWhenAsked(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});
