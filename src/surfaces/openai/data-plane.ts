import { randomUUID } from 'node:crypto';
import type { Resource } from '../../resources/index.js';
import type { RoleAssignmentService } from '../../rbac/index.js';
import type { AuditRecorder } from '../../audit/index.js';
import type { ModelBackend, ModelChunks, ModelRequest, Usage } from '../../models/index.js';
import { StreamUsageMeter, newResponseId, usageFromJson, type StoredResponses } from '../../models/index.js';
import type { UpstreamRelay, UpstreamService } from '../../upstreams/index.js';
import type { EventFraming } from '../http/index.js';
import { forwardToUpstream, type RelayedAnswer } from './upstream-call.js';
import type { AccountIndex } from './accounts.js';
import { authenticate, type AuthenticateDeps, type Caller } from './authenticate.js';
import { DataPlaneError, dataPlaneErrors, toDataPlaneError } from './errors.js';
import type { DataPlaneRoute } from './route.js';
import { answerOther, isOtherOperation, operationRefusal } from './other-answers.js';
import type { ApiVersionRefusal } from './api-versions.js';
import { storedResponseAnswer } from './responses.js';
import { deletesResponse } from './responses-route.js';

export interface DataPlaneDeps extends AuthenticateDeps {
  readonly accounts: AccountIndex;
  readonly rbac: RoleAssignmentService;
  readonly model: ModelBackend;
  readonly audit: AuditRecorder;
  readonly upstreams: UpstreamService;
  readonly relay: UpstreamRelay;
  /** The Responses API's stored responses, per account (the simulator's store). */
  readonly storedResponses: StoredResponses;
}

/** The request body as the listener received it. */
export type BodyInput =
  | { readonly kind: 'none' }
  | { readonly kind: 'json'; readonly text: string }
  /** A body in another media type (or none named). */
  | { readonly kind: 'unsupported'; readonly mediaType: string | undefined }
  | { readonly kind: 'tooLarge' };

/** One data-plane call, already routed: which account, deployment and operation the path names (on the v1 API, the body's `model` names the deployment). */
export interface DataPlaneCall extends DataPlaneRoute {
  readonly requestId: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: BodyInput;
}

/**
 * What to answer: a JSON document, server-sent events (the chunks, each sent
 * as one `data:` line), or an upstream's stream relayed byte for byte.
 */
export type DataPlaneAnswer =
  | { readonly status: number; readonly json: string; readonly headers?: Readonly<Record<string, string>> }
  | { readonly status: 200; readonly events: ModelChunks; readonly framing?: EventFraming }
  | RelayedAnswer;

/** The largest request body the data plane reads. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * The Azure OpenAI data plane, free of any HTTP framework. Steps: account →
 * api-version → authenticate (key or token) → authorize the data action at
 * the account's scope → body → deployment → model → answer. The body is
 * judged only after the caller is, so that nobody unauthenticated learns
 * anything from it. Every decision is audited off the hot path, and the
 * reason of a denial never reaches the body.
 *
 * Synchronous unless the deployment simulates latency or the backend answers
 * later: the simulator's common answer is a cached template with a fresh id
 * and time, returned without a tick (see CachingSimulator).
 */
export class DataPlane {
  constructor(private readonly deps: DataPlaneDeps) {}

