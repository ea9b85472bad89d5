import { deletedResponse, type StoredResponses } from '../../models/index.js';
import { openAiErrors, type OpenAiError } from './errors.js';

const RESPONSE_PATH = /^\/v1\/responses\/([^/]+)$/;

/**
 * `GET` and `DELETE /v1/responses/{id}`: the stored response, OpenAI's
 * deletion answer, or its 404 for an id it does not hold. Undefined for any
 * other request. Without a store (a backend that keeps none), no id exists.
 */
export function storedResponseAnswer(method: string | undefined, path: string, stored: StoredResponses | undefined): string | OpenAiError | undefined {
  if (method !== 'GET' && method !== 'DELETE') return undefined;
  const match = RESPONSE_PATH.exec(path);
  if (match === null) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(match[1] as string);
  } catch {
    return openAiErrors.unknownUrl(method, path);
  }
  if (method === 'GET') return stored?.get('', id) ?? openAiErrors.responseNotFound(id);
  return stored?.delete('', id) === true ? deletedResponse(id) : openAiErrors.responseNotFound(id);
}
