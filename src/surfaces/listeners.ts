import type { ClientErrorAnswers, ListenerErrors, WireError } from './http/index.js';
import { MAX_HEADER_BYTES, portClientErrors } from './http/index.js';
import { dataPlaneErrors, matchDataPlaneRoute } from './openai/index.js';
import { entraErrors } from './entra/index.js';
import { GRAPH_PREFIX, graphErrors } from './graph/index.js';
import { APP_SERVICE_PATH, appServiceErrors, imdsDialect, imdsErrors } from './identity-endpoints/index.js';

/**
 * What each listener answers outside every surface's routes, in one place
 * because it spans surfaces: a request node refuses before routing (headers
 * over its limit) is answered in the dialect of the surface its request line
 * names, as a too-large `Authorization` or `api-key` would be if node let it through.
 */

/** Entra's paths on the main port: `/adfs/…` and `/{tenant}/oauth2|discovery|v2.0|.well-known/…`. */
const ENTRA_PATH = /^\/(adfs(\/|$)|[^/]+\/(oauth2|discovery|v2\.0|\.well-known)(\/|$))/i;

const mainPortClientErrors: ClientErrorAnswers = (failure, line) => {
  if (failure !== 'headersTooLarge' || line === undefined) return portClientErrors(failure, line);
  if (matchDataPlaneRoute(line.path, line.method)) {
    const error = dataPlaneErrors.headersTooLarge(MAX_HEADER_BYTES);
    return { status: error.status, headers: {}, body: () => error.body() } satisfies WireError;
  }
  if (ENTRA_PATH.test(line.path)) return entraErrors.headersTooLarge();
  if (line.path.toLowerCase().startsWith(`${GRAPH_PREFIX.toLowerCase()}/`)) return graphErrors.headersTooLarge();
  return portClientErrors(failure, line);
};

/** The main port's own answers are the default ones (http/port-errors.ts), refined per surface for what node refuses. */
export const MAIN_PORT_ERRORS: Partial<ListenerErrors> = { clientError: mainPortClientErrors };

/** The identity port never answers 404 (the client libraries retry a 404 for a minute) and speaks IMDS's dialect outside App Service's path. */
export const IDENTITY_PORT_ERRORS: ListenerErrors = {
  malformedUrl: imdsErrors.malformedUrl,
  notFound: imdsErrors.unknownEndpoint,
  dialect: imdsDialect,
  clientError: (failure, line) => {
    if (failure === 'headersTooLarge') return line?.path.toLowerCase().replace(/\/+$/, '') === APP_SERVICE_PATH ? appServiceErrors.headersTooLarge() : imdsErrors.headersTooLarge();
    return imdsErrors.unreadableRequest(failure === 'timeout' ? 408 : 400, failure === 'timeout' ? 'request timeout' : 'malformed HTTP request');
  },
};
