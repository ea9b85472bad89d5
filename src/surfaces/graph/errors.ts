import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { ConflictError, InvalidInputError, KeylessError, NotFoundError } from '../../shared/errors.js';

/** An error in Microsoft Graph's dialect: `{"error":{"code","message","innerError":{date,request-id,client-request-id}}}`. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const notFoundMessage = (id: string): string =>
  `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`;

export const graphErrors = {
  notFound: (id: string) => new GraphError(404, 'Request_ResourceNotFound', notFoundMessage(id)),
  denied: () => new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
  badRequest: (message: string) => new GraphError(400, 'Request_BadRequest', message),
  unsupportedQuery: (filter: string) =>
    new GraphError(400, 'Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified for property: '${filter}'.`),
  duplicate: (message: string) => new GraphError(409, 'Request_MultipleObjectsWithSameKeyValue', message),
};

/** Graph errors as thrown, core errors by kind, and fastify's own 4xx (bad JSON) as Request_BadRequest. */
export function toGraphError(error: unknown): GraphError | undefined {
  if (error instanceof GraphError) return error;
  if (error instanceof NotFoundError) return new GraphError(404, 'Request_ResourceNotFound', error.message);
  if (error instanceof InvalidInputError) return graphErrors.badRequest(error.message);
  if (error instanceof ConflictError) return graphErrors.duplicate(error.message);
  if (error instanceof KeylessError) return undefined;
  const e = error as { statusCode?: unknown; message?: unknown };
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return graphErrors.badRequest(`The request body could not be read: ${String(e.message ?? 'bad request')}.`);
  }
  return undefined;
}

export function graphError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  const requestId = randomUUID();
  return reply.code(status).send({
    error: { code, message, innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': requestId, 'client-request-id': requestId } },
  });
}

export function sendGraphError(reply: FastifyReply, error: GraphError): FastifyReply {
  return graphError(reply, error.status, error.code, error.message);
}
