import { AuthenticationError } from '../shared/errors.js';

export type ClientFailure =
  | 'UnknownClient'
  | 'NoCredential'
  | 'InvalidSecret'
  | 'ExpiredSecret'
  /** The assertion is not a parseable JWT or lacks required claims. */
  | 'MalformedAssertion'
  /** No unexpired registered certificate has the thumbprint in the header. */
  | 'CertificateNotRegistered'
  | 'InvalidAssertionSignature'
  /** Outside nbf..exp, or a lifetime longer than allowed. */
  | 'AssertionOutOfTime'
  /** `aud` is not one of Keyless's token endpoints. */
  | 'AssertionAudience'
  /** `iss`/`sub` are not the client id. */
  | 'AssertionIssuer'
  | 'FederatedIssuerNotFound'
  | 'FederatedSubjectNotFound'
  | 'FederatedAudienceNotFound'
  /** The external issuer's keys could not be had, or none verifies the token. */
  | 'FederatedSignature';

/**
 * A client failed to authenticate at the token endpoint. The message never
 * contains the credential; `details` carries what the surface may name
 * (a thumbprint, an issuer, times) in Entra's words.
 */
export class ClientAuthenticationError extends AuthenticationError {
  constructor(
    readonly failure: ClientFailure,
    readonly clientId: string,
    details?: Record<string, unknown>,
  ) {
    super(failure, `Client ${clientId} failed to authenticate: ${failure}.`, details);
  }
}
