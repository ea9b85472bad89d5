import { drillMarker } from '../http/index.js';
import type { DirectoryService } from '../../directory/index.js';
import type { Resource } from '../../resources/index.js';
import type { HostSecretService } from '../../resources/index.js';
import type { ManagedIdentityTokens } from '../../tokens/index.js';
import type { KnownResources } from '../../tokens/index.js';
import type { AuditDecision, AuditRecorder, DenialExplanation } from '../../audit/index.js';
import type { FaultBoard } from '../../faults/index.js';
import type { HostThrottle } from './throttle.js';

/** What every managed identity source needs; each source (one file each) speaks its platform's dialect. */
export interface IdentityEndpointDeps {
  readonly hostSecrets: HostSecretService;
  readonly directory: DirectoryService;
  readonly resource: (key: string) => Resource | undefined;
  readonly tokens: ManagedIdentityTokens;
  readonly knownResources: KnownResources;
  /** The HTTPS origin tokens name as their issuer host. */
  readonly origin: () => string;
  readonly tenantId: () => string;
  readonly audit: AuditRecorder;
  readonly throttle: HostThrottle | undefined;
  /** Milliseconds since the epoch (the injected clock, as the tokens use). */
  readonly now: () => number;
  /** Faults injected into these endpoints (`keyless fault add --surface imds|app-service`). */
  readonly faults: FaultBoard;
}

export function firstQueryValue(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/** Audits one identity-endpoint decision; `hostId` names the calling host. */
export function identityAudit(
  audit: AuditRecorder,
  request: { id: string; headers: Readonly<Record<string, string | string[] | undefined>> },
  operation: string,
  hostId: string | null,
  principalId: string | null,
  decision: AuditDecision,
  reason: string,
  explained?: DenialExplanation,
): void {
  if (decision === 'denied' && explained !== undefined) {
    audit.recordDenial('identity', operation, hostId, principalId, principalId === null ? null : 'ManagedIdentity', null, reason, request.id, explained, drillMarker(request.headers));
    return;
  }
  audit.record('identity', operation, hostId, principalId, principalId === null ? null : 'ManagedIdentity', null, decision, reason, request.id, undefined, undefined, drillMarker(request.headers));
}
