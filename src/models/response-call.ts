import { invalidType, previousResponseNotFound } from './errors.js';
import type { ChatMessage } from './messages.js';
import type { ResponseStore } from './response-store.js';
import { continuedConversation, planResponse, responseObject, type ResponsePlan } from './responses.js';
import { responseEvents } from './responses-stream.js';
import type { ModelRequest } from './types.js';

/** One Responses API call, planned (and so validated) against its owner's stored responses. */
export interface ResponseCall {
  /** The serialised Response, stored first when the request asks for it. */
  answer(): string;
  /** The stream of events; the response is stored once its last event is out. */
  events(): Iterable<Record<string, unknown>>;
}

/**
 * Plans the call now: an invalid body or an unknown `previous_response_id`
 * throws ModelInputError before anything is answered or streamed.
 */
export function respond(store: ResponseStore, request: ModelRequest): ResponseCall {
  const { ctx } = request;
  const scope = request.scope ?? request.deploymentKey;
  const plan = planResponse(request.body, ctx, history(store, scope, request.body['previous_response_id']));
  const keep = (json: string): void => {
    if (plan.store) store.put(scope, ctx.id, json, continuedConversation(plan));
  };
  return {
    answer: () => {
      const json = JSON.stringify(responseObject(plan, ctx, 'final'));
      keep(json);
      return json;
    },
    events: () => storingEvents(plan, request, keep),
  };
}

function history(store: ResponseStore, scope: string, previous: unknown): readonly ChatMessage[] {
  if (previous === undefined || previous === null) return [];
  if (typeof previous !== 'string') throw invalidType('previous_response_id', 'a string', previous);
  const conversation = store.conversation(scope, previous);
  if (conversation === undefined) throw previousResponseNotFound(previous);
  return conversation;
}

function* storingEvents(plan: ResponsePlan, request: ModelRequest, keep: (json: string) => void): Generator<Record<string, unknown>> {
  let last: Record<string, unknown> | undefined;
  for (const event of responseEvents(plan, request.ctx)) {
    last = event;
    yield event;
  }
  if (last !== undefined) keep(JSON.stringify(last['response']));
}
