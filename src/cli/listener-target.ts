import net from 'node:net';
import tls from 'node:tls';
import type { PeerCertificate } from 'node:tls';
import type { RuntimeInfo } from '../runtime/runtime-file.js';

/**
 * How the CLI reaches a running instance: straight to its HTTPS listener on
 * this machine (the public name, behind a load balancer, may not even resolve
 * here), checking the certificate against the name it was issued for, and
 * sending the public origin's Host so that every URL the server hands back
 * (issuers, account endpoints) is the one clients use.
 */
export interface ListenerTarget {
  /** The address to dial: the listen address, or loopback when Keyless listens on every address. */
  readonly address: string;
  readonly port: number;
  /** The Host header: the host and port of runtime.json's baseUrl. */
  readonly hostHeader: string;
  /** The name the certificate must cover (localhost for Keyless's own). */
  readonly serverName: string;
}

export function listenerTarget(runtime: RuntimeInfo): ListenerTarget {
  const host = runtime.host.replace(/^\[(.*)\]$/, '$1');
  const address = host === '' || host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return { address, port: runtime.port, hostHeader: new URL(runtime.baseUrl).host, serverName: runtime.serverName ?? 'localhost' };
}

/** The TLS options that check the listener's certificate for `serverName`, whatever address was dialed. */
export function tlsOptionsFor(target: ListenerTarget): Pick<tls.ConnectionOptions, 'servername' | 'checkServerIdentity'> {
  const name = target.serverName.replace(/^\[(.*)\]$/, '$1');
  return {
    // SNI carries host names only (RFC 6066); an empty servername sends none.
    servername: net.isIP(name) ? '' : name,
    checkServerIdentity: (_dialed: string, cert: PeerCertificate) => tls.checkServerIdentity(name, cert),
  };
}
