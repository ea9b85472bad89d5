import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { redactUrl, REDACTED_HEADERS } from './redact.js';
import { sendWireError, useErrorDialect, type ErrorDialect, type WireError } from './wire-error.js';
import { portClientErrors, portDialect, portErrors } from './port-errors.js';
import { clientErrorHandler, trackRequestStarts, type ClientErrorAnswers } from './client-errors.js';

export type RawLogger = FastifyBaseLogger;

/**
 * Takes a request ahead of the framework: returns true when it does (and
 * then answers it), false to pass it on. For hot paths only.
 */
export type RawHandler = (request: IncomingMessage, response: ServerResponse, log: RawLogger) => boolean;

export interface ServerOptions {
  readonly tls?: { readonly key: string; readonly cert: string };
  readonly logLevel: string;
  /** Where log lines go (stderr by default). */
  readonly logStream?: NodeJS.WritableStream;
  /** Sees every request first, until the server starts closing (the framework then answers 503). */
  readonly intercept?: RawHandler;
  /** The listener's own answers, in its dialect: for what no surface's scope serves (the main port's for any not given). */
  readonly errors?: Partial<ListenerErrors>;
}

/** What a listener answers outside every surface's scope; each listener speaks one dialect there. */
export interface ListenerErrors {
  /** A URL fastify cannot even decode (bad percent-encoding): it never reaches a surface. */
  readonly malformedUrl: () => WireError;
  /** No route; surfaces registered without a prefix share it (fastify allows one per prefix). */
  readonly notFound: () => WireError;
  /** Errors of the listener's own routes (health), and fastify's 4xx there. */
  readonly dialect: ErrorDialect;
  /** What node refuses before routing (headers over its limit, a malformed request), by the request line's surface. */
  readonly clientError: ClientErrorAnswers;
}

/** fastify's defaults, kept for the server made here: idle keep-alive connections live 72 s; no request timeout. */
const KEEP_ALIVE_TIMEOUT_MS = 72_000;

/**
 * A fastify instance configured the same way for every listener: ARM's
 * paths compare case-insensitively and tolerate the double slash some SDKs
 * send; request logs carry only redacted URLs and no secret header.
 */
const PORT_ERRORS: ListenerErrors = { malformedUrl: portErrors.malformedUrl, notFound: portErrors.notFound, dialect: portDialect, clientError: portClientErrors };

export function createServer(options: ServerOptions): FastifyInstance {
  const errors: ListenerErrors = { ...PORT_ERRORS, ...options.errors };
  const logger: FastifyServerOptions['logger'] = {
    level: options.logLevel,
    stream: options.logStream ?? process.stderr,
    redact: { paths: REDACTED_HEADERS.map((h) => `req.headers["${h}"]`), censor: '***' },
    serializers: {
      req: (req) => ({ method: req.method, url: redactUrl(req.url), id: req.id }),
      res: (res) => ({ statusCode: res.statusCode }),
    },
  };
  let closing = false;
  const { intercept, tls } = options;
  const base = {
    logger,
    routerOptions: { caseSensitive: false, ignoreDuplicateSlashes: true, ignoreTrailingSlash: true },
    genReqId: () => randomUUID(),
    bodyLimit: 4 * 1024 * 1024,
    forceCloseConnections: true,
    // A URL fastify cannot even decode (bad percent-encoding) never reaches a surface: answered in the listener's dialect.
    frameworkErrors: ((_error: unknown, request: FastifyRequest, reply: FastifyReply) => {
      sendWireError(request, reply, errors.malformedUrl());
    }) as unknown as NonNullable<FastifyServerOptions['frameworkErrors']>,
    return503OnClosing: true,
    // Headers over node's limit and the like: an answer in the surface's dialect, then a lingering close (client-errors.ts).
    clientErrorHandler: clientErrorHandler(errors.clientError),
  };
  // The HTTPS and HTTP instances share one handler type: routes never touch the raw socket.
  if (intercept === undefined) {
    const plain = Fastify(tls ? ({ ...base, https: { key: tls.key, cert: tls.cert } } as FastifyServerOptions) : base) as unknown as FastifyInstance;
    if (tls) trackRequestStarts(plain.server);
    return withListenerErrors(plain, errors);
  }
  // With a server of its own making fastify binds one address only, also for `localhost` (it would otherwise add ::1).
  const serverFactory = (handler: http.RequestListener): http.Server => {
    const listener: http.RequestListener = (request, response) => {
      // Requests arrive only once the server listens, after `app` below is made.
      if (closing || !intercept(request, response, app.log)) handler(request, response);
    };
    const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, listener) : http.createServer(listener);
    if (tls) trackRequestStarts(server);
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    server.requestTimeout = 0;
    return server;
  };
  const app = Fastify({ ...base, serverFactory } as FastifyServerOptions) as unknown as FastifyInstance;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  return withListenerErrors(app, errors);
}

function withListenerErrors(app: FastifyInstance, errors: ListenerErrors): FastifyInstance {
  useErrorDialect(app, errors.dialect);
  // fastify's own 404 logs the raw URL (which may hold a secret); this one logs nothing of it.
  app.setNotFoundHandler((request, reply) => sendWireError(request, reply, errors.notFound()));
  return app;
}
