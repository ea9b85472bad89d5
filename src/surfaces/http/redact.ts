/**
 * What may appear in a log line. Secrets travel in headers (authorization,
 * api-key, x-identity-header, secret), in token-endpoint bodies (never
 * logged) and in secret path segments (per-host identity endpoints), so
 * request lines are logged through this and nothing else.
 */
const SECRET_QUERY = /(secret|token|assertion|password|key|sig|code)/i;
/** Long hex or base32 runs are per-host secrets in identity endpoint paths. */
const SECRET_SEGMENT = /^[0-9a-z]{24,}$/i;

export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = (q === -1 ? url : url.slice(0, q))
    .split('/')
    .map((segment) => (SECRET_SEGMENT.test(segment) && !/^[a-z]+$/i.test(segment) ? '***' : segment))
    .join('/');
  if (q === -1) return path;
  const params = new URLSearchParams(url.slice(q + 1));
  const shown: string[] = [];
  for (const [name, value] of params) shown.push(`${name}=${SECRET_QUERY.test(name) ? '***' : value}`);
  return `${path}?${shown.join('&')}`;
}

export const REDACTED_HEADERS: readonly string[] = ['authorization', 'api-key', 'x-identity-header', 'secret', 'cookie'];
