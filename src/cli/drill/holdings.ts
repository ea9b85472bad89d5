/** What the attacker holds: the leaked item, and whatever it led to (tokens, keys). Values never leave the drill's process. */

export interface HeldKey {
  readonly account: string;
  readonly accountName: string;
  readonly group: string;
  readonly keyName: 'key1' | 'key2';
  readonly value: string;
}

export interface HeldToken {
  readonly value: string;
  /** Where it came from, for the table (`the token file`, `client secret of APP`). */
  readonly source: string;
  /** `exp`, in seconds since the epoch, when the token names one. */
  readonly exp: number | undefined;
}

export interface Holdings {
  readonly keys: HeldKey[];
  readonly tokens: HeldToken[];
  readonly clientId?: string;
  readonly secret?: { readonly appId: string; readonly value: string };
}

/** A token's `exp` claim, read without verifying anything (the attacker cannot, and need not). */
export function tokenExpiry(token: string): number | undefined {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp : undefined;
  } catch {
    return undefined;
  }
}

/** "until 2026-12-04T15:02:11Z (58 min left)", or "expired". */
export function tokenLifetime(exp: number | undefined, nowMs: number): string {
  if (exp === undefined) return 'unknown (the token names no exp)';
  const left = Math.floor((exp * 1000 - nowMs) / 60_000);
  const at = new Date(exp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return left < 0 ? `expired at ${at}` : `until ${at} (${left} min left)`;
}
