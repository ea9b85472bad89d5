import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { open, seal } from '../shared/crypto.js';
import type { SigningKeyRecord, SigningKeyStatus } from './model.js';
import { publicKeyFromJwk } from '../shared/jwt.js';

const sealContext = (kid: string): string => `signingKey:${kid}`;

/** A fresh RSA-2048 signing key, sealed under the KEK. kid = base64url SHA-256 thumbprint of the public JWK (RFC 7638). */
export function newSigningKey(kek: Buffer, status: SigningKeyStatus, now: Date): SigningKeyRecord {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const n = String(jwk.n);
  const e = String(jwk.e);
  const kid = createHash('sha256').update(JSON.stringify({ e, kty: 'RSA', n })).digest('base64url');
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  return {
    kid,
    status,
    sealedPrivate: seal(kek, pkcs8, sealContext(kid)),
    publicJwk: { kty: 'RSA', use: 'sig', kid, n, e },
    createdAt: now.toISOString(),
    retiredAt: null,
  };
}

export function unsealSigningKey(kek: Buffer, record: SigningKeyRecord): KeyObject {
  return createPrivateKey({ key: open(kek, record.sealedPrivate, sealContext(record.kid)), format: 'der', type: 'pkcs8' });
}

export interface LoadedKey {
  readonly record: SigningKeyRecord;
  readonly publicKey: KeyObject;
}

/**
 * The signing keys as the token service uses them: the current private key
 * (unsealed once) and every verifiable public key by kid. Rebuilt whenever a
 * signing key changes, so that a rotation takes effect on the next request.
 */
export class Keyring {
  private current: { kid: string; key: KeyObject } | undefined;
  private verifiable = new Map<string, LoadedKey>();
  private published: Record<string, string>[] = [];

  constructor(private readonly kek: Buffer) {}

  rebuild(records: Iterable<SigningKeyRecord>): void {
    const verifiable = new Map<string, LoadedKey>();
    const published: Record<string, string>[] = [];
    let current: { kid: string; key: KeyObject } | undefined;
    for (const record of records) {
      if (record.status === 'revoked') continue;
      verifiable.set(record.kid, { record, publicKey: publicKeyFromJwk(record.publicJwk) });
      if (record.status === 'current' || record.status === 'next') published.push({ ...record.publicJwk });
      if (record.status === 'current') current = { kid: record.kid, key: unsealSigningKey(this.kek, record) };
    }
    this.current = current;
    this.verifiable = verifiable;
    this.published = published;
  }

  signingKey(): { kid: string; key: KeyObject } {
    if (!this.current) throw new Error('no current signing key');
    return this.current;
  }

  publicKey(kid: string): KeyObject | undefined {
    return this.verifiable.get(kid)?.publicKey;
  }

  /** The JWKS `keys` array: the current key and the next one, as Entra publishes. */
  jwks(): readonly Record<string, string>[] {
    return this.published;
  }
}
