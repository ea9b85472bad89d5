import { AuthenticationError, AuthorizationError, ConflictError, InvalidInputError, KeylessError, NotFoundError } from '../../shared/errors.js';

/** An error in Azure Resource Manager's dialect: status, `{"error":{"code","message"}}`, and sometimes headers. */
export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  body(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/** Core errors carry Azure's codes already; the surface only chooses the status by kind. */
export function toArmError(error: unknown): ArmError | undefined {
  if (error instanceof ArmError) return error;
  if (!(error instanceof KeylessError)) return undefined;
  if (error instanceof NotFoundError) return new ArmError(404, error.code, error.message);
  if (error instanceof ConflictError) return new ArmError(409, error.code, error.message);
  if (error instanceof InvalidInputError) return new ArmError(400, error.code, error.message);
  if (error instanceof AuthorizationError) return new ArmError(403, error.code, error.message);
  if (error instanceof AuthenticationError) return new ArmError(401, error.code, error.message);
  return undefined;
}

export const armErrors = {
  missingApiVersion: () =>
    new ArmError(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests."),
  invalidApiVersion: (version: string) =>
    new ArmError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${version}' is invalid. The supported versions are dates of the form 'YYYY-MM-DD' with an optional '-preview' suffix.`,
    ),
  authorizationFailed: (objectId: string, clientId: string, action: string, scope: string) =>
    new ArmError(
      403,
      'AuthorizationFailed',
      `The client '${clientId}' with object id '${objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    ),
  linkedAuthorizationFailed: (objectId: string, clientId: string, action: string, scope: string) =>
    new ArmError(
      403,
      'LinkedAuthorizationFailed',
      `The client '${clientId}' with object id '${objectId}' has permission to perform the write, but does not have permission to perform action '${action}' on the linked scope '${scope}' or the linked scope is invalid.`,
    ),
  noRoute: (method: string, path: string) =>
    new ArmError(404, 'NoRegisteredProviderFound', `No registered resource provider found for ${method} ${path}.`),
  methodNotAllowed: (method: string) =>
    new ArmError(405, 'MethodNotAllowed', `The HTTP method '${method}' is not supported at this path.`),
  invalidContent: (message: string) => new ArmError(400, 'InvalidRequestContent', message),
  repeatedQueryParameter: (name: string) =>
    new ArmError(400, 'InvalidQueryParameterValue', `The query parameter '${name}' was given more than once; give it once.`),
  subscriptionNotFound: (subscription: string) =>
    new ArmError(404, 'SubscriptionNotFound', `The subscription '${subscription}' could not be found.`),
};
