import type { ContentFilterResults, PromptFilterResult } from './content-filter.js';
import type { FinishReason } from './realize.js';

/** Per-call facts the data plane supplies. */
export interface CallContext {
  readonly deployment: string;
  /** The deployment's model name (e.g. 'gpt-4o'): picks the tokenizer, echoed as `model`. */
  readonly modelName: string;
  /** Unix seconds. */
  readonly created: number;
  /** The response id, used as given (e.g. 'chatcmpl-…' or 'cmpl-…'). */
  readonly id: string;
}

export type ChatUsage = {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number; audio_tokens: number };
  completion_tokens_details: {
    reasoning_tokens: number;
    audio_tokens: number;
    accepted_prediction_tokens: number;
    rejected_prediction_tokens: number;
  };
};

export type ChatChoice = {
  index: number;
  message: { role: 'assistant'; content: string; refusal: null; annotations: never[] };
  finish_reason: FinishReason;
  logprobs: null;
  content_filter_results: ContentFilterResults;
};

/** A non-streamed chat completion, Azure-shaped. */
export type ChatResult = {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  system_fingerprint: string;
  choices: ChatChoice[];
  usage: ChatUsage;
  prompt_filter_results: readonly PromptFilterResult[];
};

/** What the data plane calls; bodies are parsed JSON, not yet validated. */
export interface ModelBackend {
  chat(body: unknown, ctx: CallContext): ChatResult;
  /** Validates eagerly (throws before the first chunk); yields the chunk objects to send as SSE `data:` lines. */
  chatStream(body: unknown, ctx: CallContext): Iterable<Record<string, unknown>>;
  completion(body: unknown, ctx: CallContext): Record<string, unknown>;
  completionStream(body: unknown, ctx: CallContext): Iterable<Record<string, unknown>>;
  embeddings(body: unknown, ctx: CallContext): Record<string, unknown>;
}

export const SYSTEM_FINGERPRINT = 'fp_keyless';
