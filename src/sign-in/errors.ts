import { KeylessError } from '../shared/errors.js';

export type SignInFailure =
  | 'SignInCodeInvalid'
  | 'SignInCodeExpired'
  | 'SignInCodeRedeemed'
  | 'RefreshTokenInvalid'
  | 'RefreshTokenExpired'
  | 'RefreshTokenReused'
  | 'SignInClientMismatch';

/** Why a sign-in code or refresh token was refused; the surface renders it in its dialect (Entra's AADSTS codes). */
export class SignInError extends KeylessError {
  constructor(
    readonly failure: SignInFailure,
    message: string,
  ) {
    super(failure, message);
  }
}
