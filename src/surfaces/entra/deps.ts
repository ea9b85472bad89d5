import type { KeylessNames } from '../../config/names.js';
import type { ClientAuthenticator } from '../../directory/client-authenticator.js';
import type { Keyring } from '../../tokens/signing-keys.js';
import type { TokenService } from '../../tokens/service.js';
import type { KnownResources } from '../../tokens/resources.js';
import type { WorkloadIssuer } from '../../tokens/workload-issuer.js';
import type { AuditRecorder } from '../../audit/recorder.js';
import type { HostThrottle } from '../identity-endpoints/throttle.js';

export interface EntraDeps {
  readonly names: KeylessNames;
  readonly tenantId: () => string;
  readonly clients: ClientAuthenticator;
  readonly keyring: Keyring;
  readonly tokens: TokenService;
  readonly resources: KnownResources;
  readonly workload: WorkloadIssuer;
  readonly audit: AuditRecorder;
  /** Fixed app-token lifetime in seconds; undefined = Entra's random 60–90 minutes. */
  readonly appTokenLifetime: number | undefined;
  /** Per-client limits when --token-throttle is on. */
  readonly throttle: HostThrottle | undefined;
}
