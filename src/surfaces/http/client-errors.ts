import type { FastifyInstance, FastifyRequest } from 'fastify';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { lingerThenClose } from './linger.js';
import type { WireError } from './wire-error.js';

/** Why node refused a request before any route saw it. */
export type ClientFailure = 'headersTooLarge' | 'timeout' | 'malformed';

/** The refused request's first line, when it could be read. */
export interface RequestLine {
  readonly method: string;
  readonly path: string;
}

/** A listener's answer to a request node could not parse, in the dialect of the surface its path names. */
export type ClientErrorAnswers = (failure: ClientFailure, line: RequestLine | undefined) => WireError;

/** node's limit on a request's headers, which answers name. */
export const MAX_HEADER_BYTES = http.maxHeaderSize;

const REQUEST_LINE = /^([A-Z]{3,10}) (\S+) HTTP\/1\.[01]\r?\n/;
/** The latest chunk of a TLS connection that began like a request (kept by reference, never copied). */
const lastRequestStart = new WeakMap<Socket, Buffer>();
const answered = new WeakSet<Socket>();
/** Entra's body echoes a correlation id from the request; none can be read here. */
const NO_REQUEST = { headers: {}, query: {} } as unknown as FastifyRequest;

/** node's request parser as far as this file uses it: its per-message callback slot, and the bytes it is reading. */
interface NodeHttpParser {
  socket: Socket | null;
  getCurrentBuffer(): Buffer;
  [slot: number]: unknown;
}

/**
 * The slot of node's parser called when a message begins (`kOnMessageBegin`),
 * from node's `_http_common` module (public, undocumented); undefined if a
 * later node no longer has it.
 */
const ON_MESSAGE_BEGIN: number | undefined = (() => {
  try {
    const common = createRequire(import.meta.url)('_http_common') as { HTTPParser?: { kOnMessageBegin?: unknown } };
    const slot = common.HTTPParser?.kOnMessageBegin;
    return typeof slot === 'number' ? slot : undefined;
  } catch {
    return undefined;
  }
})();

/** Called by node's parser (as the parser) when a request begins: keeps the bytes it began in. */
function rememberRequestStart(this: NodeHttpParser): void {
  const socket = this.socket;
  if (socket !== null) lastRequestStart.set(socket, this.getCurrentBuffer());
}

/**
 * Keeps, for each TLS connection of `server`, where its latest request began,
 * so that a request refused before any route (headers too large) can still
 * be answered in its surface's dialect. node's parser reads a connection's
 * bytes itself (in C++) unless something listens for 'data', so the start is
 * taken from the parser's own message-begin callback, once per request; a
 * 'data' listener (the fallback) would move every chunk through JavaScript.
 */
export function trackRequestStarts(server: http.Server): void {
  server.on('secureConnection', (socket: TLSSocket) => {
    // node's own listener (registered first) has given the connection its parser by now.
    const parser = (socket as TLSSocket & { parser?: NodeHttpParser | null }).parser;
    if (ON_MESSAGE_BEGIN !== undefined && parser != null && typeof parser.getCurrentBuffer === 'function') {
      // Parsers are pooled and reused: the callback reads the connection from the parser each time.
      parser[ON_MESSAGE_BEGIN] = rememberRequestStart;
      return;
    }
    socket.prependListener('data', (chunk: Buffer) => {
      const first = chunk[0] ?? 0;
      if (first >= 0x41 && first <= 0x5a) lastRequestStart.set(socket, chunk);
    });
  });
}

/**
 * fastify's `clientErrorHandler`: node could not parse a request (headers
 * over its limit, a malformed request line, headers too slow). The answer is
 * the listener's, in the dialect of the surface the request line names when
 * it can be read; then the connection closes once the client has sent the
 * rest (a reset would often lose the answer). The error itself is never
 * logged: it carries the request's raw bytes, secrets included.
 */
export function clientErrorHandler(answers: ClientErrorAnswers) {
  return function handleClientError(this: FastifyInstance, error: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void {
    // node reports each further chunk of a request it could not parse: one answer per connection.
    if (error.code === 'ECONNRESET' || socket.destroyed || answered.has(socket)) return;
    answered.add(socket);
    const failure: ClientFailure = error.code === 'HPE_HEADER_OVERFLOW' ? 'headersTooLarge' : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'timeout' : 'malformed';
    this.log.debug({ code: error.code, failure }, 'request refused before routing');
    // As node does: no answer over one already under way on this connection.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && inFlight?.headersSent !== true) socket.write(rawAnswer(answers(failure, requestLine(socket, error.rawPacket))));
    if (failure === 'timeout') socket.destroySoon();
    else lingerThenClose(socket);
  };
}

function requestLine(socket: Socket, rawPacket: unknown): RequestLine | undefined {
  for (const bytes of [rawPacket, lastRequestStart.get(socket)]) {
    if (!Buffer.isBuffer(bytes)) continue;
    const match = REQUEST_LINE.exec(bytes.subarray(0, 8192).toString('latin1'));
    if (match) return { method: match[1] as string, path: (match[2] as string).split('?')[0] as string };
  }
  return undefined;
}

function rawAnswer(error: WireError): string {
  const body = JSON.stringify(error.body(NO_REQUEST));
  const extra = Object.entries(error.headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return (
    `HTTP/1.1 ${error.status} ${http.STATUS_CODES[error.status] ?? 'Error'}\r\n` +
    `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extra}connection: close\r\n\r\n${body}`
  );
}
