import fs from 'node:fs';
import net from 'node:net';
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { StartupError } from '../shared/errors.js';
import type { TlsFiles } from '../config/deployment.js';

/** A certificate chain and key given with --tls-cert/--tls-key, checked and ready to serve. */
export interface ProvidedCertificate {
  readonly certPem: string;
  readonly keyPem: string;
  /**
   * The file clients should add to their trusted CAs (NODE_EXTRA_CA_CERTS):
   * the chain file itself when it ends in a self-signed certificate (its own
   * root), else undefined: the chain's root is a CA the clients must already
   * trust (a public CA, or one the system trusts).
   */
  readonly caPath: string | undefined;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Reads and checks the given chain and key before anything listens: both
 * readable, the first certificate is the server's own and matches the key,
 * each next certificate issued the one before, all valid now, and the
 * server's certificate covers `serverName` (the public URL's host, or
 * localhost), so that clients and the `keyless` CLI will accept it.
 */
export function loadProvidedCertificate(files: TlsFiles, serverName: string, now: number = Date.now()): ProvidedCertificate {
  const { certFile, keyFile } = files;
  const certPem = read(certFile, 'TlsCertificateUnreadable', 'TLS certificate');
  const keyPem = read(keyFile, 'TlsKeyUnreadable', 'TLS private key');
  const chain = parseChain(certFile, certPem);
  const leaf = chain[0] as X509Certificate;
  const key = parseKey(keyFile, keyPem);
  if (!leaf.checkPrivateKey(key)) {
    throw new StartupError('TlsKeyMismatch', `The private key ${keyFile} does not belong to the certificate ${certFile} (the first certificate in the file must be the server's own).`);
  }
  chain.forEach((cert, index) => {
    checkValidity(certFile, cert, index, now);
    const issuer = chain[index + 1];
    if (issuer !== undefined && !(cert.checkIssued(issuer) && cert.verify(issuer.publicKey))) {
      throw new StartupError(
        'TlsChainOrder',
        `Certificate ${index + 2} in ${certFile} (${issuer.subject.replace(/\n/g, ', ')}) did not issue certificate ${index + 1}: put the server's certificate first, then each issuer in order.`,
      );
    }
  });
  const host = serverName.replace(/^\[(.*)\]$/, '$1');
  const covered = net.isIP(host) ? leaf.checkIP(host) : leaf.checkHost(host);
  if (covered === undefined) {
    throw new StartupError(
      'TlsCertificateName',
      `The certificate ${certFile} does not cover ${host} (its names: ${leaf.subjectAltName ?? leaf.subject.replace(/\n/g, ', ')}); clients would refuse it. Give a certificate for ${host}, or --public-url https://NAME with a name it covers.`,
    );
  }
  const root = chain[chain.length - 1] as X509Certificate;
  // Not checkIssued: it wants keyCertSign, which a self-signed server certificate lacks (Node trusts it as given all the same).
  const selfSigned = root.issuer === root.subject && root.verify(root.publicKey);
  return { certPem, keyPem, caPath: selfSigned ? certFile : undefined };
}

function read(file: string, code: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new StartupError(code, `Cannot read the ${what} file ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
  }
}

function parseChain(file: string, pem: string): X509Certificate[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new StartupError('TlsCertificateInvalid', `${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----).`);
  return blocks.map((block, index) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw new StartupError('TlsCertificateInvalid', `Certificate ${index + 1} in ${file} is not a valid X.509 certificate.`);
    }
  });
}

function parseKey(file: string, pem: string): KeyObject {
  if (/-----BEGIN (ENCRYPTED PRIVATE KEY|[A-Z]+ PRIVATE KEY-----\r?\nProc-Type: 4,ENCRYPTED)/.test(pem)) {
    throw new StartupError('TlsKeyEncrypted', `The private key ${file} is encrypted; give it unencrypted (e.g. openssl pkey -in ${file} -out key.pem) and keep the file private.`);
  }
  try {
    return createPrivateKey(pem);
  } catch {
    throw new StartupError('TlsKeyInvalid', `${file} holds no PEM private key (-----BEGIN PRIVATE KEY-----).`);
  }
}

function checkValidity(file: string, cert: X509Certificate, index: number, now: number): void {
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  const which = `Certificate ${index + 1} in ${file} (${cert.subject.replace(/\n/g, ', ')})`;
  if (now > to) throw new StartupError('TlsCertificateExpired', `${which} expired on ${new Date(to).toISOString()}.`);
  if (now < from) throw new StartupError('TlsCertificateNotYetValid', `${which} is not valid before ${new Date(from).toISOString()}.`);
}
