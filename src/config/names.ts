/**
 * The names Keyless answers to. Issuers and endpoints are derived from the
 * host a client used (MSAL requires the issuer to share the authority's
 * scheme, host and port), but only among these names; anything else gets the
 * canonical origin.
 */
export class KeylessNames {
  private port = 0;
  private originSet = new Set<string>();
  private issuerSet = new Set<string>();
  private publicOrigin: string | undefined;

  constructor(
    private readonly hostNames: readonly string[],
    private readonly tenantId: () => string,
  ) {}

  /** Called once the HTTPS listener has its port. */
  bind(port: number): void {
    this.port = port;
    this.originSet = new Set(this.hostNames.map((h) => `https://${formatHost(h)}:${port}`));
    if (this.publicOrigin !== undefined) this.originSet.add(this.publicOrigin);
    this.rebuild();
  }

  rebuild(): void {
    const tid = this.tenantId();
    const issuers = new Set<string>();
    for (const origin of this.originSet) {
      issuers.add(`${origin}/${tid}/`);
      issuers.add(`${origin}/${tid}/v2.0`);
    }
    this.issuerSet = issuers;
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

  /**
   * Whether `iss` names this tenant at one of Keyless's host names, in the v1
   * or v2 form. Any port: instances sharing a database share their signing
   * keys and each other's tokens, but each listens on its own port.
   */
  isOwnIssuer(iss: string): boolean {
    if (this.issuerSet.has(iss)) return true;
    let url: URL;
    try {
      url = new URL(iss);
    } catch {
      return false;
    }
    const tid = this.tenantId();
    return (
      url.protocol === 'https:' &&
      this.hostNames.includes(url.hostname) &&
      url.search === '' &&
      url.hash === '' &&
      (url.pathname === `/${tid}/` || url.pathname === `/${tid}/v2.0`)
    );
  }

  /** Whether `url` is one of Keyless's token endpoints (v2, v1 or ADFS form) at one of its host names: a client assertion's `aud`. */
  isOwnTokenEndpoint(url: string): boolean {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    const tid = this.tenantId();
    const paths = [`/${tid}/oauth2/v2.0/token`, `/${tid}/oauth2/token`, '/adfs/oauth2/token'];
    // Any port (instances sharing a database each have their own), but no query or fragment.
    const ownHost = this.hostNames.includes(parsed.hostname) || parsed.origin === this.publicOrigin;
    return parsed.protocol === 'https:' && parsed.search === '' && parsed.hash === '' && ownHost && paths.includes(parsed.pathname.toLowerCase().replace(tid.toLowerCase(), tid).replace(/\/+$/, ''));
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

export function formatHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export const DEFAULT_HOST_NAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];
