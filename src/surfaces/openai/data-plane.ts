import { randomUUID } from 'node:crypto';
import type { Resource } from '../../resources/index.js';
import type { RoleAssignmentService } from '../../rbac/index.js';
import type { AuditRecorder } from '../../audit/index.js';
import { newResponseId, type ModelBackend, type ModelChunks, type ModelRequest, type StoredResponses } from '../../models/index.js';
import type { EventFraming } from '../http/index.js';
import type { AccountIndex } from './accounts.js';
import { authenticate, type AuthenticateDeps, type Caller } from './authenticate.js';
import { DataPlaneError, dataPlaneErrors, toDataPlaneError } from './errors.js';
import type { DataPlaneRoute } from './route.js';
import { createResponse, storedResponseAnswer } from './responses.js';
import { deletesResponse } from './responses-route.js';

export interface DataPlaneDeps extends AuthenticateDeps {
  readonly accounts: AccountIndex;
  readonly rbac: RoleAssignmentService;
  readonly model: ModelBackend;
  readonly audit: AuditRecorder;
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

/** What to answer: a JSON document, or server-sent events (the chunks, each sent as one `data:` line). */
export type DataPlaneAnswer =
  | { readonly status: number; readonly json: string }
  | { readonly status: 200; readonly events: ModelChunks; readonly framing?: EventFraming };

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
      caller = authenticate(call.headers, account, deps, call.v1);
      if (caller.kind === 'token') {
        const decision = deps.rbac.authorize(caller.token.objectId, call.operation.dataAction, 'dataAction', account.id);
        if (!decision.allowed) throw dataPlaneErrors.permissionDenied(caller.token.objectId, call.operation.dataAction, call.operation.template, decision.reason);
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
      this.audit(call, account, caller, 'allowed', caller.kind === 'key' ? `${caller.keyName} of the account` : 'role grants the data action');
      const latency = deployment.properties['simulatedLatencyMs'];
      if (typeof latency === 'number' && latency > 0) {
        return new Promise((resolve) => setTimeout(resolve, latency)).then(() => this.answerOrInputError(call, deployment, body));
      }
      return this.answerOrInputError(call, deployment, body);
    } catch (error) {
      if (!(error instanceof DataPlaneError)) throw error;
      this.audit(call, account, caller, 'denied', error.reason);
      return errorAnswer(error);
    }
  }

  private answerOrInputError(call: DataPlaneCall, deployment: Resource, body: Record<string, unknown>): DataPlaneAnswer | Promise<DataPlaneAnswer> {
    try {
      const answer = this.answer(call, deployment, body);
      return answer instanceof Promise ? answer.catch(inputErrorAnswer) : answer;
    } catch (error) {
      return inputErrorAnswer(error);
    }
  }

  /** Asks the backend; a ready answer (the simulator's) is returned as it is, without a tick. */
  private answer(call: DataPlaneCall, deployment: Resource, body: Record<string, unknown>): DataPlaneAnswer | Promise<DataPlaneAnswer> {
    const { model } = this.deps;
    const { kind } = call.operation;
    const modelName = String((deployment.properties['model'] as Record<string, unknown> | undefined)?.['name'] ?? deployment.name);
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
    if (kind === 'responses') return createResponse(model, request);
    if (kind !== 'embeddings' && body['stream'] === true) {
      const events = kind === 'chat' ? model.chatStream(request) : model.completionStream(request);
      return events instanceof Promise ? events.then(streamAnswer) : streamAnswer(events);
    }
    const json = kind === 'chat' ? model.chat(request) : kind === 'completions' ? model.completion(request) : model.embeddings(request);
    return typeof json === 'string' ? { status: 200, json } : json.then(jsonAnswer);
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
const streamAnswer = (events: ModelChunks): DataPlaneAnswer => ({ status: 200, events });

/** The model's refusal of the body (invalid input) as Azure's 400; anything else is not the caller's fault. */
function inputErrorAnswer(error: unknown): DataPlaneAnswer {
  const refused = toDataPlaneError(error);
  if (refused) return errorAnswer(refused);
  throw error;
}

/** Error bodies are small and rare: serialised per answer. */
function errorAnswer(error: DataPlaneError): DataPlaneAnswer {
  return { status: error.status, json: JSON.stringify(error.body()) };
}
