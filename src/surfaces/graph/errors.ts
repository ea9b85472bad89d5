import { randomUUID } from 'node:crypto';
import { ConflictError, InvalidInputError, KeylessError, NotFoundError, UnavailableError } from '../../shared/errors.js';
import { CodedWireError, MAX_HEADER_BYTES, frameworkClientError, type ErrorDialect } from '../http/index.js';

/** An error in Microsoft Graph's dialect: `{"error":{"code","message","innerError":{date,request-id,client-request-id}}}`. */
export class GraphError extends CodedWireError {
  /** When it was answered, on the product clock (set by the scope's dialect, `graphDialectOn`); else the system's. */
  answeredAt: number | undefined;

  /** The only place Graph's error bodies are built (a fresh request id each time, as Graph does). */
  body(): Record<string, unknown> {
    const requestId = randomUUID();
    return {
      error: {
        code: this.code,
        message: this.message,
        innerError: { date: new Date(this.answeredAt ?? Date.now()).toISOString().slice(0, 19), 'request-id': requestId, 'client-request-id': requestId },
      },
    };
  }
}

const notFoundMessage = (id: string): string =>
  `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`;

/** Graph's catalogue. */
export const graphErrors = {
  notFound: (id: string) => new GraphError(404, 'Request_ResourceNotFound', notFoundMessage(id)),
  denied: () => new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
  badRequest: (message: string) => new GraphError(400, 'Request_BadRequest', message),
  unsupportedQuery: (filter: string) =>
    new GraphError(400, 'Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified for property: '${filter}'.`),
  duplicate: (message: string) => new GraphError(409, 'Request_MultipleObjectsWithSameKeyValue', message),
  /** Any refused bearer token (missing, malformed, expired, wrong audience): Graph says the same for all. */
  invalidToken: () => new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.'),
  unreadableBody: (detail: string) => new GraphError(400, 'Request_BadRequest', `The request body could not be read: ${detail || 'bad request'}.`),
  /** A path under /v1.0 that Keyless's slice does not serve: Graph's answer for an unknown segment. */
  unknownSegment: (segment: string) => new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`),
  internal: () => new GraphError(500, 'generalException', 'An unexpected error occurred.'),
  headersTooLarge: () => new GraphError(431, 'Request_BadRequest', `The request headers are larger than ${MAX_HEADER_BYTES} bytes.`),
};

/** The one mapping into Graph: Graph errors as thrown, core errors by kind, and fastify's own 4xx (bad JSON) as Request_BadRequest. */
export function toGraphError(error: unknown): GraphError | undefined {
  if (error instanceof GraphError) return error;
  if (error instanceof UnavailableError) return new GraphError(503, 'serviceNotAvailable', error.message, { 'retry-after': String(error.retryAfterSeconds) });
  if (error instanceof NotFoundError) return new GraphError(404, 'Request_ResourceNotFound', error.message);
  if (error instanceof InvalidInputError) return graphErrors.badRequest(error.message);
  if (error instanceof ConflictError) return graphErrors.duplicate(error.message);
  if (error instanceof KeylessError) return undefined;
  const framework = frameworkClientError(error);
  return framework && graphErrors.unreadableBody(framework.message);
}

export const graphDialect: ErrorDialect = { toWire: toGraphError, internal: graphErrors.internal, label: 'unhandled graph error' };

/** Graph's dialect with `innerError.date` taken from the product clock (`keyless up --clock controllable`). */
export function graphDialectOn(now: () => number): ErrorDialect {
  const stamp = (error: GraphError | undefined): GraphError | undefined => {
    if (error !== undefined) error.answeredAt = now();
    return error;
  };
  return { toWire: (error) => stamp(toGraphError(error)), internal: () => stamp(graphErrors.internal()) ?? graphErrors.internal(), label: graphDialect.label };
}
