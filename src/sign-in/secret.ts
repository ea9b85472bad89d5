import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new `{id}.{secret}` value: a 64-bit id to find the row, 256 bits of secret that only its digest remembers. */
export function newSecret(): { id: string; value: string; digest: string } {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, value: `${id}.${secret}`, digest: digestOf(secret) };
}

/** Splits a presented value; undefined when it is not of the `{id}.{secret}` shape. */
export function parseSecret(value: string): { id: string; secret: string } | undefined {
  const match = /^([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/.exec(value);
  return match ? { id: match[1] as string, secret: match[2] as string } : undefined;
}

export function digestOf(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented secret with a stored digest. */
export function matches(secret: string, digest: string): boolean {
  const presented = Buffer.from(digestOf(secret), 'hex');
  const stored = Buffer.from(digest, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
