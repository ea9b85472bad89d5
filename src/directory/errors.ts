import { AuthenticationError } from '../shared/errors.js';

export type ClientFailure = 'UnknownClient' | 'NoCredential' | 'InvalidSecret' | 'ExpiredSecret';

/** A client failed to authenticate at the token endpoint. The message never contains the credential. */
export class ClientAuthenticationError extends AuthenticationError {
  constructor(
    readonly failure: ClientFailure,
    readonly clientId: string,
  ) {
    super(failure, `Client ${clientId} failed to authenticate: ${failure}.`);
  }
}
