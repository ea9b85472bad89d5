import { UnavailableError } from '../../shared/errors.js';
import { CodedWireError, frameworkClientError, type ErrorDialect } from './wire-error.js';
import { MAX_HEADER_BYTES, type ClientErrorAnswers } from './client-errors.js';

/**
 * The main port's own answers, for what no surface serves (an unknown path,
 * a URL that cannot be decoded): `{"error":{"code","message"}}`, the shape
 * most of the port's clients (ARM, the data plane) already read.
 */
export class PortError extends CodedWireError {
  /** The only place the port's own error bodies are built. */
  body(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

export const portErrors = {
  notFound: () => new PortError(404, 'NotFound', 'No Keyless endpoint serves this path.'),
  malformedUrl: () => new PortError(400, 'InvalidRequest', 'The request URL is malformed.'),
  unreadableRequest: (status: number, detail: string) => new PortError(status, 'InvalidRequest', `The request could not be read: ${detail || 'bad request'}.`),
  internal: () => new PortError(500, 'InternalServerError', 'The server encountered an internal error. Please retry the request.'),
  headersTooLarge: () => new PortError(431, 'RequestHeaderFieldsTooLarge', `The request headers are larger than ${MAX_HEADER_BYTES} bytes.`),
};

/** The port's answers to what node refuses before routing (the main port refines them per surface: surfaces/listeners.ts). */
export const portClientErrors: ClientErrorAnswers = (failure) =>
  failure === 'headersTooLarge' ? portErrors.headersTooLarge() : portErrors.unreadableRequest(failure === 'timeout' ? 408 : 400, failure === 'timeout' ? 'request timeout' : 'malformed HTTP request');

export function toPortError(error: unknown): PortError | undefined {
  if (error instanceof PortError) return error;
  if (error instanceof UnavailableError) return new PortError(503, 'ServiceUnavailable', error.message, { 'retry-after': String(error.retryAfterSeconds) });
  const framework = frameworkClientError(error);
  return framework && portErrors.unreadableRequest(framework.statusCode, framework.message);
}

export const portDialect: ErrorDialect = { toWire: toPortError, internal: portErrors.internal, label: 'unhandled error' };
