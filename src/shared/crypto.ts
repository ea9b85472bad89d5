import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/** A random secret as base64url text; `bytes` of CSPRNG output (32 bytes = 256 bits). */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A random lowercase hex string (URL paths get lowercased by msal-node, so hex survives). */
export function randomHex(bytes = 16): string {
  return randomBytes(bytes).toString('hex');
}

/** Keyed digest used to look secrets up without storing them: HMAC-SHA256(pepper, purpose NUL value). */
export function keyedDigest(pepper: Buffer, purpose: string, value: string): string {
  return createHmac('sha256', pepper).update(purpose).update('\0').update(value).digest('base64url');
}

const AEAD = 'aes-256-gcm';

/**
 * Authenticated encryption for secrets at rest. The `context` string is bound
 * as associated data so that a ciphertext cannot be moved to another row.
 * Format: v1.<iv>.<tag>.<ciphertext>, each base64url.
 */
export function seal(kek: Buffer, plaintext: Buffer | string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv(AEAD, kek, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

const TAG_BYTES = 16;

export function open(kek: Buffer, sealed: string, context: string): Buffer {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || iv === undefined || tag === undefined || body === undefined) {
    throw new Error('sealed value has an unknown format');
  }
  const authTag = Buffer.from(tag, 'base64url');
  // Node 20 would accept a truncated tag (as short as 4 bytes): only the full 16 bytes authenticate.
  if (authTag.length !== TAG_BYTES) throw new Error('sealed value has a truncated authentication tag');
  const decipher = createDecipheriv(AEAD, kek, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(authTag);
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
}
