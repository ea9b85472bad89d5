import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * How a benchmark's child server ends: on SIGTERM/SIGINT, or (with
 * --exit-with-stdin) when the benchmark that holds its stdin goes away, and
 * never more than a second after being asked.
 */
export function stopWhenAsked(close: () => Promise<unknown> | void): void {
  const stop = (): void => {
    void Promise.resolve(close()).finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 1000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (process.argv.includes('--exit-with-stdin')) {
    process.stdin.on('end', stop);
    process.stdin.resume();
  }
}

/**
 * A benchmark's child server on 127.0.0.1, port 0: HTTPS when given a
 * certificate and key, else HTTP, with fastify's keep-alive timeout (so idle
 * connections live as long as Keyless's do). Prints `{"port":N}` once it
 * listens, and closes every connection, then `closeMore`, when asked to stop.
 */
export function serveChild(
  handle: http.RequestListener,
  tls: { readonly certFile: string | undefined; readonly keyFile: string | undefined },
  closeMore: () => Promise<unknown> | void,
): void {
  const server =
    tls.certFile !== undefined && tls.keyFile !== undefined
      ? https.createServer({ cert: fs.readFileSync(tls.certFile), key: fs.readFileSync(tls.keyFile) }, handle)
      : http.createServer(handle);
  server.keepAliveTimeout = 72_000;
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
  });
  stopWhenAsked(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await closeMore();
  });
}
