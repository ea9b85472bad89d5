import https from 'node:https';
import dns from 'node:dns/promises';
import net from 'node:net';
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { IssuerKeySource } from './federated.js';

const FETCH_TIMEOUT_MS = 5000;
const MAX_BODY = 256 * 1024;
const KEYS_TTL_MS = 24 * 3600_000;
/** An unknown kid triggers at most one refetch per issuer in this window (Entra's guidance). */
const UNKNOWN_KID_REFETCH_MS = 5 * 60_000;

/**
 * Keys of external federated issuers: only issuers on the configured
 * allow-list, discovered over HTTPS only (`{issuer}/.well-known/openid-configuration`
 * then its `jwks_uri`), never at a private, link-local or loopback address,
 * never following redirects, cached by kid.
 */
export class ExternalIssuerKeys implements IssuerKeySource {
  private readonly cache = new Map<string, { keys: Map<string, KeyObject>; fetchedAt: number }>();

  constructor(
    private readonly allowed: ReadonlySet<string>,
    private readonly now: () => number = Date.now,
  ) {}

  async key(issuer: string, kid: string | undefined): Promise<KeyObject | undefined> {
    if (!this.allowed.has(issuer)) throw new Error(`the issuer ${issuer} is not on the allow-list (--federated-issuer)`);
    let entry = this.cache.get(issuer);
    const stale = !entry || this.now() - entry.fetchedAt > KEYS_TTL_MS;
    const unknownKid = entry && kid !== undefined && !entry.keys.has(kid) && this.now() - entry.fetchedAt > UNKNOWN_KID_REFETCH_MS;
    if (stale || unknownKid) {
      entry = { keys: await this.fetchKeys(issuer), fetchedAt: this.now() };
      this.cache.set(issuer, entry);
    }
    if (!entry) return undefined;
    if (kid !== undefined) return entry.keys.get(kid);
    return entry.keys.size === 1 ? [...entry.keys.values()][0] : undefined;
  }

  private async fetchKeys(issuer: string): Promise<Map<string, KeyObject>> {
    const discovery = await fetchJson(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`);
    if (discovery['issuer'] !== issuer) throw new Error('the discovery document names another issuer');
    const jwksUri = discovery['jwks_uri'];
    if (typeof jwksUri !== 'string') throw new Error('the discovery document has no jwks_uri');
    const jwks = await fetchJson(jwksUri);
    const keys = new Map<string, KeyObject>();
    for (const jwk of Array.isArray(jwks['keys']) ? (jwks['keys'] as Record<string, unknown>[]) : []) {
      if (typeof jwk['kid'] !== 'string') continue;
      try {
        keys.set(jwk['kid'], createPublicKey({ key: jwk as never, format: 'jwk' }));
      } catch {
        // A key Keyless cannot use is skipped; the token's kid then finds nothing.
      }
    }
    return keys;
  }
}

/** GET over HTTPS to a public address only: the address is checked after resolution, and pinned for the connection. */
async function fetchJson(url: string): Promise<Record<string, unknown>> {
  const target = new URL(url);
  if (target.protocol !== 'https:') throw new Error(`${url} is not https`);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const addresses = net.isIP(host) ? [{ address: host, family: net.isIP(host) }] : await dns.lookup(host, { all: true });
  const address = addresses[0];
  if (!address || addresses.some((a) => !isPublicAddress(a.address))) throw new Error(`${host} resolves to a non-public address`);
  return new Promise((resolve, reject) => {
    const request = https.get(
      target,
      {
        timeout: FETCH_TIMEOUT_MS,
        lookup: (_hostname, _options, callback) => (callback as (e: null, a: string, f: number) => void)(null, address.address, address.family),
      },
      (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          reject(new Error(`${url} answered ${response.statusCode} (redirects are not followed)`));
          return;
        }
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
          if (body.length > MAX_BODY) request.destroy(new Error(`${url} answered more than ${MAX_BODY} bytes`));
        });
        response.on('end', () => {
          try {
            resolve(JSON.parse(body) as Record<string, unknown>);
          } catch {
            reject(new Error(`${url} did not answer JSON`));
          }
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${url} timed out`)));
    request.on('error', reject);
  });
}

/** Loopback, private, link-local, unique-local, CGNAT and unspecified addresses are never fetched. */
export function isPublicAddress(address: string): boolean {
  if (net.isIPv4(address)) {
    const [a = 0, b = 0] = address.split('.').map(Number);
    return !(a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224);
  }
  const lower = address.toLowerCase();
  if (lower.startsWith('::ffff:')) return isPublicAddress(lower.slice(7));
  return !(lower === '::' || lower === '::1' || lower.startsWith('fe8') || lower.startsWith('fe9') || lower.startsWith('fea') ||
    lower.startsWith('feb') || lower.startsWith('fc') || lower.startsWith('fd') || lower.startsWith('ff'));
}
