import type { Principal } from '../../../directory/index.js';
import type { TokenRequest, TokenEndpointVersion } from '../token-request.js';
import type { EntraDeps } from '../deps.js';

export interface GrantContext {
  readonly request: TokenRequest;
  readonly version: TokenEndpointVersion;
  readonly tenant: string;
  readonly origin: string;
  readonly deps: EntraDeps;
  /** Called once the caller is authenticated (by its principal's object id), before anything is issued: throws when it is over its limits. */
  readonly admit: (principalId: string) => void;
}

/** What a grant answers: the token response's body, who it was issued to, and how they proved it (for the audit). */
export interface GrantResult {
  readonly body: Record<string, unknown>;
  readonly principal: Principal;
  readonly how: string;
  /** Said after the resource in the audit's reason (e.g. that an assertion was reused). */
  readonly note?: string;
}

/** One grant type of the token endpoint (node-oidc-provider's plug-in shape). */
export interface Grant {
  readonly grantType: string;
  handle(ctx: GrantContext): Promise<GrantResult>;
}
