/** How a KeylessNames is configured beyond its host names. */
export interface KeylessNamesOptions {
  /** The public URL clients use (a load balancer's, say): its origin is this instance's own too. */
  readonly publicUrl?: string;
}

/**
 * The names Keyless answers to. Issuers and endpoints are derived from the
 * host a client used (MSAL requires the issuer to share the authority's
 * scheme, host and port), but only among these names; anything else gets the
 * canonical origin.
 *
 * A token's issuer, or a client assertion's audience, is accepted only at an
 * origin this instance answers at (its host names on its bound port, and the
 * public URL's origin) or at a peer's origin: instances sharing a database
 * share their signing keys, and the cluster membership feeds their origins
 * through `setPeerOrigins`. Any other port is refused.
 */
export class KeylessNames {
  private port = 0;
  private originSet: ReadonlySet<string> = new Set();
  private peerOrigins: ReadonlySet<string> = new Set();
  private issuerSet: ReadonlySet<string> = new Set();
  /** The accepted origins in URL-normalised form (no default port), for audiences compared as URLs. */
  private endpointOrigins: ReadonlySet<string> = new Set();
  private publicOrigin: string | undefined;

  constructor(
    private readonly hostNames: readonly string[],
    private readonly tenantId: () => string,
    options: KeylessNamesOptions = {},
  ) {
    this.publicOrigin = options.publicUrl === undefined ? undefined : httpsOrigin(options.publicUrl);
    if (options.publicUrl !== undefined && this.publicOrigin === undefined) throw new TypeError(`The public URL '${options.publicUrl}' is not an https URL.`);
  }

  /** Called once the HTTPS listener has its port. */
  bind(port: number): void {
    this.port = port;
    const own = this.hostNames.map((h) => `https://${formatHost(h)}:${port}`);
    this.originSet = new Set(this.publicOrigin === undefined ? own : [...own, this.publicOrigin]);
    this.rebuild();
  }

  /**
   * The origins of the other instances whose tokens this one accepts (e.g.
   * `https://localhost:8443`), replacing the previous set: their issuers, in
   * the v1 and v2 forms, and their token endpoints as assertion audiences.
   * Entries that are not https origins are ignored. `originFor`, `isOwnOrigin`
   * and `origins` stay this instance's own.
   */
  setPeerOrigins(origins: Iterable<string>): void {
    const peers = new Set<string>();
    for (const origin of origins) {
      const normalised = httpsOrigin(origin);
      if (normalised !== undefined) peers.add(normalised);
    }
    this.peerOrigins = peers;
    this.rebuild();
  }

  /** Recomputes the accepted issuers (after a bind, a change of peers or of the tenant). */
  rebuild(): void {
    const tid = this.tenantId();
    const issuers = new Set<string>();
    const endpoints = new Set<string>();
    for (const origin of [...this.originSet, ...this.peerOrigins]) {
      const url = new URL(origin);
      // An origin on the default port is also written with it (an instance on 443 issues `https://host:443/…`;
      // for a public origin, `:443` names the same origin).
      for (const form of url.port === '' ? [url.origin, `${url.origin}:443`] : [origin]) {
        issuers.add(`${form}/${tid}/`);
        issuers.add(`${form}/${tid}/v2.0`);
      }
      endpoints.add(url.origin);
    }
    this.issuerSet = issuers;
    this.endpointOrigins = endpoints;
  }

  /** The canonical origin, e.g. https://localhost:8443, or the public origin when one is set. */
  get origin(): string {
    return this.publicOrigin ?? `https://localhost:${this.port}`;
  }

  /** The origin matching a request's Host header, or the canonical one. */
  originFor(hostHeader: string | undefined): string {
    if (hostHeader) {
      const candidate = `https://${hostHeader.toLowerCase()}`;
      if (this.originSet.has(candidate)) return candidate;
    }
    return this.origin;
  }

  isOwnOrigin(origin: string): boolean {
    return this.originSet.has(origin.toLowerCase().replace(/\/+$/, ''));
  }

  get issuers(): ReadonlySet<string> {
    return this.issuerSet;
  }

  /** Whether `iss` names this tenant, in the v1 or v2 form, at one of this instance's origins or a peer's (exactly: port included). */
  isOwnIssuer(iss: string): boolean {
    return this.issuerSet.has(iss);
  }

  /** Whether `url` is one of Keyless's token endpoints (v2, v1 or ADFS form) at an accepted origin: a client assertion's `aud`. */
  isOwnTokenEndpoint(url: string): boolean {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    const tid = this.tenantId();
    const paths = [`/${tid}/oauth2/v2.0/token`, `/${tid}/oauth2/token`, '/adfs/oauth2/token'];
    // No query or fragment; the origin (port included) must be accepted.
    return parsed.search === '' && parsed.hash === '' && this.endpointOrigins.has(parsed.origin) && paths.includes(parsed.pathname.toLowerCase().replace(tid.toLowerCase(), tid).replace(/\/+$/, ''));
  }

  /**
   * The origin clients use when Keyless is behind a load balancer or on a
   * name other than localhost (`--public-url`, normalised by parsePublicUrl):
   * it becomes the canonical origin (issuer, discovery, account endpoints of
   * requests whose Host is not one of the loopback origins) and one of the
   * own origins, issuers and token endpoints. Call before bind().
   */
  setPublicOrigin(origin: string): void {
    this.publicOrigin = origin;
    if (this.port !== 0) this.bind(this.port);
  }

  /** Keyless's own HTTPS origins, one per host name (a new set after each bind, so audiencesFor() caches by it). */
  get origins(): ReadonlySet<string> {
    return this.originSet;
  }
}

/** The origin (`https://host[:port]`, lower case, path ignored) of an https URL without credentials; else undefined. */
function httpsOrigin(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  return url.protocol === 'https:' && url.username === '' && url.password === '' ? url.origin : undefined;
}

export function formatHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export const DEFAULT_HOST_NAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];
