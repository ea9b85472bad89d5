import { compose } from './compose.js';
import { CONTENT_FILTER_SAFE, promptFilterChunk, promptFilterResults } from './content-filter.js';
import { invalidField, notAbove, requiredProperty } from './errors.js';
import { legacyLogprobs, type LegacyLogprobs } from './logprobs.js';
import { asBody, includeUsage, optionalInteger, optionalNumber, type Body } from './params.js';
import { realize, type Generated } from './realize.js';
import { digest, Rng } from './rng.js';
import { tokenizerForModel, type Tokenizer } from './tokenizer.js';
import type { CallContext } from './types.js';

/** The legacy API's default `max_tokens`. */
const DEFAULT_MAX_TOKENS = 16;
/** The legacy API's cap on `logprobs`. */
const MAX_LOGPROBS = 5;
/** Random streams of log probabilities, apart from the choices' own (n ≤ 128). */
const LOGPROB_STREAM = 0x10000;

/** One prompt: its hashable text and token count. */
interface Prompt {
  readonly canonical: string;
  readonly tokens: number;
  /** Its length in characters (where the completion's `text_offset` starts); decoded only when asked. */
  readonly length: () => number;
}

/** A choice and where its log probabilities come from. */
interface PlannedChoice {
  readonly generated: Generated;
  readonly prompt: Prompt;
  readonly hash: Buffer;
  readonly stream: number;
}

type Usage = { prompt_tokens: number; completion_tokens: number; total_tokens: number };

interface CompletionPlan {
  readonly prompts: number;
  readonly choices: readonly PlannedChoice[];
  readonly usage: Usage;
  /** `logprobs: k`: the k most likely tokens per position; undefined when not asked. */
  readonly logprobs: number | undefined;
  readonly tok: Tokenizer;
}

const isTokenIds = (v: unknown): v is number[] =>
  Array.isArray(v) && v.length > 0 && v.every((id) => typeof id === 'number' && Number.isInteger(id) && id >= 0);

/** `prompt`: a string, strings, token ids, or arrays of token ids. */
function readPrompts(body: Body, tok: Tokenizer): Prompt[] {
  const raw = body['prompt'];
  if (raw === undefined) throw requiredProperty('prompt');
  const text = (s: string): Prompt => ({ canonical: `s:${s}`, tokens: tok.count(s), length: () => codePoints(s) });
  const ids = (a: number[]): Prompt => ({ canonical: `t:${a.join(',')}`, tokens: a.length, length: () => codePoints(tok.decode(a)) });
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
  const logprobs = optionalInteger(body, 'logprobs', { min: 0 });
  if (logprobs !== undefined && logprobs > MAX_LOGPROBS) throw notAbove('logprobs', MAX_LOGPROBS);
  const seed = optionalInteger(body, 'seed');

  const style = { conversational: false, leadingSpace: true, quote: '' };
  const choices: PlannedChoice[] = [];
  let promptTokens = 0;
  let completionTokens = 0;
  for (const prompt of prompts) {
    promptTokens += prompt.tokens;
    const hash = digest(['completion', prompt.canonical, `t=${temperature}`, `s=${seed}`, `n=${n}`, `m=${limit}`]);
    for (let i = 0; i < n; i++) {
      const generated = realize(compose(new Rng(hash, i), style), tok, limit);
      choices.push({ generated, prompt, hash, stream: LOGPROB_STREAM + i });
      completionTokens += generated.tokens;
    }
  }
  return {
    prompts: prompts.length,
    choices,
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    logprobs,
    tok,
  };
}

/** The legacy logprobs of (some of) a choice's tokens, the text starting `offset` characters into the prompt. */
function choiceLogprobs(plan: CompletionPlan, choice: PlannedChoice, ids: readonly number[], offset: number): LegacyLogprobs | null {
  if (plan.logprobs === undefined) return null;
  return legacyLogprobs(ids, plan.tok, new Rng(choice.hash, choice.stream), plan.logprobs, offset);
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Choices are numbered prompt by prompt: prompt p's j-th choice has index p * n + j. */
export function textCompletion(body: unknown, ctx: CallContext): Record<string, unknown> {
  const plan = planCompletion(body, ctx.modelName);
  return {
    id: ctx.id,
    object: 'text_completion',
    created: ctx.created,
    model: ctx.answeredModel ?? ctx.modelName,
    choices: plan.choices.map((choice, index) => ({
      text: choice.generated.content,
      index,
      finish_reason: choice.generated.finishReason,
      logprobs: plan.logprobs === undefined ? null : choiceLogprobs(plan, choice, choice.generated.deltaIds.flat(), choice.prompt.length()),
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
    const out: Record<string, unknown> = { id: ctx.id, object: 'text_completion', created: ctx.created, model: ctx.answeredModel ?? ctx.modelName, choices };
    if (withUsage) out['usage'] = null;
    return out;
  };
  yield promptFilterChunk(plan.prompts);
  for (const [index, choice] of plan.choices.entries()) {
    const { deltas, deltaIds, finishReason } = choice.generated;
    // Computed whole, then cut per delta, so the stream's numbers are the plain answer's.
    const all = plan.logprobs === undefined ? null : choiceLogprobs(plan, choice, deltaIds.flat(), choice.prompt.length());
    let at = 0;
    for (let i = 0; i < deltas.length; i++) {
      const count = deltaIds[i]?.length ?? 0;
      const logprobs = all === null ? null : sliceLegacy(all, at, at + count);
      at += count;
      yield chunk([{ text: deltas[i], index, finish_reason: null, logprobs, content_filter_results: CONTENT_FILTER_SAFE }]);
    }
    yield chunk([{ text: '', index, finish_reason: finishReason, logprobs: null, content_filter_results: {} }]);
  }
  if (withUsage) yield { ...chunk([]), usage: plan.usage };
}

function sliceLegacy(all: LegacyLogprobs, from: number, to: number): LegacyLogprobs {
  return {
    tokens: all.tokens.slice(from, to),
    token_logprobs: all.token_logprobs.slice(from, to),
    top_logprobs: all.top_logprobs.slice(from, to),
    text_offset: all.text_offset.slice(from, to),
  };
}
