import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditRecorder } from '../../audit/index.js';
import type { KeylessNames } from '../../config/names.js';
import type { CredentialService } from '../../directory/index.js';
import type { DirectoryService } from '../../directory/index.js';
import type { Principal } from '../../directory/index.js';
import type { RoleAssignmentService } from '../../rbac/index.js';
import type { ReadModel } from '../../store/index.js';
import { principalEntity } from '../../directory/index.js';
import type { TokenService } from '../../tokens/index.js';
import { TokenRejectedError } from '../../tokens/index.js';
import { GraphAccess, setCaller } from './access.js';
import { registerApplicationRoutes } from './applications.js';
import { graphDialectOn, graphErrors } from './errors.js';
import { bearerToken } from '../http/index.js';
import { useErrorDialect } from '../http/index.js';
import { audiencesFor } from '../../tokens/index.js';
import { registerFederatedRoutes } from './federated.js';
import { appIdKey, parseFilter, type FilterFields } from './filter.js';
import { GRAPH_METADATA, renderServicePrincipal, servicePrincipalNames } from './render.js';

/** Graph's version prefix; the scope registered under it answers its own 404s. */
export const GRAPH_PREFIX = '/v1.0';

export interface GraphDeps {
  readonly names: KeylessNames;
  readonly tokens: TokenService;
  readonly directory: DirectoryService;
  readonly credentials: CredentialService;
  readonly rbac: RoleAssignmentService;
  readonly model: ReadModel;
  /** The product's time (error bodies' `innerError.date`). */
  readonly now: () => number;
  /** Where refused writes are recorded. */
  readonly audit: AuditRecorder;
}

const SERVICE_PRINCIPAL_FIELDS: FilterFields<Principal> = {
  displayName: (p) => p.displayName,
  appId: (p) => p.appId,
  id: (p) => p.objectId,
  servicePrincipalNames: { many: (p) => servicePrincipalNames(p) },
};


/**
 * A Microsoft Graph slice: service principals (az resolves role assignment
 * principals through Graph; a deleted principal is Graph's 404, which is how
 * an orphaned assignment shows), and applications with their secrets,
 * certificates and federated credentials. Any valid Keyless token may read;
 * writes need the privileged action (Microsoft.Authorization/roleAssignments/write) at the subscription.
 * Its paths are relative to the /v1.0 prefix it is registered under (GRAPH_PREFIX).
 */
export function registerGraphRoutes(app: FastifyInstance, deps: GraphDeps): void {
  // Graph answers any refused token alike; the hook's error goes to the scope's error handler.
  app.addHook('onRequest', async (request) => {
    const token = bearerToken(request.headers.authorization);
    try {
      if (token === undefined) throw new TokenRejectedError('TokenMalformed', 'missing');
      setCaller(request, deps.tokens.verify(token, { audiences: audiencesFor('graph', deps.names.origins) }));
    } catch (error) {
      throw error instanceof TokenRejectedError ? graphErrors.invalidToken() : error;
    }
  });
  useErrorDialect(app, graphDialectOn(deps.now));
  // Registered under the /v1.0 prefix, so that fastify lets this scope answer its own unknown paths.
  app.setNotFoundHandler(async (request) => {
    const path = request.url.split('?')[0] ?? '';
    throw graphErrors.unknownSegment(path.split('/').filter((s) => s !== '').at(-1) ?? '');
  });

  app.get('/servicePrincipals', async (request, reply) => {
    const matches = parseFilter((request.query as Record<string, unknown>)['$filter'], SERVICE_PRINCIPAL_FIELDS);
    const value = [...deps.model.table(principalEntity).values()].filter(matches).sort((a, b) => a.displayName.localeCompare(b.displayName));
    return reply.send({ '@odata.context': `${GRAPH_METADATA}#servicePrincipals`, value: value.map(renderServicePrincipal) });
  });

  // servicePrincipals(appId='{appId}'): the alternate key, as az's `ad sp show` may ask it.
  app.get('/servicePrincipals(appId=*', async (request, reply) => {
    const appId = appIdKey(request);
    const principal = [...deps.model.table(principalEntity).values()].find((p) => p.appId === appId);
    if (!principal) throw graphErrors.notFound(appId);
    return reply.send({ '@odata.context': `${GRAPH_METADATA}#servicePrincipals/$entity`, ...renderServicePrincipal(principal) });
  });

  app.get('/servicePrincipals/:id', async (request: FastifyRequest, reply) => {
    const { id } = request.params as { id: string };
    const principal = deps.directory.principal(id);
    if (!principal) throw graphErrors.notFound(id);
    return reply.send(renderServicePrincipal(principal));
  });

  app.post('/directoryObjects/getByIds', async (request, reply) => {
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
