import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RawHandler, RawLogger } from '../http/index.js';
import { closeAfterRest, dropSocket, readBody, redactUrl, writeEvents } from '../http/index.js';
import { MAX_BODY_BYTES, type BodyInput, type DataPlane, type DataPlaneAnswer } from './data-plane.js';
import { matchDataPlaneRoute, type DataPlaneRoute } from './route.js';
import { dataPlaneErrors } from './errors.js';

const MAX_ROUTES = 1000;
const JSON_TYPE = 'application/json; charset=utf-8';
const NO_BODY: BodyInput = { kind: 'none' };
const TOO_LARGE: BodyInput = { kind: 'tooLarge' };
/** Levels at which the framework logs every request. */
const VERBOSE_LEVELS: ReadonlySet<string> = new Set(['info', 'debug', 'trace']);
const INTERNAL_ERROR = JSON.stringify(dataPlaneErrors.internal().body());

/**
 * The data plane straight on node's request and response, ahead of the
 * framework that serves the rest of the port: it is the one hot path of
 * Keyless, and the framework's per-request work (routing tables, hooks,
 * reply objects, serialisers) cost more than all of Keyless's checks
 * together (docs/performance.md). Takes only the paths it serves (POST to an
 * operation of an account, the catalog's GETs, GET and DELETE of a stored
 * response, the APIs it refuses); everything else goes to the framework.
 */
export function dataPlaneListener(dataPlane: DataPlane): RawHandler {
  // Clients call the same few URLs over and over: each is parsed once.
  const routes = new Map<string, DataPlaneRoute>();
  // Other methods (the catalog's GETs, the APIs Keyless does not serve) are keyed by method and URL.
  const otherRoutes = new Map<string, DataPlaneRoute>();
  const routeOf = (method: string, url: string): DataPlaneRoute | undefined => {
    const cache = method === 'POST' ? routes : otherRoutes;
    const key = method === 'POST' ? url : `${method} ${url}`;
    let route = cache.get(key);
    if (route === undefined) {
      route = matchDataPlaneRoute(url, method);
      if (route === undefined) return undefined;
      if (cache.size >= MAX_ROUTES) cache.clear();
      cache.set(key, route);
    }
    return route;
  };
  // The log level is fixed when Keyless starts; reading it per request costs a lookup in the logger.
  let verbose: boolean | undefined;
  return (request, response, log) => {
    const route = routeOf(request.method ?? 'GET', request.url ?? '/');
    if (route === undefined) return false;
    const requestId = randomUUID();
    verbose ??= VERBOSE_LEVELS.has(log.level);
    const started = verbose ? performance.now() : -1;
    if (started >= 0) response.once('finish', () => logCompleted(log, request, response, requestId, started));
    readDataPlaneBody(request, (body) => {
      // A too large body is answered before it is read whole: the connection closes once the client has sent the rest.
      const close = body === TOO_LARGE;
      if (close) closeAfterRest(request.socket);
      // Sending iterates a stream's events: a failure there is answered (or the response cut) like any other.
      const answer = (settled: DataPlaneAnswer): void => {
        try {
          const streaming = send(response, requestId, settled, close);
          if (streaming !== undefined) streaming.catch((error: unknown) => fail(log, response, requestId, error, close));
        } catch (error) {
          fail(log, response, requestId, error, close);
        }
      };
      let handled: DataPlaneAnswer | Promise<DataPlaneAnswer>;
      try {
        handled = dataPlane.handle(call(route, requestId, request, response, body));
      } catch (error) {
        return fail(log, response, requestId, error, close);
      }
      if (handled instanceof Promise) handled.then(answer, (error: unknown) => fail(log, response, requestId, error, close));
      else answer(handled);
    });
    return true;
  };
}

function call(route: DataPlaneRoute, requestId: string, request: IncomingMessage, response: ServerResponse, body: BodyInput) {
  return {
    requestId,
    account: route.account,
    deployment: route.deployment,
    operation: route.operation,
    responseId: route.responseId,
    v1: route.v1,
    hasApiVersion: route.hasApiVersion,
    apiVersion: route.apiVersion,
    onCallerGone: (abort: () => void) => whenGone(response, abort),
    apiVersionRefusal: route.apiVersionRefusal,
    itemId: route.itemId,
    headers: request.headers,
    body,
    // The TCP peer, never X-Forwarded-For: anyone can write a header (docs/compatibility.md, "Network rules").
    remoteAddress: request.socket.remoteAddress,
  };
}

