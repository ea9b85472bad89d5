import type { CredentialService, NewCertificate } from '../../directory/index.js';
import type { Principal } from '../../directory/index.js';
import { parseCertificate } from '../../directory/index.js';
import { graphErrors } from './errors.js';

interface Added extends NewCertificate {
  readonly thumbprint: string;
}

/**
 * Graph's `PATCH /applications/{id}` with `keyCredentials`: the list replaces
 * the application's certificates. Entries with a `key` (base64 DER) are added
 * (or kept, when that certificate is already registered); entries with only
 * the `keyId` of a registered certificate keep it; certificates not listed are
 * removed. Everything is checked first, then written in one transaction.
 */
export async function replaceKeyCredentials(credentials: CredentialService, principal: Principal, value: unknown): Promise<void> {
  if (!Array.isArray(value)) throw graphErrors.badRequest("The property 'keyCredentials' must be an array.");
  const existing = credentials.certificates(principal);
  const keep = new Set<string>();
  const added: Added[] = [];
  for (const entry of value) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw graphErrors.badRequest('Each key credential must be an object.');
    const e = entry as Record<string, unknown>;
    const keyId = typeof e['keyId'] === 'string' ? e['keyId'].toLowerCase() : undefined;
    const byId = keyId === undefined ? undefined : existing.find((c) => c.id === keyId);
    if (typeof e['key'] === 'string' && e['key'] !== '') {
      if ((e['type'] ?? 'AsymmetricX509Cert') !== 'AsymmetricX509Cert' || (e['usage'] ?? 'Verify') !== 'Verify') {
        throw graphErrors.badRequest("Keyless supports key credentials of type 'AsymmetricX509Cert' with usage 'Verify' only.");
      }
      const parsed = parseCertificate(e['key']);
      if (credentials.hasExpired(parsed.notAfter)) throw graphErrors.badRequest('The certificate has already expired.');
      const same = byId ?? existing.find((c) => c.thumbprintSha1 === parsed.thumbprintSha1);
      if (same) keep.add(same.id);
      else if (!added.some((a) => a.thumbprint === parsed.thumbprintSha1)) {
        const displayName = typeof e['displayName'] === 'string' && e['displayName'] !== '' ? e['displayName'] : parsed.certificate.subject.replace(/\n/g, ', ');
        added.push({ certificate: parsed.der.toString('base64'), displayName, thumbprint: parsed.thumbprintSha1 });
      }
    } else if (byId) {
      keep.add(byId.id);
    } else {
      throw graphErrors.badRequest(keyId === undefined
        ? "Each key credential needs a 'key' (base64 DER certificate) or the 'keyId' of a registered one."
        : `The application has no key credential with keyId '${keyId}'.`);
    }
  }
  await credentials.replaceCertificates(principal, keep, added);
}
