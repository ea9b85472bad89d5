import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CredentialService } from '../../directory/index.js';
import type { FederatedCredential, Principal } from '../../directory/index.js';
import { bodyOf, optionalString, type GraphAccess } from './access.js';
import { graphErrors } from './errors.js';
import { NotFoundError } from '../../shared/errors.js';
import { GRAPH_METADATA, renderFederated } from './render.js';

const MAX_DESCRIPTION = 600;

/** Graph's federatedIdentityCredentials of an application: list, create, read, update, delete (by id or name). */
export function registerFederatedRoutes(app: FastifyInstance, credentials: CredentialService, access: GraphAccess): void {
  const base = '/applications/:id/federatedIdentityCredentials';
  const params = (request: FastifyRequest) => request.params as { id: string; fic?: string };
  const context = (p: Principal) => `${GRAPH_METADATA}#applications('${p.applicationObjectId ?? ''}')/federatedIdentityCredentials`;
  const find = (p: Principal, idOrName: string): FederatedCredential => {
    const key = idOrName.toLowerCase();
    const found = credentials.federated(p).find((f) => f.id === key || f.name.toLowerCase() === key);
    if (!found) throw graphErrors.notFound(idOrName);
    return found;
  };

  app.get(base, async (request, reply) => {
    const principal = access.application(params(request).id);
    return reply.send({ '@odata.context': context(principal), value: credentials.federated(principal).map(renderFederated) });
  });

  app.post(base, async (request, reply) => {
    const principal = access.writable(request, params(request).id);
    const body = bodyOf(request);
    checkDescription(body);
    const name = optionalString(body, 'name');
    if (name === undefined) throw graphErrors.badRequest("The property 'name' is required.");
    // The name is checked inside the write: two creates racing for one name get one 201 and one 409.
    const { credential } = await credentials.putFederated(principal, { name, issuer: body['issuer'], subject: body['subject'], audiences: body['audiences'], mode: 'create' });
    return reply.code(201).send({ '@odata.context': `${context(principal)}/$entity`, ...renderFederated(credential) });
  });

  app.get(`${base}/:fic`, async (request, reply) => {
    const { id, fic = '' } = params(request);
    const principal = access.application(id);
    return reply.send({ '@odata.context': `${context(principal)}/$entity`, ...renderFederated(find(principal, fic)) });
  });

  // Graph's PATCH changes issuer, subject or audiences; the name cannot change.
  app.patch(`${base}/:fic`, async (request, reply) => {
    const { id, fic = '' } = params(request);
    const principal = access.writable(request, id);
    const existing = find(principal, fic);
    const body = bodyOf(request);
    checkDescription(body);
    if (body['name'] !== undefined && body['name'] !== existing.name) throw graphErrors.badRequest("The property 'name' cannot be changed.");
    // Deleted meanwhile: the same 404 as when it was not there at all.
    // Only the fields given: the others keep their values as of the write, not as of this read.
    await credentials.putFederated(principal, {
      name: existing.name,
      issuer: body['issuer'],
      subject: body['subject'],
      audiences: body['audiences'],
      mode: 'update',
    }).catch((error: unknown) => {
      throw error instanceof NotFoundError ? graphErrors.notFound(fic) : error;
    });
    return reply.code(204).send();
  });

  app.delete(`${base}/:fic`, async (request, reply) => {
    const { id, fic = '' } = params(request);
    const principal = access.writable(request, id);
    if (!(await credentials.deleteFederated(principal, fic))) throw graphErrors.notFound(fic);
    return reply.code(204).send();
  });
}

/** Descriptions are checked as Graph does (a string of at most 600 characters) but not kept. */
function checkDescription(body: Record<string, unknown>): void {
  const description = optionalString(body, 'description');
  if (description !== undefined && description.length > MAX_DESCRIPTION) {
    throw graphErrors.badRequest(`The property 'description' must be at most ${MAX_DESCRIPTION} characters.`);
  }
}
