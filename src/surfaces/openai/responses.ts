import { deletedResponse, type ModelBackend, type ModelChunks, type ModelRequest, type StoredResponses } from '../../models/index.js';
import type { DataPlaneAnswer } from './data-plane.js';
import { dataPlaneErrors, type DataPlaneError } from './errors.js';

/** `POST …/responses`: the backend's Response, or its typed event stream (`event:` lines, no `[DONE]`). */
export function createResponse(model: ModelBackend, request: ModelRequest): DataPlaneAnswer | Promise<DataPlaneAnswer> {
  if (request.body['stream'] === true) {
    const events = model.responsesStream(request);
    return events instanceof Promise ? events.then(typedStream) : typedStream(events);
  }
  const json = model.responses(request);
  return typeof json === 'string' ? { status: 200, json } : json.then((text) => ({ status: 200, json: text }));
}

const typedStream = (events: ModelChunks): DataPlaneAnswer => ({ status: 200, events, framing: 'typed' });

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
