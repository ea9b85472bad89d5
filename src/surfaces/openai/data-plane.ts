import { drillMarker, type FenceView } from '../http/index.js';
import { networkRefusal, type NetworkRefusal, type Resource } from '../../resources/index.js';
import type { RoleAssignmentService } from '../../rbac/index.js';
import type { AuditDecision, AuditRecorder, DenialExplanation } from '../../audit/index.js';
import { describeEffect, type Fault, type FaultBoard } from '../../faults/index.js';
import { injectedAnswer } from './injected.js';
import type { StoredResponses } from '../../models/index.js';
import type { AccountIndex } from './accounts.js';
import { authenticate, type AuthenticateDeps, type Caller } from './authenticate.js';
import { DataPlaneError, dataPlaneErrors } from './errors.js';
import type { DataPlaneRoute } from './route.js';
import { answerOther, isOtherOperation } from './other-answers.js';
import type { ApiVersionRefusal } from './api-versions.js';
import { storedResponseAnswer } from './responses.js';
import { deletesResponse } from './responses-route.js';
import { errorAnswer, type DataPlaneAnswer } from './answers.js';
import { callModel, type ModelCallDeps } from './model-call.js';
import { networkExplanation } from './denial-explanations.js';
import type { UsageSink } from './upstream-call.js';
import type { OnCallerGone } from '../../upstreams/index.js';

export type { DataPlaneAnswer } from './answers.js';

export interface DataPlaneDeps extends AuthenticateDeps, ModelCallDeps {
  readonly accounts: AccountIndex;
  readonly rbac: RoleAssignmentService;
  readonly audit: AuditRecorder;
  /** The Responses API's stored responses, per account (the simulator's store). */
  readonly storedResponses: StoredResponses;
  /** This instance's fence: while it is up, every call is refused with 503 before anything is judged. */
  readonly fence: FenceView;
  /** Faults injected into the data plane (`keyless fault add --surface data-plane`); one boolean test when there are none. */
  readonly faults: FaultBoard;
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
  /** Runs its callback once the caller has gone away (at once if it already has). */
  readonly onCallerGone: OnCallerGone;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: BodyInput;
  /** The TCP peer's address (`socket.remoteAddress`): what the account's network rules judge. Forwarding headers are never read. */
  readonly remoteAddress: string | undefined;
}

