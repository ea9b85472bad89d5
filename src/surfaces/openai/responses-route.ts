import type { Operation } from './operations.js';

const PREFIX = 'Microsoft.CognitiveServices/accounts/OpenAI';

/**
 * The Responses API's operations. `responses/write` is what Azure names for
 * `POST /openai/v1/responses` in PermissionDenied; `responses/read` and
 * `responses/delete` follow the same pattern (Azure's built-in roles grant
 * them all through `OpenAI/responses/*` and `OpenAI/*`).
 */
function operations(base: string): { readonly create: Operation; readonly retrieve: Operation; readonly remove: Operation } {
  return {
    create: { kind: 'responses', dataAction: `${PREFIX}/responses/write`, template: `POST ${base}` },
    retrieve: { kind: 'responses', dataAction: `${PREFIX}/responses/read`, template: `GET ${base}/{response_id}` },
    remove: { kind: 'responses', dataAction: `${PREFIX}/responses/delete`, template: `DELETE ${base}/{response_id}` },
  };
}

const V1 = operations('/openai/v1/responses');
/** What the AzureOpenAI client calls: `{endpoint}/openai/responses?api-version=…`. */
const CLASSIC = operations('/openai/responses');

/** A Responses API path, before the query is read. */
export interface ResponsesPath {
  readonly account: string;
  readonly deployment: undefined;
  readonly operation: Operation;
  readonly v1: boolean;
  /** Set for `/responses/{id}` (GET and DELETE). */
  readonly responseId: string | undefined;
}

/**
 * `/accounts/{a}/openai/v1/responses[/{id}]` and `/accounts/{a}/openai/responses[/{id}]`
 * (segments as split by matchDataPlaneRoute), or undefined. `/responses` is
 * created by POST; `/responses/{id}` is read by GET and deleted by DELETE
 * (see storedResponseOperation).
 */
export function matchResponsesPath(segments: readonly string[]): ResponsesPath | undefined {
  const v1 = segments[3]?.toLowerCase() === 'v1';
  const at = v1 ? 4 : 3;
  if (segments[at]?.toLowerCase() !== 'responses' || segments.length > at + 2) return undefined;
  const table = v1 ? V1 : CLASSIC;
  const rawId = segments[at + 1];
  try {
    const account = decodeURIComponent(segments[1] as string);
    if (rawId === undefined) return { account, deployment: undefined, operation: table.create, v1, responseId: undefined };
    // GET and DELETE share the path: matchDataPlaneRoute (route.ts) picks by method.
    return { account, deployment: undefined, operation: table.retrieve, v1, responseId: decodeURIComponent(rawId) };
  } catch {
    return undefined;
  }
}

/** The operation `method` performs on a stored response (`/responses/{id}`), or undefined for another method. */
export function storedResponseOperation(v1: boolean, method: string | undefined): Operation | undefined {
  const table = v1 ? V1 : CLASSIC;
  if (method === 'GET') return table.retrieve;
  if (method === 'DELETE') return table.remove;
  return undefined;
}

/** Whether the operation deletes a stored response (else it reads one). */
export function deletesResponse(operation: Operation): boolean {
  return operation === V1.remove || operation === CLASSIC.remove;
}
