import type { TokenService, VerifiedToken } from '../../tokens/service.js';
import { TokenRejectedError } from '../../tokens/errors.js';
import { ArmError } from './errors.js';

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
  const challenge = (error: string, description: string) =>
    `Bearer authorization_uri="${authority}", error="${error}", error_description="${description}"`;
  if (authorization === undefined || authorization === '') {
    throw new ArmError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.", {
      'www-authenticate': challenge('invalid_token', "The authentication failed because of missing 'Authorization' header."),
    });
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match?.[1]) {
    throw new ArmError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is provided in an invalid format.", {
      'www-authenticate': challenge('invalid_token', "The authentication failed because of the 'Authorization' header is provided in an invalid format."),
    });
  }
  try {
    return tokens.verify(match[1], { audiences });
  } catch (error) {
    if (!(error instanceof TokenRejectedError)) throw error;
    if (error.failure === 'TokenExpired') {
      const exp = Number(error.details?.['exp'] ?? 0);
      const message = `The access token expiry UTC time '${armTime(exp)}' is earlier than current UTC time '${armTime(Date.now() / 1000)}'.`;
      throw new ArmError(401, 'ExpiredAuthenticationToken', message, {
        'www-authenticate': challenge('invalid_token', 'The access token has expired.'),
      });
    }
    if (error.failure === 'TokenAudienceInvalid') {
      const allowed = [...audiences].map((a) => `'${a}'`).join(',');
      const message = `The access token has been obtained for wrong audience or resource '${String(error.details?.['audience'])}'. It should exactly match with one of the allowed audiences ${allowed}.`;
      throw new ArmError(401, 'InvalidAuthenticationTokenAudience', message, {
        'www-authenticate': challenge('invalid_token', 'The access token has been obtained from wrong audience or resource.'),
      });
    }
    throw new ArmError(401, 'InvalidAuthenticationToken', 'The access token is invalid.', {
      'www-authenticate': challenge('invalid_token', 'The access token is invalid.'),
    });
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
