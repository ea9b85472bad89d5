import { countPromptTokens, ModelInputError, readMessages, tokenizerForModel, type TokenCounter } from '../models/index.js';

/** The operations whose cost is counted in tokens. */
export type QuotaOperation = 'chat' | 'completions' | 'embeddings' | 'responses';

/**
 * What a generation reserves when the request names no maximum: the legacy
 * completions API's default `max_tokens`, and what Microsoft's own Azure OpenAI
 * API simulator (microsoft/aoai-api-simulator, limiters.py) charges a chat or
 * completions call without `max_tokens` on pay-as-you-go deployments.
 * The real usage corrects it afterwards (`settle`).
 */
export const DEFAULT_COMPLETION_RESERVE = 16;

type Body = Readonly<Record<string, unknown>>;

/**
 * The prompt's size as the estimate counts it: about four characters a token,
 * as Azure estimates before a call (it counts the real tokens afterwards, as
 * Keyless's `settle` does). Running the tokenizer here would cost milliseconds
 * per long prompt on every call, before the first byte.
 */
const CHARACTER_ESTIMATE: TokenCounter = { count: (text) => Math.ceil(text.length / 4) };

/** Bounds that keep a caller's extreme values (`max_tokens: 1e20`, `n: 1e300`) from corrupting the counters. */
const MAX_RESERVE = 1_000_000;
const MAX_CHOICES = 128;
const MAX_ESTIMATE = 1_000_000_000;

/**
 * The tokens a request is counted for before it runs, as Azure estimates them:
 * the prompt, plus the most it may generate (`max_tokens`, `max_completion_tokens`
 * or `max_output_tokens`) for each choice (`n`, `best_of`). Never throws: a body
 * the model will refuse still costs its request and its reserve, as on Azure,
 * where rejected requests count toward the limit too.
 */
export function estimateTokens(operation: QuotaOperation, body: unknown, _modelName: string): number {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return operation === 'embeddings' ? 0 : DEFAULT_COMPLETION_RESERVE;
  const b = body as Body;
  const prompt = countPrompt(operation, b, CHARACTER_ESTIMATE);
  let estimate: number;
  switch (operation) {
    case 'chat':
      estimate = prompt + choices(b) * reserve(b['max_completion_tokens'] ?? b['max_tokens']);
      break;
    case 'completions':
      estimate = prompt + choices(b) * reserve(b['max_tokens']);
      break;
    case 'embeddings':
      estimate = prompt;
      break;
    case 'responses':
      estimate = prompt + reserve(b['max_output_tokens']);
      break;
  }
  return Math.min(estimate, MAX_ESTIMATE);
}

/** The prompt's tokens, counted with the model's tokenizer: what a stream that reports no usage is charged for its prompt (after it has been answered). */
export function promptTokens(operation: QuotaOperation, body: Body, modelName: string): number {
  return countPrompt(operation, body, tokenizerForModel(modelName));
}

function countPrompt(operation: QuotaOperation, body: Body, tok: TokenCounter): number {
  switch (operation) {
    case 'chat':
      return chatPromptTokens(body, tok);
    case 'completions':
      return textTokens(body['prompt'], tok);
    case 'embeddings':
      return textTokens(body['input'], tok);
    case 'responses':
      return responseInputTokens(body, tok);
  }
}

function chatPromptTokens(body: Body, tok: TokenCounter): number {
  try {
    return countPromptTokens(readMessages(body), tok);
  } catch (error) {
    // The model answers the 400; the estimate only needs to not fail.
    if (error instanceof ModelInputError) return 0;
    throw error;
  }
}

/** A string, strings, token ids or arrays of token ids (completions' `prompt`, embeddings' `input`); anything else counts 0. */
function textTokens(value: unknown, tok: TokenCounter): number {
  if (typeof value === 'string') return tok.count(value);
  if (!Array.isArray(value)) return 0;
  let total = 0;
  for (const item of value) {
    if (typeof item === 'string') total += tok.count(item);
    else if (typeof item === 'number') total += 1;
    else if (Array.isArray(item)) total += item.length;
  }
  return total;
}

/** The Responses API's `instructions` and `input` (a string, or items whose text is in `content`, `output` or `arguments`). */
function responseInputTokens(body: Body, tok: TokenCounter): number {
  let total = typeof body['instructions'] === 'string' ? tok.count(body['instructions']) : 0;
  const input = body['input'];
  if (typeof input === 'string') return total + tok.count(input);
  if (!Array.isArray(input)) return total;
  for (const item of input) {
    if (typeof item !== 'object' || item === null) continue;
    const it = item as Body;
    total += 3 + partsTokens(it['content'], tok);
    if (typeof it['output'] === 'string') total += tok.count(it['output']);
    if (typeof it['arguments'] === 'string') total += tok.count(it['arguments']);
  }
  return total;
}

function partsTokens(content: unknown, tok: TokenCounter): number {
  if (typeof content === 'string') return tok.count(content);
  if (!Array.isArray(content)) return 0;
  let total = 0;
  for (const part of content) {
    if (typeof part === 'object' && part !== null && typeof (part as Body)['text'] === 'string') total += tok.count((part as Body)['text'] as string);
  }
  return total;
}

/** A usable maximum (a non-negative integer), else the default reserve. */
function reserve(max: unknown): number {
  return typeof max === 'number' && Number.isInteger(max) && max >= 0 ? Math.min(max, MAX_RESERVE) : DEFAULT_COMPLETION_RESERVE;
}

/** `n` and `best_of` multiply what may be generated. */
function choices(body: Body): number {
  return Math.max(atLeastOne(body['n']), atLeastOne(body['best_of']));
}

const atLeastOne = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) && v >= 1 ? Math.min(v, MAX_CHOICES) : 1);
