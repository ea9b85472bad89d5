import { compose } from './compose.js';
import { CONTENT_FILTER_SAFE, promptFilterChunk, promptFilterResults } from './content-filter.js';
import { invalidField, requiredProperty } from './errors.js';
import { asBody, includeUsage, optionalInteger, optionalNumber, type Body } from './params.js';
import { realize, type Generated } from './realize.js';
import { digest, Rng } from './rng.js';
import { tokenizerForModel, type Tokenizer } from './tokenizer.js';
import type { CallContext } from './types.js';

/** The legacy API's default `max_tokens`. */
const DEFAULT_MAX_TOKENS = 16;

/** One prompt: its hashable text and token count. */
interface Prompt {
  readonly canonical: string;
  readonly tokens: number;
}

type Usage = { prompt_tokens: number; completion_tokens: number; total_tokens: number };

interface CompletionPlan {
  readonly prompts: number;
  readonly choices: readonly Generated[];
  readonly usage: Usage;
}

const isTokenIds = (v: unknown): v is number[] =>
  Array.isArray(v) && v.length > 0 && v.every((id) => typeof id === 'number' && Number.isInteger(id) && id >= 0);

/** `prompt`: a string, strings, token ids, or arrays of token ids. */
function readPrompts(body: Body, tok: Tokenizer): Prompt[] {
  const raw = body['prompt'];
  if (raw === undefined) throw requiredProperty('prompt');
  const text = (s: string): Prompt => ({ canonical: `s:${s}`, tokens: tok.count(s) });
  const ids = (a: number[]): Prompt => ({ canonical: `t:${a.join(',')}`, tokens: a.length });
  if (typeof raw === 'string') return [text(raw)];
  if (!Array.isArray(raw) || raw.length === 0) throw invalidField('prompt');
  if (raw.every((p) => typeof p === 'string')) return (raw as string[]).map(text);
  if (isTokenIds(raw)) return [ids(raw)];
  if (raw.every(isTokenIds)) return (raw as number[][]).map(ids);
  throw invalidField('prompt');
}

function planCompletion(raw: unknown, modelName: string): CompletionPlan {
  const body = asBody(raw);
  const tok = tokenizerForModel(modelName);
  const prompts = readPrompts(body, tok);
  const limit = optionalInteger(body, 'max_tokens', { min: 0 }) ?? DEFAULT_MAX_TOKENS;
  const n = optionalInteger(body, 'n', { min: 1, max: 128 }) ?? 1;
  const temperature = optionalNumber(body, 'temperature', { min: 0, max: 2 });
  const seed = optionalInteger(body, 'seed');

  const style = { conversational: false, leadingSpace: true, quote: '' };
  const choices: Generated[] = [];
  let promptTokens = 0;
  let completionTokens = 0;
  for (const prompt of prompts) {
    promptTokens += prompt.tokens;
    const hash = digest(['completion', prompt.canonical, `t=${temperature}`, `s=${seed}`, `n=${n}`, `m=${limit}`]);
    for (let i = 0; i < n; i++) {
      const generated = realize(compose(new Rng(hash, i), style), tok, limit);
      choices.push(generated);
      completionTokens += generated.tokens;
    }
  }
  return {
    prompts: prompts.length,
    choices,
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  };
}

/** Choices are numbered prompt by prompt: prompt p's j-th choice has index p * n + j. */
export function textCompletion(body: unknown, ctx: CallContext): Record<string, unknown> {
  const plan = planCompletion(body, ctx.modelName);
  return {
    id: ctx.id,
    object: 'text_completion',
    created: ctx.created,
    model: ctx.modelName,
    choices: plan.choices.map((choice, index) => ({
      text: choice.content,
      index,
      finish_reason: choice.finishReason,
      logprobs: null,
      content_filter_results: CONTENT_FILTER_SAFE,
    })),
    usage: plan.usage,
    prompt_filter_results: promptFilterResults(plan.prompts),
  };
}

/** Validates now; the returned iterable yields Azure's chunk sequence. */
export function completionChunks(body: unknown, ctx: CallContext): Iterable<Record<string, unknown>> {
  const plan = planCompletion(body, ctx.modelName);
  return streamCompletion(plan, ctx, includeUsage(asBody(body)));
}

function* streamCompletion(plan: CompletionPlan, ctx: CallContext, withUsage: boolean): Generator<Record<string, unknown>> {
  const chunk = (choices: unknown[]): Record<string, unknown> => {
    const out: Record<string, unknown> = { id: ctx.id, object: 'text_completion', created: ctx.created, model: ctx.modelName, choices };
    if (withUsage) out['usage'] = null;
    return out;
  };
  yield promptFilterChunk(plan.prompts);
  for (const [index, choice] of plan.choices.entries()) {
    for (const text of choice.deltas) {
      yield chunk([{ text, index, finish_reason: null, logprobs: null, content_filter_results: CONTENT_FILTER_SAFE }]);
    }
    yield chunk([{ text: '', index, finish_reason: choice.finishReason, logprobs: null, content_filter_results: {} }]);
  }
  if (withUsage) yield { ...chunk([]), usage: plan.usage };
}
