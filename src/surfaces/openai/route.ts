import { DEPLOYMENT_OPERATIONS, V1_OPERATIONS, type Operation } from './operations.js';
import { matchResponsesPath, storedResponseOperation } from './responses-route.js';

/** A data-plane path, resolved. */
export interface DataPlaneRoute {
  readonly account: string;
  /** Undefined on the v1 API. */
  readonly deployment: string | undefined;
  readonly operation: Operation;
  readonly v1: boolean;
  readonly hasApiVersion: boolean;
  /** The Responses API's `/responses/{id}`: the stored response the path names. */
  readonly responseId?: string | undefined;
}

const ACCOUNTS_PREFIX = /^\/+accounts\//i;

/**
 * Matches `POST /accounts/{a}/openai/deployments/{d}/{operation}` and
 * `POST /accounts/{a}/openai/v1/{operation}` with the same leniency as the
 * rest of the Keyless port (src/surfaces/http/server.ts): fixed segments in
 * any case, repeated and trailing slashes ignored, parameters percent-decoded
 * and kept in their case. Anything else is undefined, for the next handler
 * (which also answers a path that cannot be percent-decoded).
 */
export function matchDataPlaneRoute(url: string): DataPlaneRoute | undefined {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  // Cheap rejection first: every other path on the port goes by here.
  if (!ACCOUNTS_PREFIX.test(path)) return undefined;
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.length < 4 || segments[2]?.toLowerCase() !== 'openai') return undefined;
  const responses = matchResponsesPath(segments);
  if (responses !== undefined) return { ...responses, hasApiVersion: q !== -1 && hasApiVersion(url.slice(q + 1)) };
  const third = segments[3]?.toLowerCase();
  let v1: boolean;
  let deployment: string | undefined;
  let rest: string[];
  if (third === 'deployments' && segments.length >= 6) {
    v1 = false;
    deployment = segments[4];
    rest = segments.slice(5);
  } else if (third === 'v1' && segments.length >= 5) {
    v1 = true;
    rest = segments.slice(4);
  } else {
    return undefined;
  }
  const operations = v1 ? V1_OPERATIONS : DEPLOYMENT_OPERATIONS;
  const name = rest.join('/').toLowerCase();
  if (!Object.hasOwn(operations, name)) return undefined;
  const operation = operations[name] as Operation;
  let account: string;
  try {
    account = decodeURIComponent(segments[1] as string);
    if (deployment !== undefined) deployment = decodeURIComponent(deployment);
  } catch {
    return undefined;
  }
  return { account, deployment, operation, v1, hasApiVersion: q !== -1 && hasApiVersion(url.slice(q + 1)) };
}

/** The operation a request's method performs on a route: POST everywhere, but GET and DELETE on a stored response. */
export function operationFor(route: DataPlaneRoute, method: string | undefined): Operation | undefined {
  if (route.responseId !== undefined) return storedResponseOperation(route.v1, method);
  return method === 'POST' ? route.operation : undefined;
}

function hasApiVersion(query: string): boolean {
  for (const pair of query.split('&')) {
    const equals = pair.indexOf('=');
    const name = equals === -1 ? pair : pair.slice(0, equals);
    if (name === 'api-version') return true;
    // Names in another spelling (percent-encoded, '+' for space) go through the standard decoder.
    if ((name.includes('%') || name.includes('+')) && new URLSearchParams(pair).has('api-version')) return true;
  }
  return false;
}
