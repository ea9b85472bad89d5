import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { randomUUID } from 'node:crypto';
import { redactUrl, REDACTED_HEADERS } from './redact.js';

export interface ServerOptions {
  readonly tls?: { readonly key: string; readonly cert: string };
  readonly logLevel: string;
  /** Where log lines go (stderr by default). */
  readonly logStream?: NodeJS.WritableStream;
}

/**
 * A fastify instance configured the same way for every listener: ARM's
 * paths compare case-insensitively and tolerate the double slash some SDKs
 * send; request logs carry only redacted URLs and no secret header.
 */
export function createServer(options: ServerOptions): FastifyInstance {
  const logger: FastifyServerOptions['logger'] = {
    level: options.logLevel,
    stream: options.logStream ?? process.stderr,
    redact: { paths: REDACTED_HEADERS.map((h) => `req.headers["${h}"]`), censor: '***' },
    serializers: {
      req: (req) => ({ method: req.method, url: redactUrl(req.url), id: req.id }),
      res: (res) => ({ statusCode: res.statusCode }),
    },
  };
  const base = {
    logger,
    routerOptions: { caseSensitive: false, ignoreDuplicateSlashes: true, ignoreTrailingSlash: true },
    genReqId: () => randomUUID(),
    bodyLimit: 4 * 1024 * 1024,
    forceCloseConnections: true,
    // A URL fastify cannot even decode (bad percent-encoding) never reaches a surface: answer it plainly, in JSON.
    frameworkErrors: ((_error: unknown, _request: unknown, reply: { code(status: number): { send(body: unknown): void } }) => {
      reply.code(400).send({ error: { code: 'InvalidRequest', message: 'The request URL is malformed.' } });
    }) as unknown as NonNullable<FastifyServerOptions['frameworkErrors']>,
    return503OnClosing: true,
  };
  // The HTTPS and HTTP instances share one handler type: routes never touch the raw socket.
  if (options.tls) return Fastify({ ...base, https: { key: options.tls.key, cert: options.tls.cert } } as FastifyServerOptions) as unknown as FastifyInstance;
  return Fastify(base);
}