  handle(call: DataPlaneCall): DataPlaneAnswer | Promise<DataPlaneAnswer> {
    const { deps } = this;
    const account = deps.accounts.get(call.account);
    let caller: Caller | undefined;
    try {
      if (!account) throw dataPlaneErrors.resourceNotFound('unknown account');
      if (!call.v1 && !call.hasApiVersion) throw dataPlaneErrors.resourceNotFound('no api-version');
      if (call.apiVersionRefusal !== undefined) throw apiVersionError(call.apiVersionRefusal);
      caller = authenticate(call.headers, account, deps, call.v1);
      if (call.operation.kind === 'notServed') throw dataPlaneErrors.resourceNotFound(`Keyless does not serve ${call.operation.template}`);
      if (caller.kind === 'token') {
        const decision = deps.rbac.authorize(caller.token.objectId, call.operation.dataAction, 'dataAction', account.id);
        if (!decision.allowed) throw dataPlaneErrors.permissionDenied(caller.token.objectId, call.operation.dataAction, call.operation.template, decision.reason);
      }
      if (isOtherOperation(call.operation)) {
        const answer = answerOther(call, account, deps.accounts, (d) => deps.upstreams.get(d.key) !== undefined);
        this.audit(call, account, caller, 'allowed', caller.kind === 'key' ? `${caller.keyName} of the account` : 'role grants the data action');
        return answer;
      }
      if (call.responseId !== undefined) {
        this.audit(call, account, caller, 'allowed', caller.kind === 'key' ? `${caller.keyName} of the account` : 'role grants the data action');
        return storedResponseAnswer(deps.storedResponses, account.key, deletesResponse(call.operation) ? 'DELETE' : 'GET', call.responseId);
      }
      const body = parseBody(call.body);
      // Routes without a deployment (the v1 API, /openai/responses) name it in the body's `model`.
      const deploymentName = call.deployment ?? (typeof body['model'] === 'string' ? body['model'] : '');
      const deployment = deps.accounts.deployment(account, deploymentName);
      if (!deployment) throw dataPlaneErrors.deploymentNotFound();
      const spent = this.usageRecorder(call, account, caller, deployment.name);
      const upstream = deps.upstreams.get(deployment.key);
      if (upstream !== undefined) {
        return forwardToUpstream(deps.relay, deps.upstreams, upstream, deployment, call.operation.kind, body, modelNameOf(deployment), spent).catch(upstreamErrorAnswer);
      }
      const refusal = operationRefusal(call.operation, deployment);
      if (refusal) throw refusal;
      const latency = deployment.properties['simulatedLatencyMs'];
      if (typeof latency === 'number' && latency > 0) {
        return new Promise((resolve) => setTimeout(resolve, latency)).then(() => this.answerOrInputError(call, deployment, body, spent));
      }
      return this.answerOrInputError(call, deployment, body, spent);
    } catch (error) {
      if (!(error instanceof DataPlaneError)) throw error;
      this.audit(call, account, caller, 'denied', error.reason);
      return errorAnswer(error);
    }
  }

  private answerOrInputError(call: DataPlaneCall, deployment: Resource, body: Record<string, unknown>, spent: (usage: Usage | undefined) => void): DataPlaneAnswer | Promise<DataPlaneAnswer> {
    const refused = (error: unknown): DataPlaneAnswer => {
      spent(undefined);
      return inputErrorAnswer(error);
    };
    try {
      const answer = this.answer(call, deployment, body, spent);
      return answer instanceof Promise ? answer.catch(refused) : answer;
    } catch (error) {
      return refused(error);
    }
  }

  /** Asks the backend; a ready answer (the simulator's) is returned as it is, without a tick. */
  private answer(call: DataPlaneCall, deployment: Resource, body: Record<string, unknown>, spent: (usage: Usage | undefined) => void): DataPlaneAnswer | Promise<DataPlaneAnswer> {
    const { model } = this.deps;
    const { kind } = call.operation;
    const modelName = modelNameOf(deployment);
    const created = Math.floor(Date.now() / 1000);
    const id = kind === 'responses' ? newResponseId() : kind === 'embeddings' ? '' : `${kind === 'chat' ? 'chatcmpl' : 'cmpl'}-${randomUUID().replace(/-/g, '')}`;
    const request: ModelRequest = {
      body,
      text: call.body.kind === 'json' ? call.body.text : '',
      deploymentKey: deployment.key,
      ctx: { deployment: deployment.name, modelName, created, id },
      // Stored responses belong to the account (the deployment's parent), as in Azure.
      scope: deployment.parentKey ?? deployment.key,
    };
    if (kind !== 'embeddings' && body['stream'] === true) {
      const events = kind === 'chat' ? model.chatStream(request) : kind === 'responses' ? model.responsesStream(request) : model.completionStream(request);
      // The Responses API streams typed events (`event:` lines, no `[DONE]`).
      const framing: EventFraming = kind === 'responses' ? 'typed' : 'chunks';
      const meter = new StreamUsageMeter(modelName, body);
      return events instanceof Promise
        ? events.then((e) => streamAnswer(meteredEvents(e, meter, spent), framing))
        : streamAnswer(meteredEvents(events, meter, spent), framing);
    }
    const json =
      kind === 'chat' ? model.chat(request) : kind === 'responses' ? model.responses(request) : kind === 'completions' ? model.completion(request) : model.embeddings(request);
    if (typeof json === 'string') {
      spent(usageFromJson(json));
      return { status: 200, json };
    }
    return json.then((text) => {
      spent(usageFromJson(text));
      return jsonAnswer(text);
    });
  }

