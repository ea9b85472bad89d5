import { randomInt } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { KeylessNames } from '../../config/names.js';
import type { DirectoryService } from '../../directory/service.js';
import { ClientAuthenticationError } from '../../directory/errors.js';
import type { Keyring } from '../../tokens/signing-keys.js';
import type { TokenService } from '../../tokens/service.js';
import type { KnownResources } from '../../tokens/resources.js';
import { openIdConfiguration } from './discovery.js';
import { EntraError, entraErrors } from './errors.js';
import { parseTokenRequest } from './token-request.js';

export interface EntraDeps {
  readonly names: KeylessNames;
  readonly tenantId: () => string;
  readonly directory: DirectoryService;
  readonly keyring: Keyring;
  readonly tokens: TokenService;
  readonly resources: KnownResources;
  /** Fixed app-token lifetime in seconds; undefined = Entra's random 60–90 minutes. */
  readonly appTokenLifetime: number | undefined;
}

/** The authority: discovery, keys and the token endpoint, in Entra's dialect. */
export function registerEntraRoutes(app: FastifyInstance, deps: EntraDeps): void {
  const tenantOf = (request: FastifyRequest): string => (request.params as { tenant: string }).tenant;
  const checkTenant = (tenant: string): void => {
    if (tenant.toLowerCase() !== deps.tenantId().toLowerCase()) throw entraErrors.tenantNotFound(tenant);
  };
  const origin = (request: FastifyRequest): string => deps.names.originFor(request.headers.host);

  app.get('/:tenant/v2.0/.well-known/openid-configuration', async (request, reply) =>
    discovery(request, reply, 'v2'),
  );
  app.get('/:tenant/.well-known/openid-configuration', async (request, reply) => discovery(request, reply, 'v1'));
  for (const path of ['/:tenant/discovery/v2.0/keys', '/:tenant/discovery/keys']) {
    app.get(path, async (request, reply) => {
      const tenant = tenantOf(request);
      if (tenant !== 'common') checkTenant(tenant);
      return reply.header('cache-control', 'max-age=86400, private').send({ keys: deps.keyring.jwks() });
    });
  }

  app.post('/:tenant/oauth2/v2.0/token', async (request, reply) => token(request, reply, 'v2'));
  app.post('/:tenant/oauth2/token', async (request, reply) => token(request, reply, 'v1'));

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof EntraError) {
      return reply.code(error.status).header('cache-control', 'no-store').send(error.body(correlation(request)));
    }
    throw error;
  });

  async function discovery(request: FastifyRequest, reply: FastifyReply, version: 'v1' | 'v2') {
    checkTenant(tenantOf(request));
    return reply.send(openIdConfiguration(origin(request), deps.tenantId(), version));
  }

  async function token(request: FastifyRequest, reply: FastifyReply, version: 'v1' | 'v2') {
    const tenant = tenantOf(request);
    checkTenant(tenant);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const parsed = parseTokenRequest(typeof body === 'object' ? body : {}, request.headers.authorization, version);
    let principal;
    try {
      principal = deps.directory.authenticateClientSecret(parsed.clientId, parsed.clientSecret);
    } catch (error) {
      throw toEntra(error, parsed.clientId, tenant);
    }
    if (!deps.resources.has(parsed.resource) && !deps.names.isOwnOrigin(parsed.resource)) {
      throw entraErrors.unknownResource(parsed.resource, tenant);
    }
    const lifetime = deps.appTokenLifetime ?? randomInt(3600, 5401);
    const issued = deps.tokens.issue({
      principal,
      audience: parsed.resource,
      origin: origin(request),
      lifetimeSeconds: lifetime,
      appidacr: '1',
    });
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    if (version === 'v2') {
      return reply.send({ token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: issued.accessToken });
    }
    return reply.send({
      token_type: 'Bearer',
      expires_in: String(lifetime),
      ext_expires_in: String(lifetime),
      expires_on: String(issued.expiresOn),
      not_before: String(issued.notBefore),
      resource: parsed.resource,
      access_token: issued.accessToken,
    });
  }
}

function toEntra(error: unknown, clientId: string, tenant: string): unknown {
  if (!(error instanceof ClientAuthenticationError)) return error;
  switch (error.failure) {
    case 'UnknownClient':
      return entraErrors.unknownClient(clientId, tenant);
    case 'NoCredential':
      return entraErrors.noCredential();
    case 'InvalidSecret':
      return entraErrors.invalidSecret(clientId);
    case 'ExpiredSecret':
      return entraErrors.expiredSecret(clientId);
  }
}

function correlation(request: FastifyRequest): string | undefined {
  const header = request.headers['client-request-id'] ?? request.headers['x-ms-client-request-id'];
  if (typeof header === 'string') return header;
  const query = (request.query as Record<string, unknown> | undefined)?.['client-request-id'];
  return typeof query === 'string' ? query : undefined;
}
