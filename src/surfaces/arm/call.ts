import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KeylessNames } from '../../config/names.js';
import type { ReadModel } from '../../store/index.js';
import type { RequestAttributes, RoleAssignmentService } from '../../rbac/index.js';
import type { TokenService, VerifiedToken } from '../../tokens/index.js';
import { audiencesFor } from '../../tokens/index.js';
import { authenticateArm } from './auth.js';
import { armErrors } from './errors.js';
import { drillMarker } from '../http/index.js';
import { resourceEntity } from '../../resources/index.js';
import { principalEntity } from '../../directory/index.js';
import type { AuditRecorder } from '../../audit/index.js';
import { upstreamEntity, viewOf } from '../../upstreams/index.js';
import { parseArmPath, pathSegments, type ArmTarget } from './path.js';
import type { RenderContext } from './render.js';
import type { AsyncOperations } from '../../operations/index.js';

/** What the request pipeline needs (the admin router runs the same pipeline). */
export interface ArmPipelineDeps {
  readonly names: KeylessNames;
  readonly tenantId: () => string;
  readonly subscriptionId: () => string;
  readonly tokens: TokenService;
  readonly rbac: RoleAssignmentService;
  readonly model: ReadModel;
  /** With `keyless up --async-operations`: the long-running operations (their provisioningState shows in every rendering). */
  readonly operations?: AsyncOperations | undefined;
}

/** One control-plane request once it has passed the pipeline: who calls, what it addresses, and its inputs. */
export interface ArmCall {
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  readonly caller: VerifiedToken;
  readonly method: string;
  readonly target: ArmTarget;
  readonly body: Record<string, unknown>;
  readonly query: Record<string, string>;
  readonly ctx: RenderContext;
}

const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

/** The request pipeline, in ARM's order: authenticate → api-version → path → body. Authorization is per handler (it needs the target). */
export function armCall(request: FastifyRequest, reply: FastifyReply, deps: ArmPipelineDeps): ArmCall {
  const origin = deps.names.originFor(request.headers.host);
  const caller = authenticateArm(request.headers.authorization, deps.tokens, audiencesFor('arm', deps.names.origins), `${origin}/`);
  const query = singleValued((request.query ?? {}) as Record<string, string | string[]>);
  const version = query['api-version'];
  if (version === undefined || version === '') throw armErrors.missingApiVersion();
  if (!API_VERSION.test(version)) throw armErrors.invalidApiVersion(version);
  const target = parseArmPath(pathSegments(request.url));
  if (!target) throw armErrors.noRoute(request.method, request.url.split('?')[0] ?? '');
  const body = request.body;
  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
    throw armErrors.invalidContent('The request content was invalid and could not be deserialized: the body must be a JSON object.');
  }
  const ctx: RenderContext = {
    origin,
    tenantId: deps.tenantId(),
    subscriptionId: deps.subscriptionId(),
    resource: (key) => deps.model.table(resourceEntity).get(key),
    upstream: (key) => {
      const upstream = deps.model.table(upstreamEntity).get(key);
      return upstream && viewOf(upstream);
    },
    apiVersion: version,
    provisioningState: (key) => deps.operations?.provisioningState(key),
  };
  return { request, reply, caller, method: request.method, target, body: (body ?? {}) as Record<string, unknown>, query, ctx };
}

/**
 * Authorization and the subscription check, shared by every handler. Every
 * denial is audited with its explanation and fix (computed only then); the
 * caller gets ARM's exact AuthorizationFailed and nothing more.
 */
export class ArmAccess {
  constructor(
    private readonly deps: Pick<ArmPipelineDeps, 'rbac' | 'subscriptionId' | 'model'>,
    private readonly audit: AuditRecorder,
  ) {}

  /** `operation` names the call in the audit record (default: method and path). */
  /** `attributes`: what a role's ABAC condition may test (the role an assignment write grants, or the one a delete removes). */
  authorize(call: ArmCall, action: string, scope: string, operation?: string, attributes?: RequestAttributes): void {
    const caller = call.caller.objectId;
    const decision = this.deps.rbac.authorize(caller, action, 'action', scope, attributes);
    if (decision.allowed) return;
    call.request.log.info({ principal: caller, action, scope, reason: decision.reason }, 'control-plane access denied');
    const explained = this.deps.rbac.explain(caller, action, 'action', scope, attributes);
    const kind = this.deps.model.table(principalEntity).get(caller)?.kind;
    this.audit.recordDenial(
      'arm', operation ?? `${call.method} ${call.request.url.split('?')[0] ?? ''}`, scope, caller,
      kind === undefined || kind === 'Application' ? 'ServicePrincipal' : 'ManagedIdentity', null,
      `lacks ${action} at ${scope}`, call.request.id,
      { explanation: explained.summary, fix: explained.fix?.command }, drillMarker(call.request.headers),
    );
    // A grant its role's condition refused gets Azure's ABAC wording.
    const byCondition = explained.notGrantedBy.some((v) => v.refusedByCondition !== undefined);
    throw armErrors.authorizationFailed(caller, call.caller.appId || caller, action, scope, byCondition);
  }

  canRead(call: ArmCall, action: string, scope: string): boolean {
    return this.deps.rbac.authorize(call.caller.objectId, action, 'action', scope).allowed;
  }

  checkSubscription(subscription: string): void {
    if (subscription.toLowerCase() !== this.deps.subscriptionId().toLowerCase()) throw armErrors.subscriptionNotFound(subscription);
  }
}

export function only(method: string, allowed: string): void {
  if (method !== allowed) throw armErrors.methodNotAllowed(method);
}

/** The query with one value per name: a name given twice is ambiguous, and answered 400 rather than guessed at. */
function singleValued(query: Record<string, string | string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    if (Array.isArray(value)) throw armErrors.repeatedQueryParameter(name);
    out[name] = value;
  }
  return out;
}
