import { LOGPROB_STREAM, type ChatPlan, type ChoicePlan } from './chat-plan.js';
import { CONTENT_FILTER_SAFE, promptFilterChunk } from './content-filter.js';
import { tokenLogprobs, type TokenLogprob } from './logprobs.js';
import { Rng } from './rng.js';
import { SYSTEM_FINGERPRINT, type CallContext } from './types.js';

type Chunk = Record<string, unknown>;

/** Azure's chunk sequence for a planned chat answer: prompt annotations, then each choice's deltas, then usage if asked. */
export function* streamChat(plan: ChatPlan, ctx: CallContext, withUsage: boolean): Generator<Chunk> {
  // With include_usage, every chunk but the last carries `usage: null`.
  const chunk = (choices: unknown[]): Chunk => {
    const out: Chunk = {
      id: ctx.id,
      object: 'chat.completion.chunk',
      created: ctx.created,
      model: ctx.answeredModel ?? ctx.modelName,
      system_fingerprint: SYSTEM_FINGERPRINT,
      choices,
    };
    if (withUsage) out['usage'] = null;
    return out;
  };

  yield promptFilterChunk();
  for (const [index, choice] of plan.choices.entries()) {
    const deltas = choice.kind === 'text' ? textDeltas(plan, choice, index) : toolDeltas(choice);
    for (const { delta, logprobs, filtered } of deltas) {
      yield chunk([{ index, delta, finish_reason: null, logprobs, content_filter_results: filtered ? CONTENT_FILTER_SAFE : {} }]);
    }
    const finishReason = choice.kind === 'text' ? choice.text.finishReason : choice.finishReason;
    yield chunk([{ index, delta: {}, finish_reason: finishReason, logprobs: null, content_filter_results: {} }]);
  }
  if (withUsage) yield { ...chunk([]), usage: plan.usage };
}

interface Delta {
  readonly delta: Chunk;
  readonly logprobs: { content: TokenLogprob[]; refusal: null } | null;
  /** Content chunks carry the content filter's verdict; the others an empty object. */
  readonly filtered: boolean;
}

/** The role, then one chunk per word (or JSON token), each with the log probabilities of its tokens when asked. */
function* textDeltas(plan: ChatPlan, choice: Extract<ChoicePlan, { kind: 'text' }>, index: number): Generator<Delta> {
  yield { delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, filtered: false };
  const { deltas, deltaIds } = choice.text;
  const entries = plan.topLogprobs === undefined ? undefined : tokenLogprobs(deltaIds.flat(), plan.tok, new Rng(plan.hash, LOGPROB_STREAM + index), plan.topLogprobs);
  let at = 0;
  for (let i = 0; i < deltas.length; i++) {
    const count = deltaIds[i]?.length ?? 0;
    const logprobs = entries === undefined ? null : { content: entries.slice(at, at + count), refusal: null as null };
    at += count;
    yield { delta: { content: deltas[i] }, logprobs, filtered: true };
  }
}

/**
 * Tool calls as OpenAI streams them: the first chunk has the role and the
 * first call's id, type, name and empty arguments; then argument fragments;
 * each further call starts with its own header. Legacy answers stream
 * `function_call` the same way.
 */
function* toolDeltas(choice: Extract<ChoicePlan, { kind: 'tools' }>): Generator<Delta> {
  for (const [k, call] of choice.calls.entries()) {
    const head = choice.legacy
      ? { function_call: { name: call.name, arguments: '' } }
      : { tool_calls: [{ index: k, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] };
    const delta = k === 0 ? { role: 'assistant', content: null, ...head, refusal: null } : head;
    yield { delta, logprobs: null, filtered: false };
    for (const piece of call.args.deltas) {
      const fragment = choice.legacy
        ? { function_call: { arguments: piece } }
        : { tool_calls: [{ index: k, function: { arguments: piece } }] };
      yield { delta: fragment, logprobs: null, filtered: false };
    }
  }
}
