/** What a sign-in secret is for: a one-time link's code, or a portal session's refresh token. */
export type SignInGrantKind = 'code' | 'refresh';

/**
 * One stored sign-in secret. The secret itself is never stored: the value handed out is `{id}.{secret}`,
 * and only the SHA-256 of its secret part is kept, compared in constant time on redemption.
 */
export interface SignInGrant {
  readonly id: string;
  readonly kind: SignInGrantKind;
  /** Hex SHA-256 of the secret part. */
  readonly digest: string;
  /** The principal the grant signs in as (the CLI's admin principal for `keyless portal`). */
  readonly principalId: string;
  /** The portal session a refresh token belongs to (the code's id, carried through every rotation). */
  readonly session: string;
  readonly expiresAt: string;
  /** When it was redeemed; a redeemed grant is kept until it expires, so that a second use is told so. */
  readonly usedAt: string | null;
  readonly createdAt: string;
}

/** A freshly issued secret: the value goes to its holder once and is never stored. */
export interface IssuedSecret {
  readonly value: string;
  readonly expiresAt: string;
}

/** One-time links live 2 minutes. */
export const CODE_LIFETIME_MS = 2 * 60_000;
/** A portal session lasts at most 24 hours from its sign-in, as Entra's refresh tokens for single-page apps. */
export const SESSION_LIFETIME_MS = 24 * 3_600_000;
/** Redeemed and expired grants are purged this long after they expire. */
export const PURGE_AFTER_MS = 10 * 60_000;
