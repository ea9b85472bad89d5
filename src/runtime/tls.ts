import path from 'node:path';
import { X509Certificate as NodeCertificate, createPrivateKey, webcrypto } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { GeneralName, GeneralSubtree, GeneralSubtrees, NameConstraints, id_ce_nameConstraints } from '@peculiar/asn1-x509';
import { readFileIfExists, writeFileAtomic } from './data-dir.js';

type X509 = typeof import('@peculiar/x509');

export interface Certificates {
  caPem: string;
  certPem: string;
  keyPem: string;
  caPath: string;
  /** True when this call made a new CA, so clients must trust it again. */
  caCreated: boolean;
}

export const CA_FILE = 'ca.pem';
export const CA_KEY_FILE = 'ca-key.pem';
export const SERVER_CERT_FILE = 'server.pem';
export const SERVER_KEY_FILE = 'server-key.pem';

const CA_SUBJECT = 'CN=Keyless Local CA';
const SERVER_SUBJECT = 'CN=localhost';
const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;
const CA_LIFETIME_MS = 3650 * DAY_MS;
const SERVER_LIFETIME_MS = 365 * DAY_MS;
const RENEW_WITHIN_MS = 30 * DAY_MS;
// Backdating absorbs small clock differences (e.g. a container vs its host).
const BACKDATE_MS = 60 * 60 * 1000;

/**
 * The only names the CA may ever vouch for. Even if its key leaks, clients
 * that trust it cannot be fooled about any real site.
 */
const PERMITTED = { dns: ['localhost'], ip: ['127.0.0.1/32', '::1/128'] } as const;

interface CaMaterial {
  certPem: string;
  keyPem: string;
  cert: NodeCertificate;
  key: KeyObject;
}

/**
 * Returns the local CA and the localhost server certificate from `dir`,
 * creating them on first use. The CA is reused for as long as it is intact
 * and valid; the server certificate is reissued when it is missing, broken,
 * or expires within 30 days.
 */
export async function ensureCertificates(dir: string): Promise<Certificates> {
  const caPath = path.join(dir, CA_FILE);
  const x509 = await loadX509();

  let ca = loadCa(dir);
  const caCreated = ca === undefined;
  if (ca === undefined) {
    const made = await createCa(x509);
    // Key first: a crash in between leaves a mismatch that the next run repairs.
    writeFileAtomic(path.join(dir, CA_KEY_FILE), made.keyPem, 0o600);
    writeFileAtomic(caPath, made.certPem, 0o644);
    ca = toCaMaterial(made.certPem, made.keyPem);
  }

  let server = caCreated ? undefined : loadServer(dir, ca);
  if (server === undefined) {
    server = await createServerCertificate(x509, ca);
    writeFileAtomic(path.join(dir, SERVER_KEY_FILE), server.keyPem, 0o600);
    writeFileAtomic(path.join(dir, SERVER_CERT_FILE), server.certPem, 0o644);
  }

  return { caPem: ca.certPem, certPem: server.certPem, keyPem: server.keyPem, caPath, caCreated };
}

let x509Module: Promise<X509> | undefined;

/**
 * @peculiar/x509 needs a Reflect metadata API at load time (via tsyringe) and
 * a WebCrypto provider, so it is loaded lazily, after both are in place.
 */
export function loadX509(): Promise<X509> {
  x509Module ??= (async () => {
    // tsyringe, inside @peculiar/x509, refuses to load without the Reflect metadata API.
    await import('reflect-metadata');
    const x509 = await import('@peculiar/x509');
    x509.cryptoProvider.set(globalThis.crypto);
    return x509;
  })();
  return x509Module;
}

/** The CA's critical NameConstraints extension (OID 2.5.29.30). */
function nameConstraintsExtension(x509: X509): InstanceType<X509['Extension']> {
  const subtree = (base: GeneralName) => new GeneralSubtree({ base });
  const permitted = new GeneralSubtrees([
    ...PERMITTED.dns.map((dNSName) => subtree(new GeneralName({ dNSName }))),
    ...PERMITTED.ip.map((iPAddress) => subtree(new GeneralName({ iPAddress }))),
  ]);
  const der = AsnConvert.serialize(new NameConstraints({ permittedSubtrees: permitted }));
  return new x509.Extension(id_ce_nameConstraints, true, der);
}

async function createCa(x509: X509): Promise<{ certPem: string; keyPem: string }> {
  const keys = await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: CA_SUBJECT,
    keys,
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(now + CA_LIFETIME_MS),
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      nameConstraintsExtension(x509),
      // Strict verifiers (Python 3.13+, OpenSSL X509_STRICT) require key identifiers.
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportPrivateKey(x509, keys.privateKey) };
}

async function createServerCertificate(x509: X509, ca: CaMaterial): Promise<{ certPem: string; keyPem: string }> {
  const keys = await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
  const caKey = await webcrypto.subtle.importKey(
    'pkcs8',
    x509.PemConverter.decodeFirst(ca.keyPem),
    KEY_ALGORITHM,
    false,
    ['sign'],
  );
  const caCert = new x509.X509Certificate(ca.certPem);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    subject: SERVER_SUBJECT,
    issuer: caCert.subject,
    publicKey: keys.publicKey,
    signingKey: caKey,
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(now + SERVER_LIFETIME_MS),
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportPrivateKey(x509, keys.privateKey) };
}

async function exportPrivateKey(x509: X509, key: webcrypto.CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** The stored CA, or undefined when it is missing, broken, or close to expiry. */
function loadCa(dir: string): CaMaterial | undefined {
  const certPem = readFileIfExists(path.join(dir, CA_FILE));
  const keyPem = readFileIfExists(path.join(dir, CA_KEY_FILE));
  if (certPem === undefined || keyPem === undefined) return undefined;
  try {
    const ca = toCaMaterial(certPem, keyPem);
    const usable = ca.cert.ca && ca.cert.checkPrivateKey(ca.key) && !expiresSoon(ca.cert);
    return usable ? ca : undefined;
  } catch {
    return undefined;
  }
}

function loadServer(dir: string, ca: CaMaterial): { certPem: string; keyPem: string } | undefined {
  const certPem = readFileIfExists(path.join(dir, SERVER_CERT_FILE));
  const keyPem = readFileIfExists(path.join(dir, SERVER_KEY_FILE));
  if (certPem === undefined || keyPem === undefined) return undefined;
  try {
    const cert = new NodeCertificate(certPem);
    const usable =
      cert.checkIssued(ca.cert) &&
      cert.verify(ca.cert.publicKey) &&
      cert.checkPrivateKey(createPrivateKey(keyPem)) &&
      cert.checkHost('localhost') !== undefined &&
      !expiresSoon(cert);
    return usable ? { certPem, keyPem } : undefined;
  } catch {
    return undefined;
  }
}

function toCaMaterial(certPem: string, keyPem: string): CaMaterial {
  return { certPem, keyPem, cert: new NodeCertificate(certPem), key: createPrivateKey(keyPem) };
}

function expiresSoon(cert: NodeCertificate): boolean {
  const notAfter = Date.parse(cert.validTo);
  return !Number.isFinite(notAfter) || notAfter - Date.now() < RENEW_WITHIN_MS;
}
