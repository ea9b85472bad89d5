import type { DirectoryService } from '../../directory/service.js';
import type { Resource } from '../../resources/model.js';
import type { HostSecretService } from '../../resources/host-secrets.js';
import type { ManagedIdentityTokens } from '../../tokens/managed-identity.js';
import type { KnownResources } from '../../tokens/resources.js';
import type { AuditLog } from '../../audit/log.js';
import type { AuditRecord } from '../../audit/model.js';
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
  readonly audit: AuditLog;
  readonly throttle: HostThrottle | undefined;
  /** Milliseconds since the epoch (the injected clock, as the tokens use). */
  readonly now: () => number;
}

export function firstQueryValue(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/** The audit record of one identity-endpoint decision; `hostId` names the calling host. */
export function identityAudit(
  request: { id: string },
  operation: string,
  hostId: string | null,
  principalId: string | null,
  decision: 'allowed' | 'denied',
  reason: string,
): AuditRecord {
  return {
    at: new Date().toISOString(),
    surface: 'identity',
    operation,
    account: hostId,
    principalId,
    principalType: principalId === null ? null : 'ManagedIdentity',
    keyName: null,
    decision,
    reason,
    requestId: request.id,
  };
}
