import type { AssistantMessage, ChatFinishReason, ChatLogprobs } from './chat-message.js';
import type { ContentFilterResults, PromptFilterResult } from './content-filter.js';

/** Per-call facts the data plane supplies. */
export interface CallContext {
  readonly deployment: string;
  /** The deployment's model name (e.g. 'gpt-4o'): picks the tokenizer. */
  readonly modelName: string;
  /** The `model` the answer names, as Azure names the deployed version (e.g. 'gpt-4o-2024-08-06'); default: modelName. */
  readonly answeredModel?: string;
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
  message: AssistantMessage;
  finish_reason: ChatFinishReason;
  logprobs: ChatLogprobs | null;
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

/** A value, or the promise of it: a backend answers synchronously when it can (a cached answer), so the caller need not wait a tick. */
export type Awaitable<T> = T | Promise<T>;

/** The chunks of a streamed answer, each sent as one SSE `data:` line: in memory, or arriving from an upstream. */
export type ModelChunks = Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>;

/** One call to a model, as the data plane routed it. */
export interface ModelRequest {
  /** The parsed JSON body, not yet validated. */
  readonly body: Readonly<Record<string, unknown>>;
  /** The body as received: the same text is the same request (what the simulator caches by). */
  readonly text: string;
  /** The deployment's key (lowercased ARM id), stable for the deployment's life. */
  readonly deploymentKey: string;
  /** Deployment and model names, the response id and time. */
  readonly ctx: CallContext;
  /**
   * Who owns what the call stores (Responses API `store`, `previous_response_id`):
   * the account's key on the data plane. Absent: the deployment's key.
   */
  readonly scope?: string;
}

/**
 * What serves a deployment: the built-in simulator today, an upstream
 * OpenAI-compatible server later. Non-streamed answers are the serialised
 * body to send; invalid input throws (or rejects with) ModelInputError before
 * anything is sent. Streams validate before their first chunk.
 */
export interface ModelBackend {
  chat(request: ModelRequest): Awaitable<string>;
  completion(request: ModelRequest): Awaitable<string>;
  embeddings(request: ModelRequest): Awaitable<string>;
  chatStream(request: ModelRequest): Awaitable<ModelChunks>;
  completionStream(request: ModelRequest): Awaitable<ModelChunks>;
  /** The Responses API (`POST /responses`): a Response object, or its stream of typed events (`{ type, sequence_number, … }`). */
  responses(request: ModelRequest): Awaitable<string>;
  responsesStream(request: ModelRequest): Awaitable<ModelChunks>;
}

export const SYSTEM_FINGERPRINT = 'fp_keyless';
