import { randomInt } from 'node:crypto';
import { SignInError, type Redeemed, type SignInFailure } from '../../../sign-in/index.js';
import { MAX_APP_TOKEN_LIFETIME_SECONDS, MIN_APP_TOKEN_LIFETIME_SECONDS } from '../../../shared/time-limits.js';
import { entraErrors, type EntraError } from '../errors.js';
import type { Grant, GrantContext, GrantResult } from './grant.js';

/** How a refused code or refresh token reads in Entra's dialect. */
const REFUSALS: Record<SignInFailure, () => EntraError> = {
  SignInCodeInvalid: () => entraErrors.invalidGrant('code', 'The code is unknown or malformed.'),
  SignInCodeExpired: () => entraErrors.codeExpired(),
  SignInCodeRedeemed: () => entraErrors.codeRedeemed(),
  RefreshTokenInvalid: () => entraErrors.invalidGrant('refresh_token', 'The token is unknown or malformed.'),
  RefreshTokenExpired: () => entraErrors.refreshExpired(),
  RefreshTokenReused: () => entraErrors.invalidGrant('refresh_token', 'It was already redeemed, so its session has been ended; sign in again.'),
  SignInClientMismatch: () => entraErrors.invalidGrant('code', 'It was issued to another client.'),
};

/**
 * The portal's sign-in: a one-time code from `keyless portal` (authorization_code), then rotating refresh tokens
 * (refresh_token), both public-client grants (no client secret: the code or refresh token is the proof) that
 * answer an ordinary access token of the code's principal for Keyless's own audience, as client_credentials would.
 */
function signInGrant(grantType: 'authorization_code' | 'refresh_token', parameter: 'code' | 'refresh_token'): Grant {
  return {
    grantType,
    async handle(ctx: GrantContext): Promise<GrantResult> {
      const { request, deps, tenant } = ctx;
      const presented = parameter === 'code' ? request.code : request.refreshToken;
      if (presented === undefined || presented === '') throw entraErrors.missingParameter(parameter);
      const principal = deps.clients.principal(request.clientId);
      if (principal === undefined) throw entraErrors.unknownClient(request.clientId, tenant);
      // Only Keyless's own APIs (ARM, Graph, Keyless's): the portal calls nothing else.
      if (!deps.names.isOwnOrigin(request.resource)) throw entraErrors.unknownResource(request.resource, tenant);
      ctx.admit(principal.objectId);
      let redeemed: Redeemed;
      try {
        redeemed = parameter === 'code' ? await deps.signIns.redeemCode(presented, principal.objectId) : await deps.signIns.redeemRefresh(presented, principal.objectId);
      } catch (error) {
        if (error instanceof SignInError) throw REFUSALS[error.failure]();
        throw error;
      }
      const lifetime = deps.appTokenLifetime ?? randomInt(MIN_APP_TOKEN_LIFETIME_SECONDS, MAX_APP_TOKEN_LIFETIME_SECONDS + 1);
      const issued = deps.tokens.issue({ principal, audience: request.resource, origin: ctx.origin, lifetimeSeconds: lifetime, appidacr: '0' });
      const refreshIn = Math.max(0, Math.floor((Date.parse(redeemed.refresh.expiresAt) - deps.now()) / 1000));
      return {
        principal,
        how: parameter === 'code' ? 'sign-in code' : 'refresh token',
        body: {
          token_type: 'Bearer',
          scope: `${request.resource}/.default`,
          expires_in: lifetime,
          ext_expires_in: lifetime,
          access_token: issued.accessToken,
          refresh_token: redeemed.refresh.value,
          refresh_token_expires_in: refreshIn,
        },
      };
    },
  };
}

export const authorizationCode = signInGrant('authorization_code', 'code');
export const refreshToken = signInGrant('refresh_token', 'refresh_token');
