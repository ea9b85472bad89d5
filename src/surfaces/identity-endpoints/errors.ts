import type { WireError } from '../http/index.js';

/**
 * What the identity-token pipeline throws: a platform's own error (each
 * platform subclasses this with its body), plus why, for the audit record only.
 */
export abstract class IdentityEndpointError extends Error implements WireError {
  constructor(
    readonly status: number,
    /** Why, for the audit only: never sent. */
    readonly reason: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(reason);
  }

  abstract body(): Record<string, unknown>;
}

/** AADSTS500011's text, which both platforms pass through for an unknown resource. */
export function unknownResourceMessage(resource: string, tenantId: string): string {
  return `AADSTS500011: The resource principal named ${resource} was not found in the tenant named ${tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`;
}
