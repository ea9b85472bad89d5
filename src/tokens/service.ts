import { randomBytes } from 'node:crypto';
import type { Clock } from '../shared/clock.js';
import type { Principal } from '../directory/index.js';
import { decodeJwt, hasCriticalHeader, signRs256, verifyRs256 } from '../shared/jwt.js';
import type { Keyring } from './signing-keys.js';
import { TokenRejectedError } from './errors.js';
import { CLOCK_SKEW_SECONDS } from '../shared/time-limits.js';

export interface IssueRequest {
  readonly principal: Principal;
  /** The `aud` claim: the resource as requested. */
  readonly audience: string;
  /** The origin the caller reached Keyless at (issuer host). */
  readonly origin: string;
  readonly lifetimeSeconds: number;
  /** "1" secret, "2" certificate/assertion or managed identity. */
  readonly appidacr: '0' | '1' | '2';
}

export interface IssuedToken {
  readonly accessToken: string;
  readonly expiresOn: number;
  readonly notBefore: number;
}

export interface VerifiedToken {
  readonly objectId: string;
  readonly appId: string;
  readonly tenantId: string;
  readonly audience: string;
  readonly expiresOn: number;
  readonly claims: Readonly<Record<string, unknown>>;
}

export interface VerifyPolicy {
  /** Accepted `aud` values (compared exactly). */
  readonly audiences: ReadonlySet<string>;
}

/** Under --strict-revocation, a token whose principal no longer exists is refused on every surface. */
export type PrincipalExists = (objectId: string) => boolean;

/**
 * Issues v1 access tokens (the version Azure resources such as ARM and
 * Cognitive Services accept) and verifies them strictly: RS256 only, a kid
 * from Keyless's own keyring (never a key named or embedded by the token),
 * no `crit` header, one of Keyless's issuers (port included), the tenant,
 * the audience, nbf, exp and iat.
 */
export class TokenService {
  constructor(
    private readonly keyring: Keyring,
    private readonly clock: Clock,
    private readonly tenantId: () => string,
    /** Whether an issuer is Keyless's own (v1 and v2 forms of every host name). */
    private readonly isOwnIssuer: (iss: string) => boolean,
    /** Set with --strict-revocation: tokens of deleted principals fail at once (Azure honours them until they expire). */
    private readonly principalExists: PrincipalExists | undefined = undefined,
  ) {}

  issue(request: IssueRequest): IssuedToken {
    const now = Math.floor(this.clock.now() / 1000);
    const tid = this.tenantId();
    const iss = `${request.origin}/${tid}/`;
    const { principal } = request;
    const payload: Record<string, unknown> = {
      aud: request.audience,
      iss,
      iat: now,
      nbf: now,
      exp: now + request.lifetimeSeconds,
      aio: randomBytes(24).toString('base64url'),
      appid: principal.appId,
      appidacr: request.appidacr,
      idp: iss,
      idtyp: 'app',
      oid: principal.objectId,
      rh: `0.${randomBytes(16).toString('base64url')}.`,
      sub: principal.objectId,
      tid,
      uti: randomBytes(16).toString('base64url'),
      ver: '1.0',
    };
    if (principal.resourceId !== null) payload['xms_mirid'] = principal.resourceId;
    const { kid, key } = this.keyring.signingKey();
    return { accessToken: signRs256({ kid, x5t: kid }, payload, key), expiresOn: now + request.lifetimeSeconds, notBefore: now };
  }

  verify(token: string, policy: VerifyPolicy): VerifiedToken {
    const jwt = decodeJwt(token);
    if (!jwt) throw new TokenRejectedError('TokenMalformed', 'The token is not a well-formed JWT.');
    if (hasCriticalHeader(jwt)) throw new TokenRejectedError('TokenCriticalHeader', 'The token names a critical header extension that is not understood.');
    if (jwt.header['alg'] !== 'RS256') {
      throw new TokenRejectedError('TokenAlgorithmNotAllowed', `Algorithm ${String(jwt.header['alg'])} is not accepted.`);
    }
    const kid = jwt.header['kid'];
    const key = typeof kid === 'string' ? this.keyring.publicKey(kid) : undefined;
    if (!key) throw new TokenRejectedError('TokenUnknownKey', 'The token was not signed by a known key.');
    if (!verifyRs256(jwt, key)) throw new TokenRejectedError('TokenSignatureInvalid', 'The token signature is invalid.');
    const claims = jwt.payload;
    const tid = this.tenantId();
    if (typeof claims['iss'] !== 'string' || !this.isOwnIssuer(claims['iss']) || claims['tid'] !== tid) {
      throw new TokenRejectedError('TokenIssuerInvalid', 'The token was not issued by this tenant.');
    }
    const aud = claims['aud'];
    if (typeof aud !== 'string' || !policy.audiences.has(aud)) {
      throw new TokenRejectedError('TokenAudienceInvalid', 'The token audience is not accepted here.', { audience: aud });
    }
    const now = Math.floor(this.clock.now() / 1000);
    const exp = claims['exp'];
    const nbf = claims['nbf'];
    const iat = claims['iat'];
    if (typeof exp !== 'number' || typeof nbf !== 'number' || typeof iat !== 'number' || typeof claims['oid'] !== 'string') {
      throw new TokenRejectedError('TokenMalformed', 'The token lacks required claims.');
    }
    if (now > exp + CLOCK_SKEW_SECONDS) throw new TokenRejectedError('TokenExpired', 'The token has expired.', { exp, now });
    if (now + CLOCK_SKEW_SECONDS < nbf) throw new TokenRejectedError('TokenNotYetValid', 'The token is not yet valid.');
    // The same skew as exp and nbf: a token cannot have been issued later than now (RFC 7519 §4.1.6).
    if (now + CLOCK_SKEW_SECONDS < iat) throw new TokenRejectedError('TokenIssuedInFuture', 'The token was issued in the future.', { iat, now });
    if (this.principalExists && !this.principalExists(claims['oid'])) {
      throw new TokenRejectedError('TokenPrincipalDeleted', 'The principal of the token no longer exists.');
    }
    return {
      objectId: claims['oid'],
      appId: typeof claims['appid'] === 'string' ? claims['appid'] : '',
      tenantId: tid,
      audience: aud,
      expiresOn: exp,
      claims,
    };
  }
}
