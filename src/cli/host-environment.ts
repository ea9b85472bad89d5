import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { writeFileAtomic } from '../runtime/data-dir.js';

/** Inherited variables that would steer a client library away from the host's own identity endpoint. */
const INHERITED = /^(AZURE_|IDENTITY_|MSI_)|^IMDS_ENDPOINT$|^(APPSETTING_)?WEBSITE_SITE_NAME$/;

/**
 * The environment code gets inside a Keyless host: the platform's identity
 * variables, and the CA settings that make Node, Python and OpenSSL trust
 * Keyless. SSL_CERT_FILE, REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE replace the trusted roots, so
 * they point at a bundle of the system's roots plus the Keyless CA. Without a
 * CA file (a --tls-cert chain from a CA the system already trusts) the CA
 * settings are left as they are.
 */
export function hostEnv(base: NodeJS.ProcessEnv, hostVariables: Record<string, string>, caPath: string | undefined, dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) if (!INHERITED.test(name)) env[name] = value;
  if (caPath === undefined) return { ...env, ...hostVariables };
  const bundle = writeCaBundle(caPath, dataDir);
  // curl reads CURL_CA_BUNDLE, not SSL_CERT_FILE.
  return { ...env, ...hostVariables, NODE_EXTRA_CA_CERTS: caPath, SSL_CERT_FILE: bundle, REQUESTS_CA_BUNDLE: bundle, CURL_CA_BUNDLE: bundle };
}

/** Names of inherited variables that `hostEnv` removes (for `keyless env`, which prints `unset` lines). */
export function removedNames(base: NodeJS.ProcessEnv): string[] {
  return Object.keys(base).filter((name) => INHERITED.test(name)).sort();
}

function writeCaBundle(caPath: string, dataDir: string): string {
  const file = path.join(dataDir, 'ca-bundle.pem');
  const content = `${tls.rootCertificates.join('\n')}\n${fs.readFileSync(caPath, 'utf8')}`;
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  if (current !== content) writeFileAtomic(file, content, 0o644);
  return file;
}
