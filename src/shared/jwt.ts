import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Minimal RS256 JWS over node:crypto. Keyless only ever signs and verifies its
 * own RS256 tokens with keys from its own key index, so a general JOSE
 * library's algorithm negotiation, `jku`/`x5u`/`jwk` handling would only be
 * surface to get wrong; it is not used here.
 */
export type JwtPayload = Record<string, unknown>;

export interface DecodedJwt {
  readonly header: Record<string, unknown>;
  readonly payload: JwtPayload;
  readonly signingInput: string;
  readonly signature: Buffer;
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signRs256(header: Record<string, unknown>, payload: JwtPayload, key: KeyObject): string {
  const input = `${b64({ typ: 'JWT', alg: 'RS256', ...header })}.${b64(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

/** Splits and parses a compact JWS; undefined when it is not well-formed. Verifies nothing. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  if (first <= 0 || second <= first + 1 || token.indexOf('.', second + 1) !== -1 || second === token.length - 1) return undefined;
  // Strict base64url: node's decoder skips characters outside the alphabet, so 'sig!!' would read as 'sig'.
  if (!BASE64URL_PARTS.test(token)) return undefined;
  try {
    const header = JSON.parse(Buffer.from(token.slice(0, first), 'base64url').toString('utf8')) as unknown;
    const payload = JSON.parse(Buffer.from(token.slice(first + 1, second), 'base64url').toString('utf8')) as unknown;
    if (!isObject(header) || !isObject(payload)) return undefined;
    return { header, payload, signingInput: token.slice(0, second), signature: Buffer.from(token.slice(second + 1), 'base64url') };
  } catch {
    return undefined;
  }
}

/**
 * RFC 7515 §4.1.11: a recipient must refuse a JWS whose `crit` header names an
 * extension it does not understand. Keyless understands none, so any `crit`
 * (malformed or empty ones included) means refusal.
 */
export function hasCriticalHeader(jwt: DecodedJwt): boolean {
  return Object.hasOwn(jwt.header, 'crit');
}

export function verifyRs256(jwt: DecodedJwt, key: KeyObject): boolean {
  return verify('sha256', Buffer.from(jwt.signingInput), key, jwt.signature);
}

export function publicKeyFromJwk(jwk: Readonly<Record<string, string>>): KeyObject {
  return createPublicKey({ key: { kty: 'RSA', n: jwk['n'] ?? '', e: jwk['e'] ?? '' }, format: 'jwk' });
}

const BASE64URL_PARTS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