/** The largest request body the data plane reads. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * The Azure OpenAI data plane, free of any HTTP framework. Steps: account →
 * its network rules (the caller's address) → api-version → authenticate (key or token) → authorize the data action at
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
      if (deps.fence.fenced()) throw dataPlaneErrors.instanceFenced();
      if (!account) throw dataPlaneErrors.resourceNotFound('unknown account');
      // The account's network rules, before anything of the request is judged: a refused address learns nothing, not even whether its credential is good.
      const refusal = networkRefusal(account, call.remoteAddress);
      if (refusal !== undefined) throw networkError(refusal).explain(networkExplanation(account, refusal, call.remoteAddress));
      if (!call.v1 && !call.hasApiVersion) throw dataPlaneErrors.resourceNotFound('no api-version');
      if (call.apiVersionRefusal !== undefined) throw apiVersionError(call.apiVersionRefusal);
      caller = authenticate(call.headers, account, deps, call.v1);
      if (call.operation.kind === 'notServed') throw dataPlaneErrors.resourceNotFound(`Keyless does not serve ${call.operation.template}`);
      if (caller.kind === 'token') {
        const decision = deps.rbac.authorize(caller.token.objectId, call.operation.dataAction, 'dataAction', account.id);
        if (!decision.allowed) throw permissionDenied(deps.rbac, caller.token.objectId, call.operation, account.id, decision.reason);
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
      // No fault (the usual case): one boolean test, and no closure.
      const fault = deps.faults.take('data-plane', undefined, undefined, deployment.name);
      const known = caller;
      const answer = fault === undefined ? this.callDeployment(call, account, known, deployment, body, undefined) : this.injected(fault, call, account, known, deployment, body);
      if (!(answer instanceof Promise)) return answer;
      // Refusals that come later (a quota counted in Redis) are audited and answered as the others.
      return answer.catch((error: unknown) => this.refused(call, account, known, error));
    } catch (error) {
      return this.refused(call, account, caller, error);
    }
  }

  /**
   * A fault's answer. One that replaces the model's (a status, the prompt's
   * filter, a dropped connection) is audited here as injected; one that
   * delays or filters the model's answer is audited with its usage, as injected.
   */
  private injected(fault: Fault, call: DataPlaneCall, account: Resource, caller: Caller, deployment: Resource, body: Record<string, unknown>) {
    const { effect } = fault;
    const reason = `fault ${fault.id}: ${describeEffect(effect)}`;
    if (effect.kind !== 'delay' && !(effect.kind === 'contentFilter' && effect.target === 'completion')) this.audit(call, account, caller, 'injected', reason);
    const injectedCall = { requestId: call.requestId, operation: call.operation, apiVersion: call.apiVersion, accountKind: account.kind ?? 'OpenAI' };
    return injectedAnswer(fault, injectedCall, reason, () => this.callDeployment(call, account, caller, deployment, body, reason));
  }

  /** The deployment's model (quota first); `injected` names the fault that delays or filters it, for the audit. */
  private callDeployment(call: DataPlaneCall, account: Resource, caller: Caller, deployment: Resource, body: Record<string, unknown>, injected: string | undefined) {
    return callModel(this.deps, {
      operation: call.operation,
      apiVersion: call.apiVersion,
      account,
      deployment,
      body,
      text: call.body.kind === 'json' ? call.body.text : '',
      spent: this.usageRecorder(call, account, caller, deployment.name, injected),
      onCallerGone: call.onCallerGone,
    });
  }

  private refused(call: DataPlaneCall, account: Resource | undefined, caller: Caller | undefined, error: unknown): DataPlaneAnswer {
    if (!(error instanceof DataPlaneError)) throw error;
    this.audit(call, account, caller, 'denied', error.reason, error.explained);
    return errorAnswer(error);
  }

  /**
   * The allowed call's audit record, written once its answer is over, with
   * the deployment and the tokens spent (a refused body spends none).
   */
  private usageRecorder(call: DataPlaneCall, account: Resource, caller: Caller, deployment: string, injected: string | undefined): UsageSink {
    return (usage, outcome) => {
      const allowed = caller.kind === 'key' ? `${caller.keyName} of the account` : 'role grants the data action';
      const reason = injected === undefined ? allowed : `${injected}; ${allowed}`;
      const token = caller.kind === 'token' ? caller.token : undefined;
      this.deps.audit.record(
        'openai', call.operation.template, account.id,
        token ? token.objectId : null, token ? this.principalType(token.objectId) : null,
        caller.kind === 'key' ? caller.keyName : null, injected === undefined ? 'allowed' : 'injected',
        outcome === undefined ? reason : `${reason}; ${outcome}`, call.requestId,
        deployment, usage, drillMarker(call.headers),
      );
    };
  }

  /** Managed identities and applications are both service principals; the audit tells them apart. */
  private principalType(objectId: string): string {
    const kind = this.deps.directory.principal(objectId)?.kind;
    return kind === undefined || kind === 'Application' ? 'ServicePrincipal' : 'ManagedIdentity';
  }

  private audit(call: DataPlaneCall, account: Resource | undefined, caller: Caller | undefined, decision: AuditDecision, reason: string, explained?: DenialExplanation): void {
    const token = caller?.kind === 'token' ? caller.token : undefined;
    const principalId = token ? token.objectId : null;
    const principalType = token ? this.principalType(token.objectId) : null;
    const keyName = caller?.kind === 'key' ? caller.keyName : null;
    if (explained !== undefined) {
      this.deps.audit.recordDenial('openai', call.operation.template, account?.id ?? null, principalId, principalType, keyName, reason, call.requestId, explained, drillMarker(call.headers));
      return;
    }
    this.deps.audit.record('openai', call.operation.template, account?.id ?? null, principalId, principalType, keyName, decision, reason, call.requestId, undefined, undefined, drillMarker(call.headers));
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

/** PermissionDenied, with the explanation and fix the audit keeps (computed here, for the denial only: the allowed path never pays for it). */
function permissionDenied(rbac: RoleAssignmentService, principalId: string, operation: DataPlaneRoute['operation'], scope: string, reason: string): DataPlaneError {
  const explained = rbac.explain(principalId, operation.dataAction, 'dataAction', scope);
  return dataPlaneErrors.permissionDenied(principalId, operation.dataAction, operation.template, reason).explain({ explanation: explained.summary, fix: explained.fix?.command });
}

const networkError = (refusal: NetworkRefusal): DataPlaneError =>
  refusal.kind === 'publicNetworkAccessDisabled' ? dataPlaneErrors.publicAccessDisabled(refusal.reason) : dataPlaneErrors.firewallDenied(refusal.reason);

const apiVersionError = (refusal: ApiVersionRefusal): DataPlaneError =>
  refusal === 'unsupported' ? dataPlaneErrors.apiVersionNotSupported() : dataPlaneErrors.resourceNotFound('unsupported api-version');
