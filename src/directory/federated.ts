import { verify, type KeyObject } from 'node:crypto';
import type { DecodedJwt } from '../shared/jwt.js';
import type { FederatedCredential, Principal } from './model.js';
import { ClientAuthenticationError } from './errors.js';
import { checkTimes } from './client-assertion.js';

/** Where an issuer's signing keys come from: in-process for the built-in workload issuer, discovery for allowed external ones. */
export interface IssuerKeySource {
  key(issuer: string, kid: string | undefined): Promise<KeyObject | undefined>;
}

/**
 * Verifies a federated assertion (a token of an external issuer) for the
 * principal named by client_id: issuer, subject and audience must match one
 * of its federated credentials exactly (case-sensitive, as Entra), the
 * signature must verify with the issuer's key, and the token must be in time.
 */
export async function verifyFederatedAssertion(
  principal: Principal,
  jwt: DecodedJwt,
  credentials: readonly FederatedCredential[],
  keys: IssuerKeySource,
  nowSeconds: number,
): Promise<FederatedCredential> {
  const clientId = principal.appId;
  const { iss, sub, aud } = jwt.payload;
  if (typeof iss !== 'string' || typeof sub !== 'string') throw new ClientAuthenticationError('MalformedAssertion', clientId);
  const own = credentials.filter((c) => c.objectId === principal.objectId);
  const byIssuer = own.filter((c) => c.issuer === iss);
  if (byIssuer.length === 0) throw new ClientAuthenticationError('FederatedIssuerNotFound', clientId, { issuer: iss });
  const bySubject = byIssuer.filter((c) => c.subject === sub);
  if (bySubject.length === 0) throw new ClientAuthenticationError('FederatedSubjectNotFound', clientId, { subject: sub });
  const audiences = (Array.isArray(aud) ? aud : [aud]).filter((a): a is string => typeof a === 'string');
  const match = bySubject.find((c) => c.audiences.some((a) => audiences.includes(a)));
  if (!match) throw new ClientAuthenticationError('FederatedAudienceNotFound', clientId, { audience: audiences.join(', ') });

  const alg = jwt.header['alg'];
  if (alg !== 'RS256' && alg !== 'ES256') throw new ClientAuthenticationError('FederatedSignature', clientId, { reason: `alg ${String(alg)}` });
  const kid = typeof jwt.header['kid'] === 'string' ? jwt.header['kid'] : undefined;
  let key: KeyObject | undefined;
  try {
    key = await keys.key(iss, kid);
  } catch (error) {
    throw new ClientAuthenticationError('FederatedSignature', clientId, { reason: (error as Error).message, fetch: true });
  }
  if (!key || !signatureValid(alg, key, jwt.signingInput, jwt.signature)) {
    throw new ClientAuthenticationError('FederatedSignature', clientId, { reason: 'signature' });
  }
  checkTimes(jwt.payload, nowSeconds, clientId, undefined);
  return match;
}

/**
 * The issuer's key must be of the algorithm's kind (an RSA key for RS256, a
 * P-256 key for ES256): an issuer's JWKS may hold other keys, which must
 * neither verify another algorithm's signature nor make the check throw.
 */
function signatureValid(alg: 'RS256' | 'ES256', key: KeyObject, signingInput: string, signature: Buffer): boolean {
  if (alg === 'RS256' && key.asymmetricKeyType !== 'rsa') return false;
  if (alg === 'ES256' && (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')) return false;
  try {
    return verify('sha256', Buffer.from(signingInput), alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key, signature);
  } catch {
    return false;
  }
}
