import path from 'node:path';
import { InvalidInputError } from '../shared/errors.js';

/** A PEM certificate chain and its private key, served instead of the generated localhost certificate. */
export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

/**
 * `--public-url` (or KEYLESS_PUBLIC_URL): the origin clients use when Keyless
 * is behind a load balancer or on a name other than localhost. HTTPS, a host,
 * an optional port, nothing else. Returns the normalised origin (lower-case
 * host, no default port, no trailing slash), e.g. https://keyless.example.com.
 */
export function parsePublicUrl(value: string): string {
  const refuse = (why: string): never => {
    throw new InvalidInputError('InvalidOption', `--public-url ${value} ${why}; give the origin clients use, e.g. https://keyless.example.com or https://keyless.example.com:8443.`);
  };
  // Checked on the text: URL's own refusal of a bad port would only say "not a URL".
  const port = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/@?#]*@)?(?:\[[^\]]*\]|[^/:?#]*):([^/?#@]*)(?=[/?#]|$)/i.exec(value)?.[1];
  if (port !== undefined && port !== '' && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) refuse('has an invalid port (1 to 65535)');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return refuse('is not a URL');
  }
  if (url.protocol !== 'https:') refuse('must be https');
  if (url.hostname === '') refuse('has no host name');
  if (url.username !== '' || url.password !== '') refuse('must not carry a user name or password');
  // URL drops an empty `?` or `#`, so look at the text as well.
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || /[?#]/.test(value)) refuse('must not have a path, query or fragment');
  return url.origin;
}

/**
 * `--tls-cert` and `--tls-key` (or KEYLESS_TLS_CERT, KEYLESS_TLS_KEY): both or
 * neither. The files are read and checked when Keyless starts.
 */
export function parseTlsFiles(cert: string | undefined, key: string | undefined): TlsFiles | undefined {
  if (cert === '' || key === '') throw new InvalidInputError('InvalidOption', `--tls-cert and --tls-key need a file name.`);
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) {
    throw new InvalidInputError(
      'InvalidOption',
      `--tls-cert and --tls-key go together: give ${cert === undefined ? '--tls-cert FILE (the PEM certificate chain)' : '--tls-key FILE (the PEM private key)'} as well, or neither to use the generated localhost certificate.`,
    );
  }
  return { certFile: path.resolve(cert), keyFile: path.resolve(key) };
}
