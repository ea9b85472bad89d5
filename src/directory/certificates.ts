import { createHash, X509Certificate } from 'node:crypto';
import { InvalidInputError } from '../shared/errors.js';

export interface ParsedCertificate {
  readonly der: Buffer;
  readonly certificate: X509Certificate;
  /** base64url SHA-1 of the DER: the `x5t` header of older clients. */
  readonly thumbprintSha1: string;
  /** base64url SHA-256 of the DER: the `x5t#S256` header msal-node sends today. */
  readonly thumbprintSha256: string;
  readonly notAfter: Date;
}

/** Parses a certificate given as base64 DER or PEM; refuses anything else. */
export function parseCertificate(value: string): ParsedCertificate {
  const text = value.trim();
  const der = text.startsWith('-----BEGIN')
    ? Buffer.from(/-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(text)?.[1]?.replace(/\s+/g, '') ?? '', 'base64')
    : Buffer.from(text, 'base64');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(der);
  } catch {
    throw new InvalidInputError('InvalidCertificate', 'The key credential is not a valid X.509 certificate (base64 DER or PEM).');
  }
  if (certificate.publicKey.asymmetricKeyType !== 'rsa') {
    throw new InvalidInputError('InvalidCertificate', 'Only RSA certificates are supported for client assertions.');
  }
  return {
    der,
    certificate,
    thumbprintSha1: createHash('sha1').update(der).digest('base64url'),
    thumbprintSha256: createHash('sha256').update(der).digest('base64url'),
    notAfter: new Date(certificate.validTo),
  };
}
