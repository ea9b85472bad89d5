import { upstreamErrors } from './errors.js';
import { DEFAULT_FIRST_BYTE_TIMEOUT_SECONDS, DEFAULT_TIMEOUT_SECONDS } from './model.js';

/**
 * A deployment's `properties.upstream` as written: where to forward, under
 * which model name, with which key. `key` is write-only: a string sets it,
 * null removes it, absent keeps the stored one (only while the upstream's
 * origin stays the same: a key is never sent to a server it was not given for).
 */
export interface UpstreamSpec {
  readonly url: string;
  readonly model: string | undefined;
  readonly key: string | null | undefined;
  readonly timeoutSeconds: number;
  readonly firstByteTimeoutSeconds: number;
}

const MAX_KEY_LENGTH = 4096;
const MAX_TIMEOUT_SECONDS = 3600;
const WHERE = 'properties.upstream';

/** Parses `properties.upstream`: undefined when absent, null to remove it. */
export function parseUpstreamSpec(value: unknown): UpstreamSpec | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw upstreamErrors.invalid(`The '${WHERE}' property must be an object or null.`);
  const given = value as Record<string, unknown>;
  for (const name of Object.keys(given)) {
    if (!KNOWN.has(name)) throw upstreamErrors.invalid(`The '${WHERE}.${name}' property is not known. Known properties: ${[...KNOWN].join(', ')}.`);
  }
  const timeoutSeconds = seconds(given['timeoutSeconds'], 'timeoutSeconds', DEFAULT_TIMEOUT_SECONDS);
  const firstByteTimeoutSeconds = seconds(given['firstByteTimeoutSeconds'], 'firstByteTimeoutSeconds', Math.min(DEFAULT_FIRST_BYTE_TIMEOUT_SECONDS, timeoutSeconds));
  if (firstByteTimeoutSeconds > timeoutSeconds) {
    throw upstreamErrors.invalid(`The '${WHERE}.firstByteTimeoutSeconds' property must not exceed '${WHERE}.timeoutSeconds'.`);
  }
  return { url: normaliseUrl(given['url']), model: model(given['model']), key: key(given['key']), timeoutSeconds, firstByteTimeoutSeconds };
}

const KNOWN: ReadonlySet<string> = new Set(['url', 'model', 'key', 'timeoutSeconds', 'firstByteTimeoutSeconds', 'hasKey']);

/** An absolute http(s) base URL with no credentials, query or fragment, without its trailing slash. */
export function normaliseUrl(value: unknown): string {
  if (typeof value !== 'string' || value === '') throw upstreamErrors.invalid(`The '${WHERE}.url' property is required: the upstream's OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1.`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw upstreamErrors.invalid(`The '${WHERE}.url' property is not an absolute URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw upstreamErrors.invalid(`The '${WHERE}.url' property must be an http or https URL.`);
  // Said without echoing the URL: it may hold a secret.
  if (url.username !== '' || url.password !== '') throw upstreamErrors.invalid(`The '${WHERE}.url' property must not carry credentials; give the key as '${WHERE}.key'.`);
  if (url.search !== '' || url.hash !== '') throw upstreamErrors.invalid(`The '${WHERE}.url' property must not have a query or a fragment.`);
  return url.href.replace(/\/+$/, '');
}

/** The origin a key was given for: scheme, host and port. */
export function originOf(url: string): string {
  return new URL(url).origin;
}

function model(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '' || value.length > 256) throw upstreamErrors.invalid(`The '${WHERE}.model' property must be a model name of 1 to 256 characters.`);
  return value;
}

function key(value: unknown): string | null | undefined {
  if (value === undefined || value === null) return value;
  // Never echoed: the message names the rule, not the value.
  if (typeof value !== 'string' || value === '' || value.length > MAX_KEY_LENGTH || /[\r\n\0]/.test(value)) {
    throw upstreamErrors.invalid(`The '${WHERE}.key' property must be a string of 1 to ${MAX_KEY_LENGTH} characters without line breaks.`);
  }
  return value;
}

function seconds(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_TIMEOUT_SECONDS) {
    throw upstreamErrors.invalid(`The '${WHERE}.${name}' property must be an integer from 1 to ${MAX_TIMEOUT_SECONDS}.`);
  }
  return value;
}
