import type { AuthenticatedClient } from '../../../directory/index.js';
import { randomInt } from 'node:crypto';
import type { Grant } from './grant.js';
import { entraErrors } from '../errors.js';
import { MAX_APP_TOKEN_LIFETIME_SECONDS, MIN_APP_TOKEN_LIFETIME_SECONDS } from '../../../shared/time-limits.js';

/** client_credentials: an application (or a user-assigned identity, federated) gets an app token for a known resource. */
export const clientCredentials: Grant = {
  grantType: 'client_credentials',
  async handle({ request, version, tenant, origin, deps, admit }) {
    const client = await deps.clients.authenticate(request);
    admit(client.principal.objectId);
    if (!deps.resources.has(request.resource)) {
      throw entraErrors.unknownResource(request.resource, tenant);
    }
    // Entra: a random 60–90 minutes unless configured.
    const lifetime = deps.appTokenLifetime ?? randomInt(MIN_APP_TOKEN_LIFETIME_SECONDS, MAX_APP_TOKEN_LIFETIME_SECONDS + 1);
    const issued = deps.tokens.issue({
      principal: client.principal,
      audience: request.resource,
      origin,
      lifetimeSeconds: lifetime,
      appidacr: client.method === 'secret' ? '1' : '2',
    });
    if (version === 'v1') {
      return {
        ...answered(client),
        body: {
          token_type: 'Bearer',
          expires_in: String(lifetime),
          ext_expires_in: String(lifetime),
          expires_on: String(issued.expiresOn),
          not_before: String(issued.notBefore),
          resource: request.resource,
          access_token: issued.accessToken,
        },
      };
    }
    return { ...answered(client), body: { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: issued.accessToken } };
  },
};

/** Who the token is for, and how the client proved it (an assertion seen before is accepted, and said so). */
function answered(client: AuthenticatedClient): { principal: AuthenticatedClient['principal']; how: string; note?: string } {
  return { principal: client.principal, how: client.method, ...(client.reusedAssertion && { note: 'assertion reused (same jti within its lifetime)' }) };
}
