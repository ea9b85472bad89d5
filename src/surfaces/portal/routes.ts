import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { loadPortalFiles, type PortalFile } from './files.js';
import { PORTAL_HEADERS } from './headers.js';

/** Where the portal is served on the HTTPS listener. */
export const PORTAL_PATH = '/portal/';

/**
 * The web portal's static files under /portal/: no sign-in (the page signs in with a one-time link and then calls
 * the ARM, Graph and Keyless APIs as the CLI does), no other file, and the same strict headers on every answer.
 */
export function registerPortalRoutes(app: FastifyInstance, files: ReadonlyMap<string, PortalFile> | undefined = loadPortalFiles()): void {
  const send = (request: FastifyRequest, reply: FastifyReply, name: string) => {
    reply.headers(PORTAL_HEADERS);
    if (files === undefined) return reply.code(503).type('text/plain; charset=utf-8').send('The portal was not built: run `npm run build`.\n');
    const file = files.get(name);
    if (file === undefined) return reply.code(404).type('text/plain; charset=utf-8').send('Not found.\n');
    reply.header('etag', file.etag).type(file.contentType);
    if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
    return reply.send(file.body);
  };
  // The listener ignores a trailing slash in routing: one route answers /portal (a redirect, so relative links resolve) and /portal/.
  app.get('/portal', async (request, reply) => {
    if (!request.url.split('?')[0]?.endsWith('/')) return reply.headers(PORTAL_HEADERS).redirect(PORTAL_PATH, 301);
    return send(request, reply, '');
  });
  app.get(`${PORTAL_PATH}:file`, async (request, reply) => send(request, reply, (request.params as { file: string }).file));
}
