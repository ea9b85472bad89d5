import { UnavailableError } from '../../shared/errors.js';
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { FORM_BODY_LIMIT, MAX_HEADER_BYTES, frameworkClientError, type ErrorDialect, type WireError } from '../http/index.js';

/** Entra's token answers, errors included, are never cached. */
const NO_STORE: Readonly<Record<string, string>> = { 'cache-control': 'no-store' };

/** An error as Entra's token endpoint renders it: an OAuth error plus AADSTS code, trace and correlation ids. */
export class EntraError extends Error implements WireError {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly aadsts: number,
    readonly description: string,
    readonly headers: Readonly<Record<string, string>> = NO_STORE,
  ) {
    super(`AADSTS${aadsts}: ${description}`);
  }

  /** When it was answered, on the product clock (set by the scope's dialect, `entraDialectOn`); else the system's. */
  answeredAt: number | undefined;

  /** The only place Entra's error bodies are built; the caller's correlation id is echoed when it is a GUID. */
  body(request: FastifyRequest): Record<string, unknown> {
    const correlationId = correlationOf(request);
    const traceId = randomUUID();
    const correlation = correlationId && /^[0-9a-f-]{36}$/i.test(correlationId) ? correlationId : randomUUID();
    const now = new Date(this.answeredAt ?? Date.now());
    const timestamp = `${now.toISOString().slice(0, 19).replace('T', ' ')}Z`;
    return {
      error: this.error,
      error_description: `AADSTS${this.aadsts}: ${this.description} Trace ID: ${traceId} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
      error_codes: [this.aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlation,
      error_uri: `https://login.microsoftonline.com/error?code=${this.aadsts}`,
    };
  }
}

function correlationOf(request: FastifyRequest): string | undefined {
  const header = request.headers['client-request-id'] ?? request.headers['x-ms-client-request-id'];
  if (typeof header === 'string') return header;
  const query = (request.query as Record<string, unknown> | undefined)?.['client-request-id'];
  return typeof query === 'string' ? query : undefined;
}

