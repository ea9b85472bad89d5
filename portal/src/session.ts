import { apiErrorFrom } from './errors.js';

/**
 * The signed-in session, in this tab's memory only (never localStorage or sessionStorage): the access token, and
 * the refresh token that renews it before it expires. Closing the tab ends the session; the refresh token rotates
 * at every renewal, so a copy of an old one is worthless (and presenting it ends the session server-side).
 */
export interface SignInLink {
  readonly code: string;
  readonly clientId: string;
  readonly tenant: string;
}

interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
}

let tokens: Tokens | undefined;
let link: Omit<SignInLink, 'code'> | undefined;
let timer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<(signedIn: boolean, error?: Error) => void>();

/** Reads `#code=…&client_id=…&tenant=…` from the address, and removes it from the address and history at once. */
export function takeSignInLink(): SignInLink | undefined {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const code = params.get('code');
  const clientId = params.get('client_id');
  const tenant = params.get('tenant');
  if (code === null) return undefined;
  history.replaceState(null, '', `${location.pathname}#/`);
  if (clientId === null || tenant === null) return undefined;
  return { code, clientId, tenant };
}

export function onSessionChange(listener: (signedIn: boolean, error?: Error) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function accessToken(): string | undefined {
  return tokens?.accessToken;
}

export function signedInClientId(): string | undefined {
  return link?.clientId;
}

/** Exchanges the one-time code at the token endpoint (grant_type=authorization_code). */
export async function signIn(given: SignInLink): Promise<void> {
  link = { clientId: given.clientId, tenant: given.tenant };
  await grant({ grant_type: 'authorization_code', code: given.code });
}

export function signOut(): void {
  tokens = undefined;
  if (timer !== undefined) clearTimeout(timer);
  for (const l of listeners) l(false);
}

async function grant(params: Record<string, string>): Promise<void> {
  if (link === undefined) throw new Error('not signed in');
  const form = new URLSearchParams({ ...params, client_id: link.clientId, scope: `${location.origin}/.default` });
  const res = await fetch(`/${encodeURIComponent(link.tenant)}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    cache: 'no-store',
    credentials: 'omit',
  });
  const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!res.ok || body === undefined) throw apiErrorFrom(res.status, body);
  const expiresIn = Number(body['expires_in']);
  tokens = { accessToken: String(body['access_token']), refreshToken: String(body['refresh_token']), expiresAt: Date.now() + expiresIn * 1000 };
  schedule(expiresIn);
  for (const l of listeners) l(true);
}

/** Renews when 80% of the token's life has passed (at least 5 s from now). */
function schedule(expiresIn: number): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = setTimeout(() => void renew(), Math.max(5, expiresIn * 0.8) * 1000);
}

/** Renews now (also used by the API client after a 401); a refused refresh signs the tab out with the reason. */
export async function renew(): Promise<void> {
  const current = tokens;
  if (current === undefined) return;
  try {
    await grant({ grant_type: 'refresh_token', refresh_token: current.refreshToken });
  } catch (error) {
    tokens = undefined;
    for (const l of listeners) l(false, error as Error);
  }
}
