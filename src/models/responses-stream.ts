import type { ToolCallPlan } from './chat-plan.js';
import type { Generated } from './realize.js';
import { finalStatus, functionCallItem, outputMessage, outputText, responseObject, type ResponsePlan } from './responses.js';
import type { CallContext } from './types.js';

type Event = (type: string, fields: Record<string, unknown>) => Record<string, unknown>;

/**
 * The events OpenAI streams for a response, each with its `type` (sent as
 * the SSE event name) and a `sequence_number` from 0: the response created
 * and in progress, then its output (a message with one text part, or one
 * function_call item per call), each added, streamed in deltas and done, then
 * the response completed (or `response.incomplete` when cut at
 * `max_output_tokens`). No `[DONE]` follows: the Responses API ends with the
 * last event.
 */
export function* responseEvents(plan: ResponsePlan, ctx: CallContext): Generator<Record<string, unknown>> {
  let sequence = 0;
  const event: Event = (type, fields) => ({ type, sequence_number: sequence++, ...fields });
  const started = responseObject(plan, ctx, 'in_progress');
  yield event('response.created', { response: started });
  yield event('response.in_progress', { response: started });
  const status = finalStatus(plan);
  const { reply } = plan;
  if (reply.kind === 'text') yield* messageEvents(plan, event, reply.text, status);
  else yield* reply.calls.flatMap((call, i) => callEvents(plan, event, call, i, i === reply.calls.length - 1 ? status : 'completed'));
  yield event(status === 'completed' ? 'response.completed' : 'response.incomplete', { response: responseObject(plan, ctx, 'final') });
}

function* messageEvents(plan: ResponsePlan, event: Event, generated: Generated, status: 'completed' | 'incomplete'): Generator<Record<string, unknown>> {
  const at = { item_id: plan.messageId, output_index: 0, content_index: 0 };
  const text = generated.content;
  yield event('response.output_item.added', { output_index: 0, item: outputMessage(plan, 'in_progress', []) });
  yield event('response.content_part.added', { ...at, part: outputText('') });
  for (const delta of generated.deltas) yield event('response.output_text.delta', { ...at, delta, logprobs: [] });
  yield event('response.output_text.done', { ...at, text, logprobs: [] });
  yield event('response.content_part.done', { ...at, part: outputText(text) });
  yield event('response.output_item.done', { output_index: 0, item: outputMessage(plan, status, [outputText(text)]) });
}

/** One call's events, as a list: the item added, its arguments in deltas and done (with the function's name), the item done. */
function callEvents(plan: ResponsePlan, event: Event, call: ToolCallPlan, index: number, status: 'completed' | 'incomplete'): Record<string, unknown>[] {
  const id = plan.callItemIds[index] ?? '';
  const at = { item_id: id, output_index: index };
  return [
    event('response.output_item.added', { output_index: index, item: functionCallItem(id, call, 'in_progress', '') }),
    ...call.args.deltas.map((delta) => event('response.function_call_arguments.delta', { ...at, delta })),
    event('response.function_call_arguments.done', { ...at, arguments: call.args.content, name: call.name }),
    event('response.output_item.done', { output_index: index, item: functionCallItem(id, call, status, call.args.content) }),
  ];
}
