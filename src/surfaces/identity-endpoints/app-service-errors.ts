import { UnavailableError } from '../../shared/errors.js';
import { randomUUID } from 'node:crypto';
import type { FaultStatus } from '../../faults/index.js';
import { MAX_HEADER_BYTES, frameworkClientError, type ErrorDialect } from '../http/index.js';
import { IdentityEndpointError, unknownResourceMessage } from './errors.js';

/** App Service's envelope: `{"statusCode","message","correlationId"}`, a fresh correlation id each time. */
export class AppServiceError extends IdentityEndpointError {
  constructor(status: number, readonly text: string, reason: string, headers: Readonly<Record<string, string>> = {}) {
    super(status, reason, headers);
  }

  /** The only place App Service's error bodies are built. */
  body(): Record<string, unknown> {
    return { statusCode: this.status, message: this.text, correlationId: randomUUID() };
  }
}

/** App Service's catalogue. */
export const appServiceErrors = {
  unknownHost: (headerGiven: boolean, header = 'X-IDENTITY-HEADER') =>
    new AppServiceError(400, `The ${header} header is missing or does not belong to an app.`, headerGiven ? 'unknown identity header' : 'no identity header'),
  throttled: () => new AppServiceError(429, 'Too many requests.', 'throttled', { 'retry-after': '1' }),
  apiVersion: (version: string | undefined) =>
    new AppServiceError(400, version === undefined ? 'The api-version parameter is required.' : `The api-version '${version}' is not supported; use 2019-08-01 (or 2017-09-01).`, 'bad api-version'),
  noResource: () => new AppServiceError(400, 'The resource parameter is required.', 'no resource'),
  severalSelectors: (names: readonly string[]) => new AppServiceError(400, `Only one of ${names.join(', ')} may be given.`, 'several identity selectors'),
  identityNotLoaded: (why: string) => new AppServiceError(400, 'Unable to load the proper Managed Identity.', why),
  unknownResource: (resource: string, tenantId: string) => new AppServiceError(400, unknownResourceMessage(resource, tenantId), 'unknown resource'),
  /** fastify's own 4xx, in the envelope, with its status. */
  unreadableRequest: (status: number, detail: string) => new AppServiceError(status, `The request could not be read: ${detail || 'bad request'}.`, 'unreadable request'),
  /** An injected failure (`keyless fault add --surface app-service`), in the envelope; a 429 always carries retry-after (1 unless given). */
  injected: (status: FaultStatus, retryAfterSeconds: number | null, reason: string) => {
    const headers = retryAfterSeconds === null ? {} : { 'retry-after': String(retryAfterSeconds) };
    if (status === 429) return new AppServiceError(429, 'Too many requests.', reason, { 'retry-after': '1', ...headers });
    if (status === 503) return new AppServiceError(503, 'The service is temporarily unavailable. Retry the request later.', reason, headers);
    return new AppServiceError(500, 'An unexpected error occurred.', reason, headers);
  },
  internal: () => new AppServiceError(500, 'An unexpected error occurred.', 'internal error'),
  headersTooLarge: () => new AppServiceError(431, `The request headers are larger than ${MAX_HEADER_BYTES} bytes.`, 'headers too large'),
};

/** The one mapping into App Service: its own errors, and fastify's 4xx (core errors never reach this endpoint unmapped). */
export function toAppServiceError(error: unknown): AppServiceError | undefined {
  if (error instanceof AppServiceError) return error;
  if (error instanceof UnavailableError) return new AppServiceError(503, error.message, error.code, { 'retry-after': String(error.retryAfterSeconds) });
  const framework = frameworkClientError(error);
  return framework && appServiceErrors.unreadableRequest(framework.statusCode, framework.message);
}

export const appServiceDialect: ErrorDialect = { toWire: toAppServiceError, internal: appServiceErrors.internal, label: 'unhandled App Service identity error' };
