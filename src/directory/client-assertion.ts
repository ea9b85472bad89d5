import { X509Certificate, constants, verify, type KeyObject } from 'node:crypto';
import type { DecodedJwt } from '../shared/jwt.js';
import type { ClientCertificate, Principal } from './model.js';
import { ClientAuthenticationError } from './errors.js';
import { CLOCK_SKEW_SECONDS, MAX_ASSERTION_LIFETIME_SECONDS } from '../shared/time-limits.js';


/**
 * Verifies a certificate-signed client assertion (private_key_jwt): PS256
 * with `x5t#S256` (msal-node today) or RS256 with `x5t` (older clients). The
 * key is found only by thumbprint among the client's unexpired registered
 * certificates: an `x5c` in the header is never trusted. `iss` = `sub` = the
 * client id, `aud` one of Keyless's token endpoints. A `jti` may be reused
 * within the assertion's lifetime, as msal-node reuses its assertion.
 */
export function verifyCertificateAssertion(
  principal: Principal,
  jwt: DecodedJwt,
  certificates: readonly ClientCertificate[],
  isTokenEndpoint: (aud: string) => boolean,
  nowSeconds: number,
): ClientCertificate {
  const clientId = principal.appId;
  const alg = jwt.header['alg'];
  const sha256 = jwt.header['x5t#S256'];
  const sha1 = jwt.header['x5t'];
  const thumbprint = typeof sha256 === 'string' ? sha256 : typeof sha1 === 'string' ? sha1 : undefined;
  if ((alg !== 'PS256' && alg !== 'RS256') || thumbprint === undefined) {
    throw new ClientAuthenticationError('MalformedAssertion', clientId, { reason: 'alg must be PS256 or RS256 with x5t#S256 or x5t' });
  }
  const nowMs = nowSeconds * 1000;
  // Only certificates valid now: not expired, and not before their validity starts.
  const certificate = certificates.find(
    (c) => c.objectId === principal.objectId && Date.parse(c.expiresAt) > nowMs &&
      (typeof sha256 === 'string' ? c.thumbprintSha256 === sha256 : c.thumbprintSha1 === sha1) &&
      parsedCertificate(c).notBefore <= nowMs,
  );
  if (!certificate) throw new ClientAuthenticationError('CertificateNotRegistered', clientId, { thumbprint: thumbprintHex(thumbprint) });
  if (!signatureValid(jwt, certificate, alg)) {
    throw new ClientAuthenticationError('InvalidAssertionSignature', clientId, { thumbprint: thumbprintHex(thumbprint) });
  }
  const claims = jwt.payload;
  if (!sameGuid(claims['iss'], clientId) || !sameGuid(claims['sub'], clientId)) throw new ClientAuthenticationError('AssertionIssuer', clientId);
  const aud = claims['aud'];
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.some((a) => typeof a === 'string' && isTokenEndpoint(a))) {
    throw new ClientAuthenticationError('AssertionAudience', clientId, { audience: aud });
  }
  checkTimes(claims, nowSeconds, clientId, MAX_ASSERTION_LIFETIME_SECONDS);
  return certificate;
}

/**
 * nbf ≤ now ≤ exp and iat ≤ now (with skew); when `maxLifetime` is given,
 * exp − (nbf or iat) may not exceed it.
 */
export function checkTimes(claims: Record<string, unknown>, now: number, clientId: string, maxLifetime: number | undefined): void {
  const exp = claims['exp'];
  const iat = claims['iat'];
  const nbf = claims['nbf'] !== undefined ? claims['nbf'] : iat;
  if (typeof exp !== 'number' || (nbf !== undefined && typeof nbf !== 'number') || (iat !== undefined && typeof iat !== 'number')) {
    throw new ClientAuthenticationError('MalformedAssertion', clientId);
  }
  const start = typeof nbf === 'number' ? nbf : now;
  const tooLong = maxLifetime !== undefined && exp - start > maxLifetime + CLOCK_SKEW_SECONDS;
  const issuedLater = typeof iat === 'number' && now + CLOCK_SKEW_SECONDS < iat;
  if (now > exp + CLOCK_SKEW_SECONDS || now + CLOCK_SKEW_SECONDS < start || issuedLater || tooLong) {
    throw new ClientAuthenticationError('AssertionOutOfTime', clientId, { now, nbf: issuedLater ? iat : start, exp });
  }
}

/** Registered certificates, parsed once each (they never change; a removed one is simply not found again). */
const parsedCache = new Map<string, { key: KeyObject; notBefore: number }>();

function parsedCertificate(certificate: ClientCertificate): { key: KeyObject; notBefore: number } {
  let parsed = parsedCache.get(certificate.id);
  if (!parsed) {
    const x509 = new X509Certificate(Buffer.from(certificate.der, 'base64'));
    parsed = { key: x509.publicKey, notBefore: Date.parse(x509.validFrom) };
    parsedCache.set(certificate.id, parsed);
  }
  return parsed;
}

function publicKeyOf(certificate: ClientCertificate): KeyObject {
  return parsedCertificate(certificate).key;
}

function keyOptions(key: KeyObject, alg: 'PS256' | 'RS256') {
  return alg === 'PS256' ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : { key };
}

/** Entra shows thumbprints as upper-case hex. */
function thumbprintHex(base64url: string): string {
  return Buffer.from(base64url, 'base64url').toString('hex').toUpperCase();
}

/** A registered certificate whose key cannot do the assertion's algorithm (not RSA, say) verifies nothing; it never throws. */
function signatureValid(jwt: DecodedJwt, certificate: ClientCertificate, alg: 'PS256' | 'RS256'): boolean {
  try {
    const key = publicKeyOf(certificate);
    return key.asymmetricKeyType === 'rsa' && verify('sha256', Buffer.from(jwt.signingInput), keyOptions(key, alg), jwt.signature);
  } catch {
    return false;
  }
}

const sameGuid = (value: unknown, guid: string): boolean => typeof value === 'string' && value.toLowerCase() === guid.toLowerCase();
