import type { ModelBackend, ModelChunks, ModelRequest } from './types.js';
import type { SimulatorModel } from './simulator.js';
import { CREATED_MARK, ID_MARK, ResponseCache } from './response-cache.js';
import { ResponseStore } from './response-store.js';
import { respond } from './response-call.js';

/**
 * The simulator as a ModelBackend, with its response cache. The simulator is
 * deterministic (the same deployment, model and body give the same answer
 * but for id and time), so each answer is serialised once and repeated calls
 * are answered synchronously from the cache. The cache is the simulator's
 * alone: an upstream does not answer the same twice.
 */
export class CachingSimulator implements ModelBackend {
  private readonly cache = new ResponseCache();

  constructor(
    private readonly model: SimulatorModel,
    /** Responses created with `store`, per scope (see ModelRequest.scope): read back by the surfaces' GET and DELETE. */
    readonly stored: ResponseStore = new ResponseStore(),
  ) {}

  chat(request: ModelRequest): string {
    return this.cached(request, 'chat', () => this.model.chat(request.body, marked(request)));
  }

  completion(request: ModelRequest): string {
    return this.cached(request, 'completions', () => this.model.completion(request.body, marked(request)));
  }

  embeddings(request: ModelRequest): string {
    return this.cached(request, 'embeddings', () => this.model.embeddings(request.body, request.ctx));
  }

  chatStream(request: ModelRequest): ModelChunks {
    return this.model.chatStream(request.body, request.ctx);
  }

  completionStream(request: ModelRequest): ModelChunks {
    return this.model.completionStream(request.body, request.ctx);
  }

  /** Not cached: `previous_response_id` makes the same body mean another conversation once the store changes. */
  responses(request: ModelRequest): string {
    return respond(this.stored, request).answer();
  }

  responsesStream(request: ModelRequest): ModelChunks {
    return respond(this.stored, request).events();
  }

  private cached(request: ModelRequest, kind: string, produce: () => unknown): string {
    const { ctx } = request;
    const key = `${request.deploymentKey}\0${ctx.modelName}\0${ctx.answeredModel ?? ''}\0${kind}\0${request.text}`;
    return this.cache.get(key, produce).fill(ctx.id, ctx.created);
  }
}

/** The context with the marks the cached template is cut around, in place of the id and time. */
function marked(request: ModelRequest) {
  return { ...request.ctx, id: ID_MARK, created: CREATED_MARK };
}
