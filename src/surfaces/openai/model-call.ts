import { randomUUID } from 'node:crypto';
import type { Resource } from '../../resources/index.js';
import { deploymentCapacity } from '../../resources/index.js';
import { StreamUsageMeter, answeredModelName, newResponseId, usageFromJson, type ModelBackend, type ModelChunks, type ModelRequest } from '../../models/index.js';
import { estimateTokens, limitsForCapacity, promptTokens, type Admission, type QuotaLimiter, type QuotaLimits, type QuotaOperation } from '../../quotas/index.js';
import type { OnCallerGone, Upstream, UpstreamRelay, UpstreamService } from '../../upstreams/index.js';
import type { EventFraming } from '../http/index.js';
import { forwardToUpstream, type UsageSink } from './upstream-call.js';
import { inputErrorAnswer, jsonAnswer, streamAnswer, upstreamErrorAnswer, withHeaders, type DataPlaneAnswer } from './answers.js';
import { RATE_LIMITED_OPERATIONS, dataPlaneErrors } from './errors.js';
import { operationRefusal } from './other-answers.js';
import type { Operation } from './operations.js';
import { addQuotaHeaders } from './quota-headers.js';

export interface ModelCallDeps {
  readonly model: ModelBackend;
  readonly upstreams: UpstreamService;
  readonly relay: UpstreamRelay;
  readonly quotas: QuotaLimiter;
  /** Milliseconds, from the injected clock: quota windows follow it. */
  readonly now: () => number;
}

/** One allowed call to a deployment's model: what it asks, and where what it spent is reported. */
export interface ModelCall {
  readonly operation: Operation;
  /** The api-version the path gave (named in a 429's message); undefined on the v1 API. */
  readonly apiVersion: string | undefined;
  readonly account: Resource;
  readonly deployment: Resource;
  readonly body: Record<string, unknown>;
  /** The body as received (what the simulator caches by). */
  readonly text: string;
  /** Called once, when the answer is over: the tokens spent, or undefined when none were (a refused body). */
  readonly spent: UsageSink;
  /** Runs its callback once the caller has gone away (at once if it already has): an upstream request is then aborted. */
  readonly onCallerGone: OnCallerGone;
}

/** Capacity → limits, once per stored deployment object (resources are replaced, never changed, when written). */
const limitsByDeployment = new WeakMap<Resource, QuotaLimits>();

/**
 * After the caller is allowed and the deployment found: the deployment's
 * quota (Azure's per-deployment limits, counted before the call from its
 * estimate and corrected with what it spent), then its upstream or the
 * simulator. Every answer of a counted call carries the remaining counts; a
 * refusal is Azure's 429 with its retry hints. Synchronous unless the
 * quota's counter (Redis) or the model answers later.
 */
export function callModel(deps: ModelCallDeps, call: ModelCall): DataPlaneAnswer | Promise<DataPlaneAnswer> {
  const { deployment } = call;
  const kind = call.operation.kind as QuotaOperation;
  const modelName = modelNameOf(deployment);
  const upstream = deps.upstreams.get(deployment.key);
  // An operation the model cannot do is refused before it is counted (a deployment with an upstream serves what its upstream serves).
  if (upstream === undefined) {
    const refusal = operationRefusal(call.operation, deployment);
    if (refusal) throw refusal;
  }
  let limits = limitsByDeployment.get(deployment);
  if (limits === undefined) {
    limits = limitsForCapacity(deploymentCapacity(deployment));
    limitsByDeployment.set(deployment, limits);
  }
  const estimate = estimateTokens(kind, call.body, modelName);
  const admittedAt = deps.now();
  const admission = deps.quotas.admit(deployment.key, limits, estimate, admittedAt);
  const proceed = (granted: Admission): DataPlaneAnswer | Promise<DataPlaneAnswer> => {
    if (!granted.allowed) throw dataPlaneErrors.rateLimited(granted, limits, RATE_LIMITED_OPERATIONS[kind], call.apiVersion, call.account.kind ?? 'OpenAI');
    const headers = addQuotaHeaders({}, granted, limits);
    const spent: UsageSink = (usage, outcome) => {
      call.spent(usage, outcome);
      if (usage !== undefined) deps.quotas.settle(deployment.key, usage.promptTokens + usage.completionTokens - estimate, admittedAt);
    };
    const answer = answerFrom(deps, call, kind, modelName, upstream, spent);
    return answer instanceof Promise ? answer.then((a) => withHeaders(a, headers)) : withHeaders(answer, headers);
  };
  return admission instanceof Promise ? admission.then(proceed) : proceed(admission);
}

