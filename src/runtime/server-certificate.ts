import type { TlsFiles } from '../config/deployment.js';
import { loadProvidedCertificate } from './provided-certificate.js';
import { ensureCertificates } from './tls.js';

/** What the HTTPS listener serves, and how a client on this machine checks it. */
export interface ServerCertificate {
  readonly certPem: string;
  readonly keyPem: string;
  /** The CA file clients add to their trust (NODE_EXTRA_CA_CERTS), or undefined when the system's CAs vouch for the chain. */
  readonly caPath: string | undefined;
  /** The name the certificate is checked against when a client reaches the listener directly (the CLI). */
  readonly serverName: string;
}

/**
 * The given chain (--tls-cert/--tls-key), checked for the public URL's host
 * (or localhost without one); otherwise Keyless's own localhost certificate
 * from its local CA in the data folder, created on first use.
 */
export async function serverCertificate(dataDir: string, tls: TlsFiles | undefined, publicUrl: string | undefined): Promise<ServerCertificate> {
  if (tls === undefined) {
    const own = await ensureCertificates(dataDir);
    return { certPem: own.certPem, keyPem: own.keyPem, caPath: own.caPath, serverName: 'localhost' };
  }
  const serverName = publicUrl === undefined ? 'localhost' : new URL(publicUrl).hostname;
  return { ...loadProvidedCertificate(tls, serverName), serverName };
}
