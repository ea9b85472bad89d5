import { AuthenticationError } from '../shared/errors.js';

/** Why a bearer token was refused; surfaces choose how much of this to say. */
export type TokenFailure =
  | 'TokenMalformed'
  | 'TokenAlgorithmNotAllowed'
  | 'TokenUnknownKey'
  | 'TokenSignatureInvalid'
  | 'TokenIssuerInvalid'
  | 'TokenAudienceInvalid'
  | 'TokenExpired'
  | 'TokenNotYetValid'
  /** Only under --strict-revocation. */
  | 'TokenPrincipalDeleted';

export class TokenRejectedError extends AuthenticationError {
  constructor(
    readonly failure: TokenFailure,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(failure, message, details);
  }
}
