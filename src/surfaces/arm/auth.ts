import type { TokenService, VerifiedToken } from '../../tokens/index.js';
import { TokenRejectedError } from '../../tokens/index.js';
import { bearerToken } from '../http/index.js';
import { armErrors } from './errors.js';

/**
 * ARM's bearer authentication: a token for one of the control-plane
 * audiences, or a 401 with ARM's code, message and WWW-Authenticate header.
 */
export function authenticateArm(
  authorization: string | undefined,
  tokens: TokenService,
  audiences: ReadonlySet<string>,
  authority: string,
): VerifiedToken {
  if (authorization === undefined || authorization === '') throw armErrors.missingAuthorization(authority);
  const token = bearerToken(authorization);
  if (token === undefined) throw armErrors.malformedAuthorization(authority);
  try {
    return tokens.verify(token, { audiences });
  } catch (error) {
    if (!(error instanceof TokenRejectedError)) throw error;
    if (error.failure === 'TokenExpired') {
      throw armErrors.expiredToken(authority, armTime(Number(error.details?.['exp'] ?? 0)), armTime(Number(error.details?.['now'] ?? 0)));
    }
    if (error.failure === 'TokenAudienceInvalid') throw armErrors.wrongAudience(authority, String(error.details?.['audience']), audiences);
    throw armErrors.invalidToken(authority);
  }
}

/** ARM's en-US time format, e.g. 11/29/2026 7:36:44 PM. */
function armTime(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const hours = d.getUTCHours();
  const h12 = hours % 12 === 0 ? 12 : hours % 12;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`;
}
