import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { KeylessNames } from '../../config/names.js';
import type { DirectoryService } from '../../directory/service.js';
import type { Principal } from '../../directory/model.js';
import type { TokenService } from '../../tokens/service.js';
import { TokenRejectedError } from '../../tokens/errors.js';

export interface GraphDeps {
  readonly names: KeylessNames;
  readonly tokens: TokenService;
  readonly directory: DirectoryService;
}

const GRAPH_AUDIENCES = ['https://graph.microsoft.com', 'https://graph.microsoft.com/'];

/**
 * A small Microsoft Graph slice: enough for tools to show who a principal
 * is (az resolves role assignment principals through Graph). A deleted
 * principal is Graph's 404, which is how an orphaned assignment shows.
 */
export function registerGraphRoutes(app: FastifyInstance, deps: GraphDeps): void {
  const audiences = (): ReadonlySet<string> => new Set([...deps.names.controlPlaneAudiences, ...GRAPH_AUDIENCES]);

  app.addHook('onRequest', async (request, reply) => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    try {
      if (!match?.[1]) throw new TokenRejectedError('TokenMalformed', 'missing');
      deps.tokens.verify(match[1], { audiences: audiences() });
    } catch (error) {
      if (!(error instanceof TokenRejectedError)) throw error;
      return graphError(reply, 401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
    }
    return undefined;
  });

  app.get('/v1.0/servicePrincipals/:id', async (request: FastifyRequest, reply) => {
    const { id } = request.params as { id: string };
    const principal = deps.directory.principal(id);
    if (!principal) {
      return graphError(reply, 404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
    }
    return reply.send(renderServicePrincipal(principal));
  });

  app.post('/v1.0/directoryObjects/getByIds', async (request, reply) => {
    const body = request.body as { ids?: unknown } | undefined;
    const ids = body?.ids;
    if (!Array.isArray(ids) || ids.length > 1000 || !ids.every((id): id is string => typeof id === 'string')) {
      return graphError(reply, 400, 'Request_BadRequest', "The 'ids' property must be an array of at most 1000 object ids.");
    }
    const found = ids.map((id) => deps.directory.principal(id)).filter((p): p is Principal => p !== undefined);
    return reply.send({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#directoryObjects', value: found.map(renderServicePrincipal) });
  });
}

function renderServicePrincipal(principal: Principal): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.servicePrincipal',
    id: principal.objectId,
    appId: principal.appId,
    displayName: principal.displayName,
    servicePrincipalType: principal.kind === 'Application' ? 'Application' : 'ManagedIdentity',
    alternativeNames: principal.resourceId === null ? [] : [`isExplicit=${principal.kind === 'UserAssignedIdentity'}`, principal.resourceId],
  };
}

function graphError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  const now = new Date().toISOString();
  return reply.code(status).send({
    error: { code, message, innerError: { date: now.slice(0, 19), 'request-id': randomUUID(), 'client-request-id': randomUUID() } },
  });
}
