import type { FastifyInstance } from 'fastify';

/** The largest token-request body read (Entra's limit is not published; msal's requests are a few KiB). */
export const FORM_BODY_LIMIT = 256 * 1024;

/**
 * A token request's body as the endpoint reads it: the parameters of an
 * `application/x-www-form-urlencoded` body (empty for a body of any other
 * type, which Entra reads as no parameters at all), and the first parameter
 * given more than once, which Entra refuses rather than pick one.
 */
export class FormBody {
  constructor(
    readonly params: Readonly<Record<string, string>>,
    readonly duplicate: string | undefined,
  ) {}

  static readonly EMPTY = new FormBody({}, undefined);
}

/**
 * The body parsers of a token endpoint's scope: forms, and a catch-all that
 * reads any other body (up to the same limit) as no parameters. The scope's
 * other parsers (fastify's JSON and text) are removed: a JSON body must not
 * pass for a form.
 */
export function registerFormParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (_request, body, done) => {
    done(null, parseForm(body as string));
  });
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: FORM_BODY_LIMIT }, (_request, _body, done) => done(null, FormBody.EMPTY));
}

export function parseForm(text: string): FormBody {
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  let duplicate: string | undefined;
  for (const [name, value] of new URLSearchParams(text)) {
    if (name === '') continue;
    if (Object.hasOwn(params, name)) duplicate ??= name;
    else params[name] = value;
  }
  return new FormBody(params, duplicate);
}
