import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { RESOURCE_TYPES } from '../../resources/model.js';
import { selectHostIdentity, type IdentitySelector } from '../../resources/host-identity.js';
import { firstQueryValue, identityAudit, unknownResourceMessage, type IdentityEndpointDeps } from './context.js';

export const APP_SERVICE_PATH = '/msi/token';
const OPERATION = `GET ${APP_SERVICE_PATH}`;
const SELECTORS = { client_id: 'clientId', principal_id: 'objectId', object_id: 'objectId', mi_res_id: 'resourceId' } as const;

/**
 * The App Service / Functions / Container Apps identity endpoint:
 * `GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=…` with the app's
 * own secret in X-IDENTITY-HEADER. Errors use App Service's own envelope.
 */
export function registerAppServiceSource(app: FastifyInstance, deps: IdentityEndpointDeps): void {
  app.get(APP_SERVICE_PATH, async (request, reply) => {
    const fail = (status: number, message: string, reason: string, hostId: string | null = null, principalId: string | null = null) => {
      identityAudit(deps.audit, request, OPERATION, hostId, principalId, 'denied', reason);
      return reply.code(status).send({ statusCode: status, message, correlationId: randomUUID() });
    };
    const secret = request.headers['x-identity-header'];
    const hostKey = typeof secret === 'string' && secret !== '' ? deps.hostSecrets.identify(secret) : undefined;
    const host = hostKey === undefined ? undefined : deps.resource(hostKey);
    if (!host || host.type !== RESOURCE_TYPES.site) {
      return fail(400, 'The X-IDENTITY-HEADER header is missing or does not belong to an app.', secret ? 'unknown identity header' : 'no identity header');
    }
    if (deps.throttle && !deps.throttle.admit(host.key)) {
      identityAudit(deps.audit, request, OPERATION, host.id, null, 'denied', 'throttled');
      return reply.code(429).header('retry-after', '1').send({ statusCode: 429, message: 'Too many requests.', correlationId: randomUUID() });
    }
    try {
      const query = request.query as Record<string, unknown>;
      const version = firstQueryValue(query, 'api-version');
      if (version !== '2019-08-01') {
        return fail(400, version === undefined ? 'The api-version parameter is required.' : `The api-version '${version}' is not supported; use 2019-08-01.`, 'bad api-version', host.id);
      }
      const resource = firstQueryValue(query, 'resource');
      if (!resource) return fail(400, 'The resource parameter is required.', 'no resource', host.id);
      const given = Object.keys(SELECTORS).filter((name) => firstQueryValue(query, name) !== undefined) as (keyof typeof SELECTORS)[];
      if (given.length > 1) {
        return fail(400, `Only one of ${Object.keys(SELECTORS).join(', ')} may be given.`, 'several identity selectors', host.id);
      }
      const selector: IdentitySelector = given[0] === undefined
        ? { by: 'default' }
        : { by: SELECTORS[given[0]], value: firstQueryValue(query, given[0]) ?? '' };
      const selection = selectHostIdentity(host, selector, 'appService', deps.directory, deps.resource);
      if ('failure' in selection) return fail(400, 'Unable to load the proper Managed Identity.', selection.failure, host.id);
      const { principal } = selection;
      if (!deps.knownResources.has(resource)) {
        return fail(400, unknownResourceMessage(resource, deps.tenantId()), 'unknown resource', host.id, principal.objectId);
      }
      const token = deps.tokens.get(principal, resource, deps.origin());
      identityAudit(deps.audit, request, OPERATION, host.id, principal.objectId, 'allowed', `token for ${resource}`);
      return reply.send({
        access_token: token.accessToken,
        expires_on: String(token.expiresOn),
        resource,
        token_type: 'Bearer',
        client_id: principal.appId,
      });
    } finally {
      deps.throttle?.release(host.key);
    }
  });
}
