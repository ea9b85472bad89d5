import { UnavailableError } from '../../shared/errors.js';
import type { SelectionFailure } from '../../resources/index.js';
import type { FaultStatus } from '../../faults/index.js';
import { MAX_HEADER_BYTES, frameworkClientError, type ErrorDialect } from '../http/index.js';
import { IdentityEndpointError, unknownResourceMessage } from './errors.js';

/** The newest IMDS version Keyless names in its api-version answers. */
const NEWEST_VERSIONS = ['2018-02-01'];

/**
 * IMDS's bodies: `{"error","error_description"}`, except for a missing or bad
 * api-version, where IMDS puts the whole sentence in `error` and lists its versions.
 */
export class ImdsError extends IdentityEndpointError {
  constructor(
    status: number,
    readonly error: string,
    /** Undefined for the api-version answers (`newest-versions` instead). */
    readonly description: string | undefined,
    reason: string,
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(status, reason, headers);
  }

  /** The only place IMDS's error bodies are built. */
  body(): Record<string, unknown> {
    if (this.description === undefined) return { error: this.error, 'newest-versions': NEWEST_VERSIONS };
    return { error: this.error, error_description: this.description };
  }
}

const invalidRequest = (description: string, reason: string) => new ImdsError(400, 'invalid_request', description, reason);

const SELECTION_ERRORS: Record<SelectionFailure, string> = {
  IdentityNotFound: 'Identity not found',
  MultipleUserAssigned:
    'Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request',
  UserAssignedMustBeNamed: 'Identity not found',
};

/** IMDS's catalogue. The identity port never answers 404: the client libraries retry a 404 for a minute. */
export const imdsErrors = {
  forwarded: (header: 'X-Forwarded-For' | 'Forwarded') => invalidRequest(`Requests with the ${header} header are not accepted.`, `${header} present`),
  noMetadataHeader: () => invalidRequest('Required metadata header not specified', 'no Metadata header'),
  unknownHost: (secretGiven: boolean) =>
    invalidRequest('This endpoint does not belong to a virtual machine.', secretGiven ? 'unknown endpoint secret' : 'bare IMDS path'),
  throttled: () => new ImdsError(429, 'too_many_requests', 'Too many requests', 'throttled', { 'retry-after': '1' }),
  noApiVersion: () =>
    new ImdsError(400, 'Bad request. api-version was not specified in the request. For more information refer to aka.ms/azureimds', undefined, 'no api-version'),
  badApiVersion: () => new ImdsError(400, 'Bad request. api-version is invalid. For more information refer to aka.ms/azureimds', undefined, 'bad api-version'),
  noResource: () => invalidRequest('Required audience parameter not specified', 'no resource'),
  severalSelectors: () => invalidRequest('Only one of client_id, object_id or msi_res_id may be given', 'several identity selectors'),
  selection: (failure: SelectionFailure) => invalidRequest(SELECTION_ERRORS[failure], failure),
  unknownResource: (resource: string, tenantId: string) =>
    new ImdsError(400, 'invalid_resource', unknownResourceMessage(resource, tenantId), 'unknown resource'),
  unknownEndpoint: () => invalidRequest('Unknown identity endpoint.', 'unknown path'),
  malformedUrl: () => invalidRequest('The request URL is malformed.', 'malformed URL'),
  /** fastify's own 4xx, with its status. */
  unreadableRequest: (status: number, detail: string) => new ImdsError(status, 'invalid_request', `The request could not be read: ${detail || 'bad request'}.`, 'unreadable request'),
  /**
   * An injected failure (`keyless fault add --surface imds`). 429 is the throttle's body; 410 is IMDS during an
   * upgrade ("retry within 70 seconds", MicrosoftDocs how-to-use-vm-token); the 410 and 503 bodies are Keyless's
   * wording in IMDS's envelope (docs/compatibility.md). A 429 always carries retry-after (1 unless given): the
   * identity library retries a 429 only when it does.
   */
  injected: (status: FaultStatus, retryAfterSeconds: number | null, reason: string) => {
    const headers = retryAfterSeconds === null ? {} : { 'retry-after': String(retryAfterSeconds) };
    switch (status) {
      case 429:
        return new ImdsError(429, 'too_many_requests', 'Too many requests', reason, { 'retry-after': '1', ...headers });
      case 410:
        return new ImdsError(410, 'service_unavailable', 'The instance metadata service is being upgraded. Retry the request within 70 seconds.', reason, headers);
      case 503:
        return new ImdsError(503, 'service_unavailable', 'The service is temporarily unavailable. Retry the request later.', reason, headers);
      case 500:
        return new ImdsError(500, 'unknown_error', 'An unexpected error occurred.', reason, headers);
    }
  },
  internal: () => new ImdsError(500, 'unknown_error', 'An unexpected error occurred.', 'internal error'),
  headersTooLarge: () => new ImdsError(431, 'invalid_request', `The request headers are larger than ${MAX_HEADER_BYTES} bytes.`, 'headers too large'),
};

/** The one mapping into IMDS: its own errors, and fastify's 4xx. */
export function toImdsError(error: unknown): ImdsError | undefined {
  if (error instanceof ImdsError) return error;
  if (error instanceof UnavailableError) return new ImdsError(503, 'service_unavailable', error.message, error.code, { 'retry-after': String(error.retryAfterSeconds) });
  const framework = frameworkClientError(error);
  return framework && imdsErrors.unreadableRequest(framework.statusCode, framework.message);
}

export const imdsDialect: ErrorDialect = { toWire: toImdsError, internal: imdsErrors.internal, label: 'unhandled IMDS identity error' };
