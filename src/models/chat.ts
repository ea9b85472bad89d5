import type { AssistantMessage, ChatLogprobs } from './chat-message.js';
import { LOGPROB_STREAM, planChat, type ChoicePlan } from './chat-plan.js';
import { streamChat } from './chat-stream.js';
import { CONTENT_FILTER_SAFE, promptFilterResults } from './content-filter.js';
import { tokenLogprobs } from './logprobs.js';
import { asBody, includeUsage } from './params.js';
import { Rng } from './rng.js';
import type { Tokenizer } from './tokenizer.js';
import { SYSTEM_FINGERPRINT, type CallContext, type ChatResult } from './types.js';

export function chatCompletion(body: unknown, ctx: CallContext): ChatResult {
  const plan = planChat(body, ctx.modelName);
  return {
    id: ctx.id,
    object: 'chat.completion',
    created: ctx.created,
    model: ctx.answeredModel ?? ctx.modelName,
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices: plan.choices.map((choice, index) => ({
      index,
      message: messageOf(choice),
      finish_reason: choice.kind === 'text' ? choice.text.finishReason : choice.finishReason,
      logprobs: plan.topLogprobs === undefined ? null : choiceLogprobs(choice, plan.tok, new Rng(plan.hash, LOGPROB_STREAM + index), plan.topLogprobs),
      content_filter_results: CONTENT_FILTER_SAFE,
    })),
    usage: plan.usage,
    prompt_filter_results: promptFilterResults(),
  };
}

/** Validates now; the returned iterable yields Azure's chunk sequence. */
export function chatChunks(body: unknown, ctx: CallContext): Iterable<Record<string, unknown>> {
  const plan = planChat(body, ctx.modelName);
  return streamChat(plan, ctx, includeUsage(asBody(body)));
}

function messageOf(choice: ChoicePlan): AssistantMessage {
  if (choice.kind === 'text') return { role: 'assistant', content: choice.text.content, refusal: null, annotations: [] };
  if (choice.legacy) {
    const [call] = choice.calls;
    const function_call = { name: call?.name ?? '', arguments: call?.args.content ?? '' };
    return { role: 'assistant', content: null, function_call, refusal: null, annotations: [] };
  }
  const tool_calls = choice.calls.map((call) => ({
    id: call.id,
    type: 'function' as const,
    function: { name: call.name, arguments: call.args.content },
  }));
  return { role: 'assistant', content: null, tool_calls, refusal: null, annotations: [] };
}

/** Log probabilities of the content's tokens; a tool-call answer has no content to describe. */
function choiceLogprobs(choice: ChoicePlan, tok: Tokenizer, rng: Rng, top: number): ChatLogprobs {
  if (choice.kind !== 'text') return { content: null, refusal: null };
  return { content: tokenLogprobs(choice.text.deltaIds.flat(), tok, rng, top), refusal: null };
}
