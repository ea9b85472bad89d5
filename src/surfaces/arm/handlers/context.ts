import type { ResourceService } from '../../../resources/index.js';
import type { HostSecretService } from '../../../resources/index.js';
import type { CredentialService } from '../../../directory/index.js';
import type { AuditRecorder } from '../../../audit/index.js';
import type { RoleDefinitionService } from '../../../rbac/index.js';
import type { ProviderRegistrations } from '../../../providers/index.js';
import type { ArmAccess, ArmCall, ArmPipelineDeps } from '../call.js';
import type { ArmTarget } from '../path.js';

export interface ArmDeps extends ArmPipelineDeps {
  readonly resources: ResourceService;
  readonly roleDefinitions: RoleDefinitionService;
  readonly hostSecrets: HostSecretService;
  /** The managed identity listener's base URL, e.g. http://127.0.0.1:8080. */
  readonly identityUrl: () => string;
  readonly credentials: CredentialService;
  /** Records the calls that act as a host's identities. */
  readonly audit: AuditRecorder;
  /** The resource providers and the subscription's registration of each. */
  readonly providers: ProviderRegistrations;
}

/** What every handler is given besides the call: the surface's dependencies and its access checks. */
export interface ArmHandlerContext {
  readonly deps: ArmDeps;
  readonly access: ArmAccess;
}

/** A handler for one kind of target; it authorizes, acts and renders. */
export type ArmHandler<K extends ArmTarget['kind']> = (
  call: ArmCall,
  target: Extract<ArmTarget, { kind: K }>,
  context: ArmHandlerContext,
) => Promise<unknown>;
