/**
 * What may appear in a log line. Secrets travel in headers (authorization,
 * api-key, x-identity-header, secret), in token-endpoint bodies (never
 * logged) and in secret path segments (per-host identity endpoints), so
 * request lines are logged through this and nothing else.
 */
const SECRET_QUERY = /(secret|token|assertion|password|key|sig|code)/i;
/**
 * Per-host secrets are 128 random bits in lowercase hex (matched in any case),
 * so any run of 16 or more hex digits is hidden (half a secret is still too
 * much), and any other run of 24 or more letters and digits that has a digit
 * (secrets of other alphabets); long words such as `federatedIdentityCredentials` stay.
 */
const SECRET_RUN = /[0-9a-z]{16,}/gi;
const HEX = /^[0-9a-f]+$/i;
const DIGIT = /[0-9]/;
/** Percent-decoding rounds: enough for any sane encoding; a part still encoded after them is hidden whole. */
const DECODE_ROUNDS = 8;
const ESCAPE = /%([0-9a-f]{2})/gi;

/**
 * A URL as a log line may show it: path and query values decoded (as often as
 * they were encoded, so that no encoding hides a secret from the rule below),
 * normalised (full-width digits become digits), then every secret-looking run
 * replaced by `***`, whatever the path's shape (`..%2f<secret>`, `%252f`, a
 * secret spelt in escapes). Query values of secret-named parameters are hidden whole.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = redactRuns(decode(q === -1 ? url : url.slice(0, q)));
  if (q === -1) return path;
  const shown: string[] = [];
  for (const part of url.slice(q + 1).split('&')) {
    const eq = part.indexOf('=');
    const name = redactRuns(decode(eq === -1 ? part : part.slice(0, eq)));
    if (eq === -1) shown.push(name);
    else shown.push(`${name}=${SECRET_QUERY.test(name) ? '***' : redactRuns(decode(part.slice(eq + 1)))}`);
  }
  return `${path}?${shown.join('&')}`;
}

/**
 * Decodes `%XX` escapes until nothing changes (a malformed escape stays as it
 * is). Each round is linear and at most DECODE_ROUNDS run: a part encoded more
 * deeply than that is shown as `***` rather than decoded on and on.
 */
function decode(text: string): string {
  let current = text;
  for (let round = 0; current.includes('%'); round++) {
    const next = current.replace(ESCAPE, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    if (next === current) break;
    if (round === DECODE_ROUNDS) return '***';
    current = next;
  }
  return current.normalize('NFKC');
}

function redactRuns(text: string): string {
  return text.replace(SECRET_RUN, (run) => (HEX.test(run) || (run.length >= 24 && DIGIT.test(run)) ? '***' : run));
}

export const REDACTED_HEADERS: readonly string[] = ['authorization', 'api-key', 'x-identity-header', 'secret', 'cookie'];
