import { finalStatus, outputMessage, outputText, responseObject, type ResponsePlan } from './responses.js';
import type { CallContext } from './types.js';

/**
 * The events OpenAI streams for a text response, each with its `type` (sent
 * as the SSE event name) and a `sequence_number` from 0: the response
 * created and in progress, the message and its text part added, one delta
 * per reply unit, then everything done and the response completed (or
 * `response.incomplete` when cut at `max_output_tokens`). No `[DONE]`
 * follows: the Responses API ends with the last event.
 */
export function* responseEvents(plan: ResponsePlan, ctx: CallContext): Generator<Record<string, unknown>> {
  let sequence = 0;
  const event = (type: string, fields: Record<string, unknown>): Record<string, unknown> => ({ type, sequence_number: sequence++, ...fields });
  const at = { item_id: plan.messageId, output_index: 0, content_index: 0 };
  const status = finalStatus(plan);
  const text = plan.generated.content;

  const started = responseObject(plan, ctx, 'in_progress');
  yield event('response.created', { response: started });
  yield event('response.in_progress', { response: started });
  yield event('response.output_item.added', { output_index: 0, item: outputMessage(plan, 'in_progress', []) });
  yield event('response.content_part.added', { ...at, part: outputText('') });
  for (const delta of plan.generated.deltas) yield event('response.output_text.delta', { ...at, delta, logprobs: [] });
  yield event('response.output_text.done', { ...at, text, logprobs: [] });
  yield event('response.content_part.done', { ...at, part: outputText(text) });
  yield event('response.output_item.done', { output_index: 0, item: outputMessage(plan, status, [outputText(text)]) });
  yield event(status === 'completed' ? 'response.completed' : 'response.incomplete', { response: responseObject(plan, ctx, 'final') });
}
