import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RESOURCE_TYPES } from '../../resources/model.js';
import { selectHostIdentity, type IdentitySelector, type SelectionFailure } from '../../resources/host-identity.js';
import { firstQueryValue, identityAudit, unknownResourceMessage, type IdentityEndpointDeps } from './context.js';

export const IMDS_TOKEN_PATH = '/metadata/identity/oauth2/token';
const OPERATION = `GET ${IMDS_TOKEN_PATH}`;
const SELECTORS = { client_id: 'clientId', object_id: 'objectId', msi_res_id: 'resourceId' } as const;
const API_VERSION = /^\d{4}-\d{2}-\d{2}$/;

const SELECTION_ERRORS: Record<SelectionFailure, string> = {
  IdentityNotFound: 'Identity not found',
  MultipleUserAssigned:
    'Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request',
  UserAssignedMustBeNamed: 'Identity not found',
};

/**
 * The IMDS identity endpoint of a VM. Each VM has its own endpoint: a secret
 * path prefix before `/metadata/identity/oauth2/token`, reached through
 * AZURE_POD_IDENTITY_AUTHORITY_HOST (msal-node lowercases it and adds a
 * trailing slash; both forms work). Every value in the body is a string.
 */
export function registerImdsSource(app: FastifyInstance, deps: IdentityEndpointDeps): void {
  app.get(`/:secret${IMDS_TOKEN_PATH}`, async (request, reply) => handle(request, reply, (request.params as { secret: string }).secret));
  // The bare path is what a VM's own IMDS would be; no Keyless host lives there.
  app.get(IMDS_TOKEN_PATH, async (request, reply) => handle(request, reply, undefined));

  async function handle(request: FastifyRequest, reply: FastifyReply, secret: string | undefined) {
    const fail = (body: Record<string, unknown>, reason: string, hostId: string | null = null, principalId: string | null = null) => {
      identityAudit(deps.audit, request, OPERATION, hostId, principalId, 'denied', reason);
      return reply.code(400).send(body);
    };
    if (request.headers['x-forwarded-for'] !== undefined) {
      return fail({ error: 'invalid_request', error_description: 'Requests with the X-Forwarded-For header are not accepted.' }, 'X-Forwarded-For present');
    }
    if (request.headers['metadata'] !== 'true') {
      return fail({ error: 'invalid_request', error_description: 'Required metadata header not specified' }, 'no Metadata header');
    }
    const hostKey = secret === undefined ? undefined : deps.hostSecrets.identify(secret);
    const host = hostKey === undefined ? undefined : deps.resource(hostKey);
    if (!host || host.type !== RESOURCE_TYPES.virtualMachine) {
      return fail({ error: 'invalid_request', error_description: 'This endpoint does not belong to a virtual machine.' }, secret === undefined ? 'bare IMDS path' : 'unknown endpoint secret');
    }
    if (deps.throttle && !deps.throttle.admit(host.key)) {
      identityAudit(deps.audit, request, OPERATION, host.id, null, 'denied', 'throttled');
      return reply.code(429).header('retry-after', '1').send({ error: 'too_many_requests', error_description: 'Too many requests' });
    }
    try {
      const query = request.query as Record<string, unknown>;
      const version = firstQueryValue(query, 'api-version');
      if (version === undefined) {
        return fail({ error: 'Bad request. api-version was not specified in the request. For more information refer to aka.ms/azureimds', 'newest-versions': ['2018-02-01'] }, 'no api-version', host.id);
      }
      if (!API_VERSION.test(version) || version < '2018-02-01') {
        return fail({ error: 'Bad request. api-version is invalid. For more information refer to aka.ms/azureimds', 'newest-versions': ['2018-02-01'] }, 'bad api-version', host.id);
      }
      const resource = firstQueryValue(query, 'resource');
      if (!resource) return fail({ error: 'invalid_request', error_description: 'Required audience parameter not specified' }, 'no resource', host.id);
      const given = Object.keys(SELECTORS).filter((name) => firstQueryValue(query, name) !== undefined) as (keyof typeof SELECTORS)[];
      if (given.length > 1) {
        return fail({ error: 'invalid_request', error_description: 'Only one of client_id, object_id or msi_res_id may be given' }, 'several identity selectors', host.id);
      }
      const selector: IdentitySelector = given[0] === undefined
        ? { by: 'default' }
        : { by: SELECTORS[given[0]], value: firstQueryValue(query, given[0]) ?? '' };
      const selection = selectHostIdentity(host, selector, 'imds', deps.directory, deps.resource);
      if ('failure' in selection) {
        return fail({ error: 'invalid_request', error_description: SELECTION_ERRORS[selection.failure] }, selection.failure, host.id);
      }
      const { principal } = selection;
      if (!deps.knownResources.has(resource)) {
        return fail({ error: 'invalid_resource', error_description: unknownResourceMessage(resource, deps.tenantId()) }, 'unknown resource', host.id, principal.objectId);
      }
      const token = deps.tokens.get(principal, resource, deps.origin());
      identityAudit(deps.audit, request, OPERATION, host.id, principal.objectId, 'allowed', `token for ${resource}`);
      return reply.send({
        access_token: token.accessToken,
        refresh_token: '',
        expires_in: String(token.expiresOn - Math.floor(deps.now() / 1000)),
        expires_on: String(token.expiresOn),
        ext_expires_in: String(token.expiresOn - Math.floor(deps.now() / 1000)),
        not_before: String(token.notBefore),
        resource,
        token_type: 'Bearer',
        client_id: principal.appId,
      });
    } finally {
      deps.throttle?.release(host.key);
    }
  }
}