/**
 * Reads the whole body, up to MAX_BODY_BYTES. A larger one is answered at
 * once (the data plane still judges the caller first).
 */
function readDataPlaneBody(request: IncomingMessage, done: (body: BodyInput) => void): void {
  readBody(request, MAX_BODY_BYTES, (raw) => {
    if (raw === 'tooLarge') return done(TOO_LARGE);
    if (raw.text.length === 0) return done(NO_BODY);
    const type = request.headers['content-type'];
    done(isJson(type) ? { kind: 'json', text: raw.text } : { kind: 'unsupported', mediaType: mediaTypeOf(type) });
  });
}

function isJson(type: string | undefined): boolean {
  return type === 'application/json' || (type !== undefined && mediaTypeOf(type) === 'application/json');
}

function mediaTypeOf(type: string | undefined): string | undefined {
  if (type === undefined) return undefined;
  const semicolon = type.indexOf(';');
  return (semicolon === -1 ? type : type.slice(0, semicolon)).trim().toLowerCase();
}

/** Sends the answer; a stream whose chunks arrive later returns the promise of its end. */
function send(response: ServerResponse, requestId: string, answer: DataPlaneAnswer, close = false): Promise<void> | undefined {
  if ('drop' in answer) {
    dropSocket(response.socket);
    return undefined;
  }
  if ('json' in answer) {
    const headers: Record<string, string | number> = {
      'content-type': JSON_TYPE,
      'content-length': Buffer.byteLength(answer.json),
      'x-request-id': requestId,
      'apim-request-id': requestId,
    };
    if (answer.headers !== undefined) Object.assign(headers, answer.headers);
    if (close) headers['connection'] = 'close';
    response.writeHead(answer.status, headers).end(answer.json);
    return undefined;
  }
  if ('bytes' in answer) return relay(response, requestId, answer);
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-request-id': requestId,
    'apim-request-id': requestId,
    ...answer.headers,
  });
  return writeEvents(response, answer.events, answer.framing);
}

/**
 * An upstream's stream, relayed chunk by chunk as it arrives: headers go out
 * at once, each chunk is written before the next is read, and a slow reader
 * holds the upstream back (backpressure). A caller that goes away aborts the
 * upstream request; an upstream that fails mid-stream cuts the response.
 */
async function relay(response: ServerResponse, requestId: string, answer: Extract<DataPlaneAnswer, { bytes: AsyncIterable<Buffer> }>): Promise<void> {
  response.writeHead(answer.status, {
    'content-type': answer.contentType,
    'cache-control': 'no-cache',
    'x-request-id': requestId,
    'apim-request-id': requestId,
    ...answer.headers,
  });
  response.flushHeaders();
  // The upstream request is aborted when the caller goes away (onCallerGone); a caller already gone ends it here.
  if (response.destroyed) answer.abort();
  try {
    for await (const chunk of answer.bytes) {
      if (!response.write(chunk)) await drained(response);
      if (response.destroyed) break;
    }
    response.end();
  } catch {
    // Already answered in part: a cut response is all that can say so (the upstream's failure is in the audit).
    response.destroy();
  }
}

/** Runs `abort` once the caller has gone away before its answer was finished (at once if it already has). */
function whenGone(response: ServerResponse, abort: () => void): void {
  if (response.destroyed) {
    if (!response.writableFinished) abort();
    return;
  }
  response.once('close', () => {
    if (!response.writableFinished) abort();
  });
}

/** Resolves when the response can take more, or has closed. */
function drained(response: ServerResponse): Promise<void> {
  if (response.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

function fail(log: RawLogger, response: ServerResponse, requestId: string, error: unknown, close: boolean): void {
  log.error({ err: error, reqId: requestId }, 'unhandled data-plane error');
  if (response.headersSent) {
    response.destroy();
    return;
  }
  send(response, requestId, { status: 500, json: INTERNAL_ERROR }, close);
}

/** The framework's "request completed" line, for the requests it no longer sees (only the redacted URL, no headers). */
function logCompleted(log: RawLogger, request: IncomingMessage, response: ServerResponse, requestId: string, started: number): void {
  log.info(
    {
      reqId: requestId,
      req: { method: request.method, url: redactUrl(request.url ?? '/'), id: requestId },
      res: { statusCode: response.statusCode },
      responseTime: performance.now() - started,
    },
    'request completed',
  );
}
