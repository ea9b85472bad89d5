import type { FastifyInstance } from 'fastify';

/** application/x-www-form-urlencoded bodies (token endpoints), parsed into a plain object of strings. */
export function registerFormParser(app: FastifyInstance): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_request, body, done) => {
    const out: Record<string, string> = {};
    for (const [name, value] of new URLSearchParams(body as string)) out[name] = value;
    done(null, out);
  });
}