  /**
   * The allowed call's audit record, written once its answer is over, with
   * the deployment and the tokens spent (a refused body spends none).
   */
  private usageRecorder(call: DataPlaneCall, account: Resource, caller: Caller, deployment: string): (usage: Usage | undefined) => void {
    return (usage) => {
      const token = caller.kind === 'token' ? caller.token : undefined;
      this.deps.audit.recordUsage(
        'openai', call.operation.template, account.id,
        token ? token.objectId : null, token ? this.principalType(token.objectId) : null,
        caller.kind === 'key' ? caller.keyName : null,
        caller.kind === 'key' ? `${caller.keyName} of the account` : 'role grants the data action', call.requestId,
        deployment, usage,
      );
    };
  }

  /** Managed identities and applications are both service principals; the audit tells them apart. */
  private principalType(objectId: string): string {
    const kind = this.deps.directory.principal(objectId)?.kind;
    return kind === undefined || kind === 'Application' ? 'ServicePrincipal' : 'ManagedIdentity';
  }

  private audit(call: DataPlaneCall, account: Resource | undefined, caller: Caller | undefined, decision: 'allowed' | 'denied', reason: string): void {
    const token = caller?.kind === 'token' ? caller.token : undefined;
    this.deps.audit.record(
      'openai', call.operation.template, account?.id ?? null,
      token ? token.objectId : null, token ? this.principalType(token.objectId) : null,
      caller?.kind === 'key' ? caller.keyName : null, decision, reason, call.requestId,
    );
  }
}

/** Any JSON value is accepted as a body; what is not an object reads as an empty one (the model then names what is missing). */
function parseBody(body: BodyInput): Record<string, unknown> {
  switch (body.kind) {
    case 'none':
      return {};
    case 'tooLarge':
      throw unparsable(`Request body is larger than ${MAX_BODY_BYTES} bytes`);
    case 'unsupported':
      throw unparsable(body.mediaType === undefined ? 'No Content-Type; send application/json' : `Unsupported Media Type: ${body.mediaType}`);
    case 'json': {
      if (body.text === '') return {};
      let value: unknown;
      try {
        value = JSON.parse(body.text);
      } catch (error) {
        throw unparsable((error as Error).message);
      }
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
    }
  }
}

const unparsable = (detail: string): DataPlaneError => dataPlaneErrors.invalidRequest(`We could not parse the JSON body of your request. (${detail})`, null, null);

const jsonAnswer = (json: string): DataPlaneAnswer => ({ status: 200, json });

const modelNameOf = (deployment: Resource): string => String((deployment.properties['model'] as Record<string, unknown> | undefined)?.['name'] ?? deployment.name);

/** The simulator's chunks, each seen by the meter on its way out; what was spent is recorded when the stream ends, however it ends. */
function meteredEvents(events: ModelChunks, meter: StreamUsageMeter, spent: (usage: Usage | undefined) => void): ModelChunks {
  if (Symbol.asyncIterator in events) {
    return (async function* () {
      try {
        for await (const chunk of events) {
          meter.chunk(chunk);
          yield chunk;
        }
      } finally {
        setImmediate(() => spent(meter.result()));
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
      setImmediate(() => spent(meter.result()));
    }
  })();
}

/** An upstream's failure is Azure's 502/504; anything else is not expected. */
function upstreamErrorAnswer(error: unknown): DataPlaneAnswer {
  if (error instanceof DataPlaneError) return errorAnswer(error);
  throw error;
}
const streamAnswer = (events: ModelChunks, framing: EventFraming): DataPlaneAnswer => ({ status: 200, events, framing });

/** The model's refusal of the body (invalid input) as Azure's 400; anything else is not the caller's fault. */
function inputErrorAnswer(error: unknown): DataPlaneAnswer {
  const refused = toDataPlaneError(error);
  if (refused) return errorAnswer(refused);
  throw error;
}

const apiVersionError = (refusal: ApiVersionRefusal): DataPlaneError =>
  refusal === 'unsupported' ? dataPlaneErrors.apiVersionNotSupported() : dataPlaneErrors.resourceNotFound('unsupported api-version');

/** Error bodies are small and rare: serialised per answer. */
function errorAnswer(error: DataPlaneError): DataPlaneAnswer {
  return { status: error.status, json: JSON.stringify(error.body()) };
}
