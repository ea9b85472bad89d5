import { apiErrorFrom, ApiError } from './errors.js';
import { accessToken, renew } from './session.js';

/** The api-versions the CLI uses (src/cli/arm.ts), so the portal calls exactly what it calls. */
export const API = {
  groups: '2021-04-01',
  identities: '2023-01-31',
  cognitive: '2024-10-01',
  web: '2023-12-01',
  compute: '2024-07-01',
  authorization: '2022-04-01',
  keyless: '2026-01-01',
  graph: 'v1.0',
} as const;

export type Json = Record<string, unknown>;

/** One call to an ARM, Graph or Keyless API on this origin with the session's token; a 401 renews once and retries. */
export async function call(method: string, path: string, apiVersion: string | undefined, body?: unknown): Promise<Json> {
  return (await callWithHeaders(method, path, apiVersion, body)).body;
}

/** As `call`, with the answer's headers too (a long-running operation's `Azure-AsyncOperation`). */
export async function callWithHeaders(method: string, path: string, apiVersion: string | undefined, body?: unknown): Promise<{ body: Json; headers: Headers }> {
  const url = apiVersion === undefined ? path : `${path}${path.includes('?') ? '&' : '?'}api-version=${encodeURIComponent(apiVersion)}`;
  let res = await send(method, url, body);
  if (res.status === 401) {
    await renew();
    res = await send(method, url, body);
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  if (res.status < 200 || res.status >= 300) throw apiErrorFrom(res.status, parsed);
  return { body: (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Json, headers: res.headers };
}

function send(method: string, url: string, body: unknown): Promise<Response> {
  const token = accessToken();
  if (token === undefined) return Promise.reject(new ApiError(401, 'NotSignedIn', 'The session has ended: sign in again with `keyless portal`.'));
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(url, { method, headers, body: body === undefined ? null : JSON.stringify(body), cache: 'no-store', credentials: 'omit' });
}

/** The `value` array of a list answer. */
export function list(answer: Json): Json[] {
  const value = answer['value'];
  return Array.isArray(value) ? (value as Json[]) : [];
}

export function str(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

/** Walks nested keys. */
export function pick(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Json)[key];
  }
  return current;
}
