/** A data-plane answer in Azure OpenAI's exact words (azure-behaviour.md §1); the body is byte-for-byte Azure's. */
export class DataPlaneError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    /** Why, for the audit only: never sent. */
    readonly reason: string,
  ) {
    super(reason);
  }
}

const KEY_MESSAGE =
  'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.';

export const dataPlaneErrors = {
  /** A wrong or missing api-key (and no credential at all: Keyless's choice, see docs/compatibility.md). */
  invalidKey: (reason: string) => new DataPlaneError(401, { error: { code: '401', message: KEY_MESSAGE } }, reason),
  invalidToken: (reason: string) =>
    new DataPlaneError(
      401,
      {
        statusCode: 401,
        message: 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.',
      },
      reason,
    ),
  permissionDenied: (principalId: string, dataAction: string, operation: string, reason: string) =>
    new DataPlaneError(
      401,
      {
        error: {
          code: 'PermissionDenied',
          message: `The principal \`${principalId}\` lacks the required data action \`${dataAction}\` to perform \`${operation}\` operation.`,
        },
      },
      reason,
    ),
  localAuthDisabled: () =>
    new DataPlaneError(403, { error: { code: 'AuthenticationTypeDisabled', message: 'Key based authentication is disabled for this resource.' } }, 'key sent while local auth is disabled'),
  resourceNotFound: (reason: string) => new DataPlaneError(404, { error: { code: '404', message: 'Resource not found' } }, reason),
  deploymentNotFound: () =>
    new DataPlaneError(
      404,
      {
        error: {
          code: 'DeploymentNotFound',
          message: 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
        },
      },
      'unknown deployment',
    ),
  invalidRequest: (message: string, param: string | null, code: string | null) =>
    new DataPlaneError(400, { error: { message, type: 'invalid_request_error', param, code } }, 'invalid request body'),
};
