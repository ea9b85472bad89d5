import type { KeylessNames } from '../../config/names.js';
import type { ClientAuthenticator } from '../../directory/index.js';
import type { Keyring } from '../../tokens/index.js';
import type { TokenService } from '../../tokens/index.js';
import type { KnownResources } from '../../tokens/index.js';
import type { WorkloadIssuer } from '../../tokens/index.js';
import type { AuditRecorder } from '../../audit/index.js';
import type { FaultBoard } from '../../faults/index.js';
import type { HostThrottle } from '../identity-endpoints/index.js';
import type { SignInService } from '../../sign-in/index.js';

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
  /** The product's time (error bodies' timestamps). */
  readonly now: () => number;
  /** Faults injected into the token endpoint (`keyless fault add --surface token`). */
  readonly faults: FaultBoard;
  /** Whether a client id is Keyless's own operator (the CLI's admin principal): token faults never apply to it, so `keyless fault clear` keeps working. */
  readonly isOperator: (clientId: string) => boolean;
  /** One-time sign-in codes and the portal's refresh tokens (the authorization_code and refresh_token grants). */
  readonly signIns: SignInService;
}
