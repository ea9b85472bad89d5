import { chatChunks, chatCompletion } from './chat.js';
import { completionChunks, textCompletion } from './completions.js';
import { createEmbeddings } from './embeddings.js';
import type { ChatMessage } from './messages.js';
import { planResponse, responseObject } from './responses.js';
import { responseEvents } from './responses-stream.js';
import { tokenizerForModel } from './tokenizer.js';
import type { CallContext, ChatResult } from './types.js';
import { CachingSimulator } from './simulator-backend.js';
import type { ResponseStore } from './response-store.js';

/**
 * The built-in model: deterministic replies and embeddings derived from a
 * hash of the request, with usage counted by the model family's real BPE.
 * Stateless apart from the process-wide tokenizers it builds on first use.
 * Synchronous and object-returning; the data plane serves it through
 * CachingSimulator, its ModelBackend.
 */
export class SimulatorModel {
  chat(body: unknown, ctx: CallContext): ChatResult {
    return chatCompletion(body, ctx);
  }

  chatStream(body: unknown, ctx: CallContext): Iterable<Record<string, unknown>> {
    return chatChunks(body, ctx);
  }

  completion(body: unknown, ctx: CallContext): Record<string, unknown> {
    return textCompletion(body, ctx);
  }

  completionStream(body: unknown, ctx: CallContext): Iterable<Record<string, unknown>> {
    return completionChunks(body, ctx);
  }

  embeddings(body: unknown, ctx: CallContext): Record<string, unknown> {
    return createEmbeddings(body, ctx);
  }

  /** A Responses API answer continuing `history` (CachingSimulator looks up `previous_response_id` and stores the result). */
  response(body: unknown, ctx: CallContext, history: readonly ChatMessage[] = []): Record<string, unknown> {
    return responseObject(planResponse(body, ctx, history), ctx, 'final');
  }

  responseStream(body: unknown, ctx: CallContext, history: readonly ChatMessage[] = []): Iterable<Record<string, unknown>> {
    return responseEvents(planResponse(body, ctx, history), ctx);
  }

  /** Builds the tokenizers these models need now (about a second each) instead of on the first call. */
  warmUp(modelNames: readonly string[]): void {
    for (const name of modelNames) tokenizerForModel(name);
  }
}

export function createSimulator(): SimulatorModel {
  return new SimulatorModel();
}

/** The simulator as the data plane's backend, answering repeated requests from its cache. */
export function createSimulatorBackend(model: SimulatorModel = createSimulator(), stored?: ResponseStore): CachingSimulator {
  return new CachingSimulator(model, stored);
}
