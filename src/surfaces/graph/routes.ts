import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { KeylessNames } from '../../config/names.js';
import type { CredentialService } from '../../directory/credentials.js';
import type { DirectoryService } from '../../directory/service.js';
import type { Principal } from '../../directory/model.js';
import type { RoleAssignmentService } from '../../rbac/assignments.js';
import type { ReadModel } from '../../store/read-model.js';
import { principalEntity } from '../../directory/index.js';
import type { TokenService } from '../../tokens/service.js';
import { TokenRejectedError } from '../../tokens/errors.js';
import { GraphAccess, setCaller } from './access.js';
import { registerApplicationRoutes } from './applications.js';
import { graphError, graphErrors, sendGraphError, toGraphError } from './errors.js';
import { registerFederatedRoutes } from './federated.js';
import { parseFilter, type FilterFields } from './filter.js';
import { GRAPH_METADATA, renderServicePrincipal } from './render.js';

export interface GraphDeps {
  readonly names: KeylessNames;
  readonly tokens: TokenService;
  readonly directory: DirectoryService;
  readonly credentials: CredentialService;
  readonly rbac: RoleAssignmentService;
  readonly model: ReadModel;
}

const GRAPH_AUDIENCES = ['https://graph.microsoft.com', 'https://graph.microsoft.com/'];

const SERVICE_PRINCIPAL_FIELDS: FilterFields<Principal> = {
  displayName: (p) => p.displayName,
  appId: (p) => p.appId,
  id: (p) => p.objectId,
};

/**
 * A Microsoft Graph slice: service principals (az resolves role assignment
 * principals through Graph; a deleted principal is Graph's 404, which is how
 * an orphaned assignment shows), and applications with their secrets,
 * certificates and federated credentials. Any valid Keyless token may read;
 * writes need the privileged action (Microsoft.Authorization/roleAssignments/write) at the subscription.
 */
export function registerGraphRoutes(app: FastifyInstance, deps: GraphDeps): void {
  const audiences = (): ReadonlySet<string> => new Set([...deps.names.controlPlaneAudiences, ...GRAPH_AUDIENCES]);

  app.addHook('onRequest', async (request, reply) => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    try {
      if (!match?.[1]) throw new TokenRejectedError('TokenMalformed', 'missing');
      setCaller(request, deps.tokens.verify(match[1], { audiences: audiences() }));
    } catch (error) {
      if (!(error instanceof TokenRejectedError)) throw error;
      return graphError(reply, 401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
    }
    return undefined;
  });

  app.setErrorHandler((error, request, reply) => {
    const graph = toGraphError(error);
    if (graph) return sendGraphError(reply, graph);
    request.log.error({ err: error }, 'unhandled graph error');
    return graphError(reply, 500, 'generalException', 'An unexpected error occurred.');
  });

  app.get('/v1.0/servicePrincipals', async (request, reply) => {
    const matches = parseFilter((request.query as Record<string, unknown>)['$filter'], SERVICE_PRINCIPAL_FIELDS);
    const value = [...deps.model.table(principalEntity).values()].filter(matches).sort((a, b) => a.displayName.localeCompare(b.displayName));
    return reply.send({ '@odata.context': `${GRAPH_METADATA}#servicePrincipals`, value: value.map(renderServicePrincipal) });
  });

  app.get('/v1.0/servicePrincipals/:id', async (request: FastifyRequest, reply) => {
    const { id } = request.params as { id: string };
    const principal = deps.directory.principal(id);
    if (!principal) throw graphErrors.notFound(id);
    return reply.send(renderServicePrincipal(principal));
  });

  app.post('/v1.0/directoryObjects/getByIds', async (request, reply) => {
    const body = request.body as { ids?: unknown } | undefined;
    const ids = body?.ids;
    if (!Array.isArray(ids) || ids.length > 1000 || !ids.every((id): id is string => typeof id === 'string')) {
      throw graphErrors.badRequest("The 'ids' property must be an array of at most 1000 object ids.");
    }
    const found = ids.map((id) => deps.directory.principal(id)).filter((p): p is Principal => p !== undefined);
    return reply.send({ '@odata.context': `${GRAPH_METADATA}#directoryObjects`, value: found.map(renderServicePrincipal) });
  });

  const access = new GraphAccess(deps);
  registerApplicationRoutes(app, deps.credentials, access);
  registerFederatedRoutes(app, deps.credentials, access);
}
