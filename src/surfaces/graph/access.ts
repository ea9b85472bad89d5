import type { FastifyRequest } from 'fastify';
import type { CredentialService } from '../../directory/index.js';
import { principalEntity, type Principal } from '../../directory/index.js';
import type { RoleAssignmentService } from '../../rbac/index.js';
import type { AuditRecorder } from '../../audit/index.js';
import type { ReadModel } from '../../store/index.js';
import { metaEntity } from '../../store/index.js';
import type { VerifiedToken } from '../../tokens/index.js';
import { META } from '../../setup/bootstrap.js';
import { graphErrors } from './errors.js';
import { drillMarker } from '../http/index.js';
import { PRIVILEGED_ACTION } from '../../rbac/index.js';

/** Writing applications and their credentials is privileged: anyone who can add a secret can sign in as that application. */
export const APPLICATIONS_WRITE = PRIVILEGED_ACTION;

/** The verified caller of each Graph request, set by the authentication hook. */
const callers = new WeakMap<FastifyRequest, VerifiedToken>();

export function setCaller(request: FastifyRequest, token: VerifiedToken): void {
  callers.set(request, token);
}

export interface AccessDeps {
  readonly credentials: CredentialService;
  readonly rbac: RoleAssignmentService;
  readonly model: ReadModel;
  /** Where refused writes are recorded, with why and the fix. */
  readonly audit: AuditRecorder;
}

/** Who may do what on applications: reads need a valid token; writes need the action at the subscription. */
export class GraphAccess {
  constructor(private readonly deps: AccessDeps) {}

  application(id: string): Principal {
    return this.deps.credentials.application(id);
  }

  /** An application the caller may change. The CLI's admin application is never changed through Graph (Keyless could not start without it). */
  writable(request: FastifyRequest, id: string): Principal {
    this.requireWrite(request);
    const principal = this.application(id);
    if (principal.objectId === this.deps.model.table(metaEntity).get(META.adminObjectId)?.value) {
      throw graphErrors.badRequest('The Keyless admin application (the CLI\'s own service principal) cannot be changed or deleted.');
    }
    return principal;
  }

  requireWrite(request: FastifyRequest): void {
    const caller = callers.get(request);
    const scope = `/subscriptions/${this.deps.model.table(metaEntity).get(META.subscriptionId)?.value ?? ''}`;
    if (!caller || !this.deps.rbac.authorize(caller.objectId, APPLICATIONS_WRITE, 'action', scope).allowed) {
      request.log.info({ principal: caller?.objectId, action: APPLICATIONS_WRITE, scope }, 'graph write denied');
      if (caller) {
        const explained = this.deps.rbac.explain(caller.objectId, APPLICATIONS_WRITE, 'action', scope);
        const operation = `${request.method} ${request.url.split('?')[0] ?? ''}`;
        this.deps.audit.recordDenial('graph', operation, scope, caller.objectId, this.principalType(caller.objectId), null, `lacks ${APPLICATIONS_WRITE} at ${scope}`, request.id, {
          explanation: explained.summary,
          fix: explained.fix?.command,
        }, drillMarker(request.headers));
      }
      throw graphErrors.denied();
    }
  }

  /** Managed identities and applications are both service principals; the audit tells them apart. */
  private principalType(objectId: string): string {
    const kind = this.deps.model.table(principalEntity).get(objectId.toLowerCase())?.kind;
    return kind === undefined || kind === 'Application' ? 'ServicePrincipal' : 'ManagedIdentity';
  }
}

/** The request's JSON object body ({} when there is none). */
export function bodyOf(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw graphErrors.badRequest('The request body must be a JSON object.');
  return body as Record<string, unknown>;
}

/** An optional string property; anything else is a 400. */
export function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw graphErrors.badRequest(`The property '${name}' must be a string.`);
  return value;
}
