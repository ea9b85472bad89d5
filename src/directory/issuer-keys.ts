import https from 'node:https';
import dns from 'node:dns/promises';
import net from 'node:net';
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { IssuerKeySource } from './federated.js';

/** Idle time allowed on the connection, and the whole fetch's deadline (a slow drip of bytes cannot hold it open). */
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
  /** When a fetch last failed, per issuer: a failing issuer is not asked again for UNKNOWN_KID_REFETCH_MS. */
  private readonly failedAt = new Map<string, number>();
  /** One fetch at a time per issuer; concurrent requests share it. */
  private readonly inFlight = new Map<string, Promise<Map<string, KeyObject>>>();

  constructor(
    private readonly allowed: ReadonlySet<string>,
    private readonly now: () => number = Date.now,
    private readonly fetchDeadlineMs: number = FETCH_TIMEOUT_MS,
  ) {}

  async key(issuer: string, kid: string | undefined): Promise<KeyObject | undefined> {
    if (!this.allowed.has(issuer)) throw new Error(`the issuer ${issuer} is not on the allow-list (--federated-issuer)`);
    let entry = this.cache.get(issuer);
    const stale = !entry || this.now() - entry.fetchedAt > KEYS_TTL_MS;
    const unknownKid = entry && kid !== undefined && !entry.keys.has(kid) && this.now() - entry.fetchedAt > UNKNOWN_KID_REFETCH_MS;
    if (stale || unknownKid) {
      const failed = this.failedAt.get(issuer);
      if (failed !== undefined && this.now() - failed < UNKNOWN_KID_REFETCH_MS) {
        if (!entry) throw new Error(`the issuer ${issuer} could not be reached recently; not asking again yet`);
      } else {
        entry = { keys: await this.fetchShared(issuer), fetchedAt: this.now() };
        this.cache.set(issuer, entry);
      }
    }
    if (!entry) return undefined;
    if (kid !== undefined) return entry.keys.get(kid);
    return entry.keys.size === 1 ? [...entry.keys.values()][0] : undefined;
  }

  private fetchShared(issuer: string): Promise<Map<string, KeyObject>> {
    let pending = this.inFlight.get(issuer);
    if (!pending) {
      pending = this.fetchKeys(issuer).then(
        (keys) => {
          this.failedAt.delete(issuer);
          return keys;
        },
        (error: unknown) => {
          this.failedAt.set(issuer, this.now());
          throw error;
        },
      ).finally(() => this.inFlight.delete(issuer));
      this.inFlight.set(issuer, pending);
    }
    return pending;
  }

  private async fetchKeys(issuer: string): Promise<Map<string, KeyObject>> {
    const discovery = await fetchJson(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, this.fetchDeadlineMs);
    if (discovery['issuer'] !== issuer) throw new Error('the discovery document names another issuer');
    const jwksUri = discovery['jwks_uri'];
    if (typeof jwksUri !== 'string') throw new Error('the discovery document has no jwks_uri');
    const jwks = await fetchJson(jwksUri, this.fetchDeadlineMs);
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
async function fetchJson(url: string, deadlineMs: number): Promise<Record<string, unknown>> {
  const target = new URL(url);
  if (target.protocol !== 'https:') throw new Error(`${url} is not https`);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const started = Date.now();
  const addresses = net.isIP(host) ? [{ address: host, family: net.isIP(host) }] : await within(dns.lookup(host, { all: true }), deadlineMs, `${host} did not resolve within ${deadlineMs} ms`);
  const address = addresses[0];
  if (!address || addresses.some((a) => !isPublicAddress(a.address))) throw new Error(`${host} resolves to a non-public address`);
  // The name's resolution and the exchange share one deadline.
  const remainingMs = Math.max(1, deadlineMs - (Date.now() - started));
  return new Promise((resolve, reject) => {
    // Settles once, whichever way the exchange ends: an answer, an error, the deadline, or a connection that just closes.
    let settled = false;
    const settle = (error: Error | undefined, value?: Record<string, unknown>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (error) {
        request.destroy();
        reject(error);
      } else {
        resolve(value as Record<string, unknown>);
      }
    };
    const request = https.get(target, { timeout: FETCH_TIMEOUT_MS, lookup: pinnedLookup(address.address, address.family) }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        const redirect = response.statusCode !== undefined && response.statusCode >= 300 && response.statusCode < 400;
        settle(new Error(`${url} answered ${response.statusCode}${redirect ? ' (redirects are not followed)' : ''}`));
        return;
      }
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > MAX_BODY) settle(new Error(`${url} answered more than ${MAX_BODY} bytes`));
      });
      response.on('end', () => {
        try {
          settle(undefined, JSON.parse(body) as Record<string, unknown>);
        } catch {
          settle(new Error(`${url} did not answer JSON`));
        }
      });
      response.on('error', (error) => settle(error));
      response.on('close', () => settle(new Error(`${url} closed the connection before the end of its answer`)));
    });
    const deadline = setTimeout(() => settle(new Error(`${url} did not answer within ${deadlineMs} ms`)), remainingMs);
    request.on('timeout', () => settle(new Error(`${url} timed out`)));
    request.on('error', (error) => settle(error));
    request.on('close', () => settle(new Error(`${url} closed the connection before answering`)));
  });
}

