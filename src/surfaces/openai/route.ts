import { DEPLOYMENT_OPERATIONS, V1_OPERATIONS, type Operation } from './operations.js';
import { matchOtherRoute } from './other-operations.js';
import { judgeApiVersion, type ApiVersionRefusal } from './api-versions.js';
import { matchResponsesPath, storedResponseOperation } from './responses-route.js';

/** A data-plane path, resolved. */
export interface DataPlaneRoute {
  readonly account: string;
  /** Undefined on the v1 API. */
  readonly deployment: string | undefined;
  readonly operation: Operation;
  readonly v1: boolean;
  readonly hasApiVersion: boolean;
  /** The api-version's value, when the query gives one (a 429's message names it). */
  readonly apiVersion: string | undefined;
  /** Why the api-version is refused, judged once per URL (api-versions.ts); undefined when it is fine. */
  readonly apiVersionRefusal?: ApiVersionRefusal | undefined;
  /** The model id of `GET /openai/models/{model-id}`. */
  readonly itemId?: string | undefined;
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
export function matchDataPlaneRoute(url: string, method = 'POST'): DataPlaneRoute | undefined {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  // Cheap rejection first: every other path on the port goes by here.
  if (!ACCOUNTS_PREFIX.test(path)) return undefined;
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.length < 4 || segments[2]?.toLowerCase() !== 'openai') return undefined;
  const responses = matchResponsesPath(segments);
  if (responses !== undefined) {
    // POST creates; GET and DELETE read and delete a stored one; other methods are not the data plane's.
    const operation = responses.responseId === undefined ? (method === 'POST' ? responses.operation : undefined) : storedResponseOperation(responses.v1, method);
    if (operation === undefined) return undefined;
    const query = q === -1 ? '' : url.slice(q + 1);
    const refusal = judgeApiVersion(responses.v1, apiVersionOf(query), { chat: false, deploymentList: false });
    return { ...responses, operation, hasApiVersion: q !== -1 && hasApiVersion(query), apiVersion: apiVersionOf(query), apiVersionRefusal: refusal };
  }
  const third = segments[3]?.toLowerCase();
  let v1 = false;
  let deployment: string | undefined;
  let itemId: string | undefined;
  let operation: Operation | undefined;
  if (method === 'POST' && third === 'deployments' && segments.length >= 6) {
    operation = inference(DEPLOYMENT_OPERATIONS, segments.slice(5));
    deployment = segments[4];
  } else if (method === 'POST' && third === 'v1' && segments.length >= 5) {
    operation = inference(V1_OPERATIONS, segments.slice(4));
    v1 = true;
  }
  if (operation === undefined) {
    const other = matchOtherRoute(method, segments.slice(3));
    if (other === undefined) return undefined;
    ({ operation, v1, deployment, itemId } = other);
  }
  let account: string;
  try {
    account = decodeURIComponent(segments[1] as string);
    if (deployment !== undefined) deployment = decodeURIComponent(deployment);
    if (itemId !== undefined) itemId = decodeURIComponent(itemId);
  } catch {
    return undefined;
  }
  const query = q === -1 ? '' : url.slice(q + 1);
  const apiVersion = apiVersionOf(query);
  const refusal = judgeApiVersion(v1, apiVersion, { chat: operation.kind === 'chat', deploymentList: operation.kind === 'listDeployments' || operation.kind === 'getDeployment' });
  const route: DataPlaneRoute = { account, deployment, operation, v1, hasApiVersion: q !== -1 && hasApiVersion(query), apiVersion };
  // Only routes that need them carry the optional fields, so that the common route keeps its shape.
  if (refusal === undefined && itemId === undefined) return route;
  return { ...route, apiVersionRefusal: refusal, itemId };
}

function inference(operations: Readonly<Record<string, Operation>>, rest: readonly string[]): Operation | undefined {
  const name = rest.join('/').toLowerCase();
  return Object.hasOwn(operations, name) ? operations[name] : undefined;
}

/** The api-version's value (the first one given); an empty value counts as none. */
function apiVersionOf(query: string): string | undefined {
  if (query === '') return undefined;
  const value = new URLSearchParams(query).get('api-version');
  return value === null || value === '' ? undefined : value;
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
