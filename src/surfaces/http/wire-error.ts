import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { closeAfterRest } from './linger.js';

/**
 * What every surface's error class is: a status, headers, and a `body()`
 * that is the only place that surface's error bodies are built. The request
 * is given for the dialects that echo something of it (Entra's correlation id).
 */
export interface WireError {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  body(request: FastifyRequest): unknown;
}

/** The common case: a status, a string code and a message (ARM, Graph and the main port's own answers); `body()` stays the dialect's. */
export abstract class CodedWireError extends Error implements WireError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  abstract body(request: FastifyRequest): unknown;
}

/** How one surface speaks its errors: its mapping from anything thrown, and its 500. */
export interface ErrorDialect {
  /** The surface's own error, a core error it maps, or fastify's own 4xx (bad JSON, too large, media type); else undefined. */
  readonly toWire: (error: unknown) => WireError | undefined;
  /** The answer to anything else: logged, never shown. */
  readonly internal: () => WireError;
  /** The log line for an unexpected error. */
  readonly label: string;
}

/** One error handler for a fastify scope, in the scope's dialect (fastify's own 4xx and the 500s included). */
export function useErrorDialect(scope: FastifyInstance, dialect: ErrorDialect): void {
  scope.setErrorHandler((error, request, reply) => {
    let wire = dialect.toWire(error);
    if (wire === undefined) {
      request.log.error({ err: error }, dialect.label);
      wire = dialect.internal();
    }
    return sendWireError(request, reply, wire);
  });
}

/**
 * Sends a surface's error: its status, its headers, its body. An error
 * answered before the request's body was read (too large, say) closes the
 * connection only once the client has sent the rest, so that it reads the answer.
 */
export function sendWireError(request: FastifyRequest, reply: FastifyReply, error: WireError): FastifyReply {
  if (bodyUnread(request.raw)) {
    reply.header('connection', 'close');
    closeAfterRest(request.raw.socket);
  }
  return reply.code(error.status).headers(error.headers).send(error.body(request));
}

/** Whether a request has a body still to come (a request without one may not be `complete` yet in the tick it arrived). */
export function bodyUnread(request: IncomingMessage): boolean {
  if (request.complete) return false;
  return request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
}

/** fastify's own client errors (bad JSON, body too large, unsupported media type) carry a 4xx `statusCode`. */
export function frameworkClientError(error: unknown): { readonly statusCode: number; readonly message: string } | undefined {
  const e = error as { statusCode?: unknown; message?: unknown } | null;
  if (e === null || typeof e !== 'object' || typeof e.statusCode !== 'number' || e.statusCode < 400 || e.statusCode >= 500) return undefined;
  return { statusCode: e.statusCode, message: typeof e.message === 'string' ? e.message : '' };
}
