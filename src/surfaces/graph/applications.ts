import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CredentialService } from '../../directory/index.js';
import type { Principal } from '../../directory/index.js';
import { bodyOf, optionalString, type GraphAccess } from './access.js';
import { graphErrors } from './errors.js';
import { appIdKey, parseFilter, type FilterFields } from './filter.js';
import { replaceKeyCredentials } from './key-credentials.js';
import { GRAPH_METADATA, renderApplication } from './render.js';

const APPLICATION_FIELDS: FilterFields<Principal> = {
  displayName: (p) => p.displayName,
  appId: (p) => p.appId,
  id: (p) => p.applicationObjectId,
};

/**
 * Graph's applications: create (with its service principal), list, read,
 * delete, client secrets (addPassword/removePassword) and certificates
 * (PATCH keyCredentials). Keyless keeps an application and its service
 * principal as one principal: deleting one deletes both.
 */
export function registerApplicationRoutes(app: FastifyInstance, credentials: CredentialService, access: GraphAccess): void {
  const render = (p: Principal) => renderApplication(p, credentials.secrets(p), credentials.certificates(p));
  const idParam = (request: FastifyRequest): string => (request.params as { id: string }).id;

  app.post('/applications', async (request, reply) => {
    access.requireWrite(request);
    const displayName = optionalString(bodyOf(request), 'displayName');
    if (displayName === undefined) throw graphErrors.badRequest("The property 'displayName' is required.");
    const principal = await credentials.createApplication(displayName);
    return reply.code(201).send({ '@odata.context': `${GRAPH_METADATA}#applications/$entity`, ...render(principal) });
  });

  app.get('/applications', async (request, reply) => {
    const matches = parseFilter((request.query as Record<string, unknown>)['$filter'], APPLICATION_FIELDS);
    return reply.send({ '@odata.context': `${GRAPH_METADATA}#applications`, value: credentials.applications().filter(matches).map(render) });
  });

  // applications(appId='{appId}'): the alternate key.
  app.get('/applications(appId=*', async (request, reply) => {
    const appId = appIdKey(request);
    const principal = credentials.applications().find((p) => p.appId === appId);
    if (!principal) throw graphErrors.notFound(appId);
    return reply.send({ '@odata.context': `${GRAPH_METADATA}#applications/$entity`, ...render(principal) });
  });

  app.get('/applications/:id', async (request, reply) =>
    reply.send({ '@odata.context': `${GRAPH_METADATA}#applications/$entity`, ...render(access.application(idParam(request))) }),
  );

  app.delete('/applications/:id', async (request, reply) => {
    await credentials.deleteApplication(access.writable(request, idParam(request)));
    return reply.code(204).send();
  });

  app.patch('/applications/:id', async (request, reply) => {
    const principal = access.writable(request, idParam(request));
    const body = bodyOf(request);
    const other = Object.keys(body).filter((k) => k !== 'keyCredentials');
    if (other.length > 0) throw graphErrors.badRequest(`Keyless can only update an application's keyCredentials, not '${other.join("', '")}'.`);
    if (body['keyCredentials'] !== undefined) await replaceKeyCredentials(credentials, principal, body['keyCredentials']);
    return reply.code(204).send();
  });

  app.post('/applications/:id/addPassword', async (request, reply) => {
    const principal = access.writable(request, idParam(request));
    const input = bodyOf(request)['passwordCredential'] ?? {};
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw graphErrors.badRequest("The property 'passwordCredential' must be an object.");
    const fields = input as Record<string, unknown>;
    // An endDateTime in the past is accepted: that is how an expired secret is made (docs/compatibility.md).
    const { secret, record } = await credentials.addSecret(principal, optionalString(fields, 'displayName') ?? null, optionalString(fields, 'endDateTime'));
    return reply.header('cache-control', 'no-store').send({
      '@odata.context': `${GRAPH_METADATA}#microsoft.graph.passwordCredential`,
      customKeyIdentifier: null,
      displayName: record.displayName,
      endDateTime: record.expiresAt,
      hint: record.hint,
      keyId: record.id,
      secretText: secret,
      startDateTime: record.createdAt,
    });
  });

  app.post('/applications/:id/removePassword', async (request, reply) => {
    const principal = access.writable(request, idParam(request));
    const keyId = optionalString(bodyOf(request), 'keyId');
    if (keyId === undefined) throw graphErrors.badRequest("The property 'keyId' is required.");
    const known = credentials.secrets(principal).some((s) => s.id === keyId.toLowerCase());
    if (!known || !(await credentials.removeCredential(principal, keyId))) throw graphErrors.notFound(keyId);
    return reply.code(204).send();
  });
}
