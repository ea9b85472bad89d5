import { randomInt } from 'node:crypto';
import type { AuthenticatedClient } from '../../../directory/index.js';
import type { TokenRequest, TokenEndpointVersion } from '../token-request.js';
import type { EntraDeps } from '../deps.js';
import { entraErrors } from '../errors.js';
import { MAX_APP_TOKEN_LIFETIME_SECONDS, MIN_APP_TOKEN_LIFETIME_SECONDS } from '../../../shared/time-limits.js';

export interface GrantContext {
  readonly request: TokenRequest;
  readonly version: TokenEndpointVersion;
  readonly tenant: string;
  readonly origin: string;
  readonly deps: EntraDeps;
  /** Called once the client is authenticated, before anything is issued: throws when the client is over its limits. */
  readonly admit: (client: AuthenticatedClient) => void;
}

export interface Grant {
  readonly grantType: string;
  handle(ctx: GrantContext): Promise<{ body: Record<string, unknown>; client: AuthenticatedClient }>;
}

/** client_credentials: an application (or a user-assigned identity, federated) gets an app token for a known resource. */
export const clientCredentials: Grant = {
  grantType: 'client_credentials',
  async handle({ request, version, tenant, origin, deps, admit }) {
    const client = await deps.clients.authenticate(request);
    admit(client);
    if (!deps.resources.has(request.resource) && !deps.names.isOwnOrigin(request.resource)) {
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
        client,
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
    return { client, body: { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: issued.accessToken } };
  },
};

/** Grants by grant_type, as plug-ins (node-oidc-provider's shape). */
export const GRANTS: ReadonlyMap<string, Grant> = new Map([[clientCredentials.grantType, clientCredentials]]);
