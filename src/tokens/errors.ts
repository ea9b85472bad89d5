import { AuthenticationError } from '../shared/errors.js';

/** Why a bearer token was refused; surfaces choose how much of this to say. */
export type TokenFailure =
  | 'TokenMalformed'
  | 'TokenAlgorithmNotAllowed'
  /** A `crit` header: Keyless understands no JWS extension (RFC 7515 §4.1.11). */
  | 'TokenCriticalHeader'
  | 'TokenUnknownKey'
  | 'TokenSignatureInvalid'
  | 'TokenIssuerInvalid'
  | 'TokenAudienceInvalid'
  | 'TokenExpired'
  | 'TokenNotYetValid'
  /** `iat` later than now plus the clock skew. */
  | 'TokenIssuedInFuture'
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
