import { compose, quotePhrase } from './compose.js';
import { CONTENT_FILTER_SAFE, promptFilterChunk, promptFilterResults } from './content-filter.js';
import { unsupportedParameter } from './errors.js';
import { countPromptTokens, readMessages } from './messages.js';
import { asBody, includeUsage, optionalInteger, optionalNumber } from './params.js';
import { realize, type Generated } from './realize.js';
import { digest, Rng } from './rng.js';
import { tokenizerForModel } from './tokenizer.js';
import { SYSTEM_FINGERPRINT, type CallContext, type ChatResult, type ChatUsage } from './types.js';

/** Reasoning models reject `max_tokens` in favour of `max_completion_tokens`. */
const REASONING_MODELS = /^(o1|o3|o4|gpt-5(?!-chat))/i;

/** A validated chat request and its deterministic replies. */
interface ChatPlan {
  readonly choices: readonly Generated[];
  readonly usage: ChatUsage;
}

function planChat(raw: unknown, modelName: string): ChatPlan {
  const body = asBody(raw);
  const prompt = readMessages(body);
  if (REASONING_MODELS.test(modelName) && body['max_tokens'] != null) {
    throw unsupportedParameter('max_tokens', 'max_completion_tokens');
  }
  const maxTokens = optionalInteger(body, 'max_tokens', { min: 1 });
  const maxCompletionTokens = optionalInteger(body, 'max_completion_tokens', { min: 1 });
  const n = optionalInteger(body, 'n', { min: 1, max: 128 }) ?? 1;
  const temperature = optionalNumber(body, 'temperature', { min: 0, max: 2 });
  const seed = optionalInteger(body, 'seed');
  const limit = maxCompletionTokens ?? maxTokens;

  const tok = tokenizerForModel(modelName);
  const hash = digest(['chat', prompt.canonical, `t=${temperature}`, `s=${seed}`, `n=${n}`, `m=${limit}`]);
  const style = { conversational: true, leadingSpace: false, quote: quotePhrase(prompt.lastUserText) };
  const choices: Generated[] = [];
  let completionTokens = 0;
  for (let i = 0; i < n; i++) {
    const generated = realize(compose(new Rng(hash, i), style), tok, limit);
    choices.push(generated);
    completionTokens += generated.tokens;
  }
  const promptTokens = countPromptTokens(prompt, tok);
  return { choices, usage: chatUsage(promptTokens, completionTokens) };
}

function chatUsage(promptTokens: number, completionTokens: number): ChatUsage {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

export function chatCompletion(body: unknown, ctx: CallContext): ChatResult {
  const plan = planChat(body, ctx.modelName);
  return {
    id: ctx.id,
    object: 'chat.completion',
    created: ctx.created,
    model: ctx.modelName,
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices: plan.choices.map((choice, index) => ({
      index,
      message: { role: 'assistant', content: choice.content, refusal: null, annotations: [] },
      finish_reason: choice.finishReason,
      logprobs: null,
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

function* streamChat(plan: ChatPlan, ctx: CallContext, withUsage: boolean): Generator<Record<string, unknown>> {
  // With include_usage, every chunk but the last carries `usage: null`.
  const chunk = (choices: unknown[]): Record<string, unknown> => {
    const out: Record<string, unknown> = {
      id: ctx.id,
      object: 'chat.completion.chunk',
      created: ctx.created,
      model: ctx.modelName,
      system_fingerprint: SYSTEM_FINGERPRINT,
      choices,
    };
    if (withUsage) out['usage'] = null;
    return out;
  };

  yield promptFilterChunk();
  for (const [index, choice] of plan.choices.entries()) {
    yield chunk([
      { index, delta: { role: 'assistant', content: '', refusal: null }, finish_reason: null, logprobs: null, content_filter_results: {} },
    ]);
    for (const text of choice.deltas) {
      yield chunk([
        { index, delta: { content: text }, finish_reason: null, logprobs: null, content_filter_results: CONTENT_FILTER_SAFE },
      ]);
    }
    yield chunk([{ index, delta: {}, finish_reason: choice.finishReason, logprobs: null, content_filter_results: {} }]);
  }
  if (withUsage) yield { ...chunk([]), usage: plan.usage };
}