export const entraErrors = {
  missingParameter: (name: string) =>
    new EntraError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`),
  unsupportedGrant: (grant: string) =>
    new EntraError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`),
  tenantNotFound: (tenant: string) =>
    new EntraError(
      400,
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  unknownClient: (clientId: string, tenant: string) =>
    new EntraError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  noCredential: () =>
    new EntraError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
  invalidSecret: (clientId: string) =>
    new EntraError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  expiredSecret: (clientId: string) =>
    new EntraError(
      401,
      'invalid_client',
      7000222,
      `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
    ),
  assertionType: (given: string | undefined) =>
    new EntraError(
      400,
      'invalid_request',
      50027,
      `Invalid client_assertion_type '${given ?? ''}': it must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.`,
    ),
  malformedAssertion: () => new EntraError(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.'),
  certificateNotRegistered: (thumbprint: string, clientId: string) =>
    new EntraError(
      401,
      'invalid_client',
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'.]`,
    ),
  invalidAssertionSignature: (thumbprint: string) =>
    new EntraError(
      401,
      'invalid_client',
      700027,
      `Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '${thumbprint}']`,
    ),
  assertionOutOfTime: (now: number, nbf: number, exp: number) =>
    new EntraError(
      401,
      'invalid_client',
      700024,
      `Client assertion is not within its valid time range. Current time: ${iso(now)}, assertion valid from ${iso(nbf)}, expiry time of assertion ${iso(exp)}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
    ),
  assertionAudience: () =>
    new EntraError(401, 'invalid_client', 50012, 'Client assertion audience claim does not match Realm issuer.'),
  assertionIssuer: () =>
    new EntraError(
      401,
      'invalid_client',
      700021,
      "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .",
    ),
  federatedNoMatch: (code: 700211 | 700212 | 700213, what: 'issuer' | 'audience' | 'subject', value: string) =>
    new EntraError(
      401,
      'invalid_client',
      code,
      `No matching federated identity record found for presented assertion ${what} '${value}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`,
    ),
  externalIssuerFailed: () => new EntraError(401, 'invalid_client', 50166, 'Request to External OIDC endpoint failed.'),
  federatedSignature: () =>
    new EntraError(401, 'invalid_client', 50013, 'Assertion failed signature validation. [Reason - The key was not found.]'),
  throttled: () =>
    new EntraError(
      429,
      'temporarily_unavailable',
      50196,
      'The server terminated an operation because it encountered a client request loop. Please contact your app vendor.',
      { 'retry-after': '1', ...NO_STORE },
    ),
  /** A parameter given twice (Entra's answer, seen for `scope`, `prompt` and `login_hint`): never "the last one wins". */
  duplicateParameter: (name: string) =>
    new EntraError(400, 'invalid_request', 9000411, `The request is not properly formatted. The parameter '${name}' is duplicated.`),
  /** A body over the limit: Keyless's choice of code (AADSTS90004, "not properly formatted") and status (413); Entra's is not known. */
  bodyTooLarge: () =>
    new EntraError(413, 'invalid_request', 90004, `The request is not properly formatted. The request body is larger than ${FORM_BODY_LIMIT} bytes.`),
  /** Headers over node's limit: 431, Keyless's choice of code as for a body too large. */
  headersTooLarge: () =>
    new EntraError(431, 'invalid_request', 90004, `The request is not properly formatted. The request headers are larger than ${MAX_HEADER_BYTES} bytes.`),
  /** fastify's other 4xx (a body cut short of its length, say): this 400, without cache-control. */
  unreadableForm: () =>
    new EntraError(400, 'invalid_request', 900144, 'The request body must be application/x-www-form-urlencoded.', {}),
  /** AADSTS50000, Entra's own answer when its service fails. */
  internal: () => new EntraError(500, 'server_error', 50000, 'There was an error issuing a token or an issue with our sign-in service.'),
  missingScope: () =>
    new EntraError(400, 'invalid_scope', 70011, "The provided request must include a 'scope' input parameter."),
  invalidScope: (scope: string) =>
    new EntraError(
      400,
      'invalid_scope',
      70011,
      `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid. The client credentials flow requires a single scope of the form '<resource>/.default'.`,
    ),
  codeRedeemed: () =>
    new EntraError(400, 'invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.'),
  codeExpired: () =>
    new EntraError(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.'),
  refreshExpired: () =>
    new EntraError(400, 'invalid_grant', 700082, 'The refresh token has expired due to inactivity. The token was issued on a sign-in more than 24 hours ago.'),
  invalidGrant: (what: 'code' | 'refresh_token', why: string) =>
    new EntraError(400, 'invalid_grant', 70000, `The provided value for the '${what}' parameter is not valid. ${why}`),
  unknownResource: (resource: string, tenant: string) =>
    new EntraError(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    ),
};

/** The one mapping into Entra for the scope's handler (client authentication failures are mapped where they are audited, client-errors.ts). */
export function toEntraError(error: unknown): EntraError | undefined {
  if (error instanceof EntraError) return error;
  // OAuth's word for it (RFC 6749 §4.1.2.1), with Entra's code for a service that cannot answer now.
  if (error instanceof UnavailableError) return new EntraError(503, 'temporarily_unavailable', 90033, `${error.message}`, { ...NO_STORE, 'retry-after': String(error.retryAfterSeconds) });
  const framework = frameworkClientError(error);
  if (framework === undefined) return undefined;
  return framework.statusCode === 413 ? entraErrors.bodyTooLarge() : entraErrors.unreadableForm();
}

export const entraDialect: ErrorDialect = { toWire: toEntraError, internal: entraErrors.internal, label: 'unhandled authority error' };

/** Entra's dialect with its bodies' `timestamp` taken from the product clock (`keyless up --clock controllable`). */
export function entraDialectOn(now: () => number): ErrorDialect {
  const stamp = (error: EntraError | undefined): EntraError | undefined => {
    if (error !== undefined) error.answeredAt = now();
    return error;
  };
  return { toWire: (error) => stamp(toEntraError(error)), internal: () => stamp(entraErrors.internal()) ?? entraErrors.internal(), label: entraDialect.label };
}

/** Entra's times in messages: ISO-8601 with seven fractional digits. */
function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}
