import { ModelInputError } from './errors.js';
import { isSchemaObject } from './json-schema.js';
import type { Body } from './params.js';

/**
 * The conversation rules OpenAI enforces around tool calls (messages already
 * validated one by one): a `tool` message answers a call of the assistant
 * message just before it, and every call of an assistant message is answered
 * before the conversation moves on. Params are written `messages.[i].role`,
 * as OpenAI writes them for these two rules.
 */
export function checkToolConversation(body: Body): void {
  const messages = body['messages'] as readonly Body[];
  let pending: string[] | undefined; // ids of the last assistant message's calls not yet answered
  let pendingAt = -1;
  messages.forEach((message, i) => {
    const role = message['role'];
    if (role === 'tool') {
      const id = message['tool_call_id'];
      if (typeof id !== 'string') {
        throw new ModelInputError(
          null,
          "Missing parameter 'tool_call_id': messages with role 'tool' must have a 'tool_call_id'.",
          `messages.[${i}].tool_call_id`,
        );
      }
      if (pending === undefined) {
        throw new ModelInputError(
          null,
          "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
          `messages.[${i}].role`,
        );
      }
      pending = pending.filter((p) => p !== id);
      return;
    }
    if (pending !== undefined && pending.length > 0) throw unanswered(pending, pendingAt);
    pending = role === 'assistant' ? callIds(message) : undefined;
    pendingAt = i;
  });
  if (pending !== undefined && pending.length > 0) throw unanswered(pending, pendingAt);
}

function callIds(message: Body): string[] | undefined {
  const calls = message['tool_calls'];
  if (!Array.isArray(calls) || calls.length === 0) return undefined;
  return calls.map((call: unknown) => (isSchemaObject(call) && typeof call['id'] === 'string' ? call['id'] : ''));
}

function unanswered(ids: readonly string[], at: number): ModelInputError {
  return new ModelInputError(
    null,
    `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${ids.join(', ')}`,
    `messages.[${at}].role`,
  );
}
