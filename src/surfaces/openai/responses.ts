import { deletedResponse, type StoredResponses } from '../../models/index.js';
import type { DataPlaneAnswer } from './data-plane.js';
import { dataPlaneErrors, type DataPlaneError } from './errors.js';

/**
 * `GET` / `DELETE …/responses/{id}` on an account: only the account's own
 * responses exist for it; any other id is OpenAI's 404 (Azure serves the
 * Responses API with OpenAI's error bodies).
 */
export function storedResponseAnswer(stored: StoredResponses, accountKey: string, method: 'GET' | 'DELETE', id: string): DataPlaneAnswer {
  if (method === 'GET') {
    const json = stored.get(accountKey, id);
    return json === undefined ? notFound(id) : { status: 200, json };
  }
  return stored.delete(accountKey, id) ? { status: 200, json: deletedResponse(id) } : notFound(id);
}

function notFound(id: string): DataPlaneAnswer {
  const error: DataPlaneError = dataPlaneErrors.responseNotFound(id);
  return { status: error.status, json: JSON.stringify(error.body()) };
}