/** The deployment's upstream, or the simulator (with the simulated latency a deployment may ask for). */
function answerFrom(
  deps: ModelCallDeps,
  call: ModelCall,
  kind: QuotaOperation,
  modelName: string,
  upstream: Upstream | undefined,
  spent: UsageSink,
): DataPlaneAnswer | Promise<DataPlaneAnswer> {
  const { deployment, body } = call;
  const prompt = () => promptTokens(kind, body, modelName);
  if (upstream !== undefined) {
    return forwardToUpstream(deps.relay, deps.upstreams, upstream, deployment, kind, body, modelName, prompt, spent, call.onCallerGone).catch(upstreamErrorAnswer);
  }
  const simulate = (): DataPlaneAnswer | Promise<DataPlaneAnswer> => {
    const refused = (error: unknown): DataPlaneAnswer => {
      spent(undefined, 'the model refused the body');
      return inputErrorAnswer(error);
    };
    try {
      const answer = simulatorAnswer(deps.model, call, kind, modelName, prompt, spent, Math.floor(deps.now() / 1000));
      return answer instanceof Promise ? answer.catch(refused) : answer;
    } catch (error) {
      return refused(error);
    }
  };
  const latency = deployment.properties['simulatedLatencyMs'];
  if (typeof latency === 'number' && latency > 0) return new Promise((resolve) => setTimeout(resolve, latency)).then(simulate);
  return simulate();
}

/** Asks the simulator; a ready answer (a cached one) is returned as it is, without a tick. */
function simulatorAnswer(
  model: ModelBackend,
  call: ModelCall,
  kind: QuotaOperation,
  modelName: string,
  prompt: () => number,
  spent: UsageSink,
  created: number,
): DataPlaneAnswer | Promise<DataPlaneAnswer> {
  const { deployment, body } = call;
  const id = kind === 'responses' ? newResponseId() : kind === 'embeddings' ? '' : `${kind === 'chat' ? 'chatcmpl' : 'cmpl'}-${randomUUID().replace(/-/g, '')}`;
  const request: ModelRequest = {
    body,
    text: call.text,
    deploymentKey: deployment.key,
    ctx: { deployment: deployment.name, modelName, answeredModel: answeredModelOf(deployment), created, id },
    // Stored responses belong to the account (the deployment's parent), as in Azure.
    scope: deployment.parentKey ?? deployment.key,
  };
  if (kind !== 'embeddings' && body['stream'] === true) {
    const events = kind === 'chat' ? model.chatStream(request) : kind === 'responses' ? model.responsesStream(request) : model.completionStream(request);
    // The Responses API streams typed events (`event:` lines, no `[DONE]`).
    const framing: EventFraming = kind === 'responses' ? 'typed' : 'chunks';
    const meter = new StreamUsageMeter(modelName, prompt);
    return events instanceof Promise
      ? events.then((e) => streamAnswer(meteredEvents(e, meter, spent), framing))
      : streamAnswer(meteredEvents(events, meter, spent), framing);
  }
  const json =
    kind === 'chat' ? model.chat(request) : kind === 'responses' ? model.responses(request) : kind === 'completions' ? model.completion(request) : model.embeddings(request);
  if (typeof json === 'string') {
    spent(usageFromJson(json));
    return jsonAnswer(json);
  }
  return json.then((text) => {
    spent(usageFromJson(text));
    return jsonAnswer(text);
  });
}

export const modelNameOf = (deployment: Resource): string => String((deployment.properties['model'] as Record<string, unknown> | undefined)?.['name'] ?? deployment.name);

/** Per stored deployment object (a write replaces it): worked out once, off the per-request path. */
const answeredModels = new WeakMap<Resource, string>();

/** The `model` a simulated answer names: Azure's name for the deployed model and version (an upstream's answers name its own). */
function answeredModelOf(deployment: Resource): string {
  let answered = answeredModels.get(deployment);
  if (answered === undefined) {
    const version = (deployment.properties['model'] as Record<string, unknown> | undefined)?.['version'];
    answered = typeof version === 'string' ? answeredModelName(modelNameOf(deployment), version) : modelNameOf(deployment);
    answeredModels.set(deployment, answered);
  }
  return answered;
}

/** The simulator's chunks, each seen by the meter on its way out; what was spent is recorded when the stream ends, however it ends. */
function meteredEvents(events: ModelChunks, meter: StreamUsageMeter, spent: UsageSink): ModelChunks {
  // After the caller's response has ended: counting may load a tokenizer, which must not hold up the last bytes.
  const report = (): void => void setImmediate(() => spent(meter.result()));
  if (Symbol.asyncIterator in events) {
    return (async function* () {
      try {
        for await (const chunk of events) {
          meter.chunk(chunk);
          yield chunk;
        }
      } finally {
        report();
      }
    })();
  }
  return (function* () {
    try {
      for (const chunk of events) {
        meter.chunk(chunk);
        yield chunk;
      }
    } finally {
      report();
    }
  })();
}
