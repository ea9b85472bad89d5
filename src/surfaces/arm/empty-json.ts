import type { FastifyInstance } from 'fastify';

/**
 * ARM takes a POST whose body is empty though it is labelled JSON as a POST
 * without a body (az's `provider register` and the SDKs' bodiless actions
 * send `content-type: application/json` with nothing after it); fastify's
 * own JSON parser refuses it with a 400. Any other body is fastify's, as before.
 */
export function acceptEmptyJson(app: FastifyInstance): void {
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body.length === 0) {
      done(null, undefined);
      return;
    }
    json(request, body as string, done);
  });
}
