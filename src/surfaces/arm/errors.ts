import { AuthenticationError, AuthorizationError, ConflictError, InvalidInputError, KeylessError, NotFoundError, UnavailableError } from '../../shared/errors.js';
import { CodedWireError, frameworkClientError, type ErrorDialect } from '../http/index.js';
import { NamespaceNotRegisteredError } from '../../providers/index.js';

/** An error in Azure Resource Manager's dialect: status, `{"error":{"code","message"}}`, and sometimes headers. */
export class ArmError extends CodedWireError {
  /** The only place ARM's error bodies are built. */
  body(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/**
 * MissingSubscriptionRegistration names the namespace again in `details[0].target`,
 * which clients read to register it (Azure/azure-sdk-for-node#2305 shows the body).
 */
class MissingRegistrationError extends ArmError {
  constructor(private readonly namespace: string, message: string) {
    super(409, 'MissingSubscriptionRegistration', message);
  }

  override body(): { error: { code: string; message: string; details: { code: string; target: string; message: string }[] } } {
    return { error: { code: this.code, message: this.message, details: [{ code: this.code, target: this.namespace, message: this.message }] } };
  }
}

/** ARM's bearer challenge, sent with every 401. */
const challenge = (authority: string, description: string): Record<string, string> => ({
  'www-authenticate': `Bearer authorization_uri="${authority}", error="invalid_token", error_description="${description}"`,
});

/** ARM's catalogue: every ARM-only error Keyless answers, by name. */
export const armErrors = {
  missingAuthorization: (authority: string) =>
    new ArmError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.",
      challenge(authority, "The authentication failed because of missing 'Authorization' header.")),
  malformedAuthorization: (authority: string) =>
    new ArmError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is provided in an invalid format.",
      challenge(authority, "The authentication failed because of the 'Authorization' header is provided in an invalid format.")),
  expiredToken: (authority: string, expiry: string, now: string) =>
    new ArmError(401, 'ExpiredAuthenticationToken', `The access token expiry UTC time '${expiry}' is earlier than current UTC time '${now}'.`,
      challenge(authority, 'The access token has expired.')),
  wrongAudience: (authority: string, audience: string, allowed: Iterable<string>) =>
    new ArmError(
      401,
      'InvalidAuthenticationTokenAudience',
      `The access token has been obtained for wrong audience or resource '${audience}'. It should exactly match with one of the allowed audiences ${[...allowed].map((a) => `'${a}'`).join(',')}.`,
      challenge(authority, 'The access token has been obtained from wrong audience or resource.'),
    ),
  invalidToken: (authority: string) =>
    new ArmError(401, 'InvalidAuthenticationToken', 'The access token is invalid.', challenge(authority, 'The access token is invalid.')),
  missingApiVersion: () =>
    new ArmError(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests."),
  invalidApiVersion: (version: string) =>
    new ArmError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${version}' is invalid. The supported versions are dates of the form 'YYYY-MM-DD' with an optional '-preview' suffix.`,
    ),
  /** `byCondition`: a role granted the action but its ABAC condition did not (Azure then says so, in these words). */
  authorizationFailed: (objectId: string, clientId: string, action: string, scope: string, byCondition = false) =>
    new ArmError(
      403,
      'AuthorizationFailed',
      `The client '${clientId}' with object id '${objectId}' does not have authorization${byCondition ? ' or an ABAC condition not fulfilled' : ''} to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    ),
  linkedAuthorizationFailed: (objectId: string, clientId: string, action: string, scope: string) =>
    new ArmError(
      403,
      'LinkedAuthorizationFailed',
      `The client '${clientId}' with object id '${objectId}' has permission to perform the write, but does not have permission to perform action '${action}' on the linked scope '${scope}' or the linked scope is invalid.`,
    ),
  noRoute: (method: string, path: string) =>
    new ArmError(404, 'NoRegisteredProviderFound', `No registered resource provider found for ${method} ${path}.`),
  unknownResourceType: (type: string) =>
    new ArmError(
      404,
      'NoRegisteredProviderFound',
      `No registered resource provider found for resource type '${type}'. Keyless serves: Microsoft.ManagedIdentity/userAssignedIdentities, Microsoft.CognitiveServices/accounts (and deployments), Microsoft.Web/sites, Microsoft.Compute/virtualMachines.`,
    ),
  /** ARM's answer for a location-scoped path at a location the provider does not serve (400, as ARM answers it for locations/usages). */
  noProviderForLocation: (location: string, apiVersion: string, type: string, versions: readonly string[], locations: readonly string[]) =>
    new ArmError(
      400,
      'NoRegisteredProviderFound',
      `No registered resource provider found for location '${location}' and API version '${apiVersion}' for type '${type}'. The supported api-versions are '${versions.join(', ')}'. The supported locations are '${locations.join(', ')}'.`,
    ),
  methodNotAllowed: (method: string) =>
    new ArmError(405, 'MethodNotAllowed', `The HTTP method '${method}' is not supported at this path.`),
  invalidContent: (message: string) => new ArmError(400, 'InvalidRequestContent', message),
  /** fastify's own 4xx (bad JSON, too large, media type): 413 stays 413, the rest are 400. */
  unreadableContent: (status: number, detail: string) =>
    new ArmError(status === 413 ? 413 : 400, 'InvalidRequestContent', `The request content was invalid and could not be deserialized: ${detail || 'bad request'}.`),
  repeatedQueryParameter: (name: string) =>
    new ArmError(400, 'InvalidQueryParameterValue', `The query parameter '${name}' was given more than once; give it once.`),
  unsupportedAssignmentFilter: (filter: string) =>
    new ArmError(400, 'UnsupportedQuery', `The filter '${filter}' is not supported. Supported filters: atScope(), principalId eq '{id}', assignedTo('{id}').`),
  /** The generic resource list's `$filter` (Azure's words). */
  invalidFilter: (filter: string) => new ArmError(400, 'InvalidFilterInQueryString', `Invalid $filter '${filter}' specified in the query string.`),
  invalidTop: (top: string) => new ArmError(400, 'InvalidQueryParameterValue', `The value '${top}' of the query parameter '$top' is not valid: it must be a whole number from 1 to 1000.`),
  invalidSkipToken: () => new ArmError(400, 'InvalidSkipToken', 'The $skiptoken is not valid; start the listing again.'),
  unsupportedDefinitionFilter: (filter: string) =>
    new ArmError(400, 'UnsupportedQuery', `The filter '${filter}' is not supported. Supported filters: roleName eq '{name}', type eq '{type}', atScopeAndBelow().`),
  subscriptionNotFound: (subscription: string) =>
    new ArmError(404, 'SubscriptionNotFound', `The subscription '${subscription}' could not be found.`),
  clockNotControllable: () =>
    new ArmError(409, 'ClockNotControllable', 'The clock of this Keyless is the system clock; start it with `keyless up --clock controllable` to control time.'),
  internal: () =>
    new ArmError(500, 'InternalServerError', 'The server encountered an internal error. Please retry the request.'),
};

/** The one mapping into ARM: core errors carry Azure's codes already, the surface only chooses the status by kind. */
export function toArmError(error: unknown): ArmError | undefined {
  if (error instanceof ArmError) return error;
  if (error instanceof NamespaceNotRegisteredError) return new MissingRegistrationError(error.namespace, error.message);
  if (error instanceof KeylessError) {
    if (error instanceof NotFoundError) return new ArmError(404, error.code, error.message);
    if (error instanceof ConflictError) return new ArmError(409, error.code, error.message);
    if (error instanceof InvalidInputError) return new ArmError(400, error.code, error.message);
    if (error instanceof AuthorizationError) return new ArmError(403, error.code, error.message);
    if (error instanceof AuthenticationError) return new ArmError(401, error.code, error.message);
    // ARM's answer when a service cannot take a request now: 503 ServiceUnavailable with Retry-After.
    if (error instanceof UnavailableError) return new ArmError(503, 'ServiceUnavailable', error.message, { 'retry-after': String(error.retryAfterSeconds) });
    return undefined;
  }
  const framework = frameworkClientError(error);
  return framework && armErrors.unreadableContent(framework.statusCode, framework.message);
}

export const armDialect: ErrorDialect = { toWire: toArmError, internal: armErrors.internal, label: 'unhandled control-plane error' };