/** The promise's outcome, or a rejection once `ms` have passed (its late outcome is ignored). */
function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A `lookup` for https.get that answers only the address already checked. Node 20 asks with `all: true`
 * (its happy-eyeballs connect) and then wants a list; otherwise one address and its family.
 */
export function pinnedLookup(address: string, family: number): NonNullable<https.RequestOptions['lookup']> {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as unknown as NonNullable<https.RequestOptions['lookup']>;
}

/** Loopback, private, link-local, unique-local, CGNAT, multicast, unspecified and special-purpose addresses are never fetched. */
export function isPublicAddress(address: string): boolean {
  if (net.isIPv4(address)) return isPublicV4(address.split('.').map(Number));
  if (!net.isIPv6(address)) return false;
  const bytes = ipv6Bytes(address);
  // IPv4 inside IPv6 (mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64 64:ff9b::/96): judge the IPv4 address.
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  // ::ffff:a.b.c.d (mapped) and ::ffff:0:a.b.c.d (translated, RFC 2765).
  const mapped = (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) || (zeros(0, 8) && bytes[8] === 0xff && bytes[9] === 0xff && zeros(10, 12));
  const nat64 = bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12);
  if (mapped || zeros(0, 12) || nat64) return !zeros(0, 16) && isPublicV4(bytes.slice(12));
  const first = bytes[0] ?? 0;
  const second = bytes[1] ?? 0;
  const prefix32 = ((first << 24) | (second << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0)) >>> 0;
  // 6to4 (2002::/16) carries its IPv4 address in bytes 2-5: judge that.
  if (first === 0x20 && second === 0x02) return isPublicV4(bytes.slice(2, 6));
  // Local-use NAT64 (64:ff9b:1::/48, any IPv4 inside at the operator's choice of position), Teredo (2001::/32),
  // documentation (2001:db8::/32) and discard-only (100::/64) addresses are never an issuer's.
  if (prefix32 === 0x0064ff9b && bytes[4] === 0x00 && bytes[5] === 0x01) return false;
  if (prefix32 === 0x20010000 || prefix32 === 0x20010db8) return false;
  if (prefix32 === 0x20010002 && bytes[4] === 0 && bytes[5] === 0) return false; // benchmarking 2001:2::/48
  if (first === 0x01 && second === 0x00 && zeros(2, 8)) return false;
  if (first === 0xff) return false; // multicast
  if ((first & 0xfe) === 0xfc) return false; // unique local fc00::/7
  if (first === 0xfe && (second & 0xc0) === 0x80) return false; // link-local fe80::/10
  if (first === 0xfe && (second & 0xc0) === 0xc0) return false; // site-local fec0::/10 (deprecated, still routed locally)
  return true;
}

function isPublicV4([a = 0, b = 0, c = 0]: readonly number[]): boolean {
  return !(a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224 ||
    // IETF protocol assignments (192.0.0.0/24), benchmarking (198.18.0.0/15) and documentation networks
    // (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24): not on the public internet.
    (a === 192 && b === 0 && (c === 0 || c === 2)) || (a === 198 && (b === 18 || b === 19)) ||
    (a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113));
}

/** The 16 bytes of an IPv6 address in any textual form (::, embedded dotted IPv4, zone id). */
function ipv6Bytes(address: string): number[] {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (dotted) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted.split('.').map(Number);
    text = `${text.slice(0, -dotted.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.flatMap((g) => {
    const value = parseInt(g, 16);
    return [value >> 8, value & 0xff];
  });
}
