import { defineEntity } from '../store/index.js';
import type { ClientCertificate, ClientSecret, FederatedCredential, Principal, PrincipalKind } from './model.js';

/** The directory's entities as the store keeps them: tables, row mapping, read-model indexes. */

type PrincipalRow = {
  object_id: string; app_id: string; kind: string; display_name: string; resource_id: string | null;
  application_object_id: string | null; created_at: string;
};

export const principalEntity = defineEntity({
  name: 'principal',
  table: 'principals',
  key: ['object_id'],
  codec: {
    from: (r: PrincipalRow): Principal => ({
      objectId: r.object_id, appId: r.app_id, kind: r.kind as PrincipalKind, displayName: r.display_name,
      resourceId: r.resource_id, applicationObjectId: r.application_object_id, createdAt: r.created_at,
    }),
    to: (p: Principal): PrincipalRow => ({
      object_id: p.objectId, app_id: p.appId, kind: p.kind, display_name: p.displayName,
      resource_id: p.resourceId, application_object_id: p.applicationObjectId, created_at: p.createdAt,
    }),
  },
  // Client ids compare in any case.
  indexes: { appId: (p: Principal) => p.appId.toLowerCase() },
});

type SecretRow = {
  id: string; object_id: string; digest: string; hint: string; display_name: string | null; expires_at: string; created_at: string;
};

export const secretEntity = defineEntity({
  name: 'secret',
  table: 'client_secrets',
  key: ['id'],
  lookups: ['object_id'],
  codec: {
    from: (r: SecretRow): ClientSecret => ({
      id: r.id, objectId: r.object_id, digest: r.digest, hint: r.hint, displayName: r.display_name, expiresAt: r.expires_at,
      createdAt: r.created_at,
    }),
    to: (s: ClientSecret): SecretRow => ({
      id: s.id, object_id: s.objectId, digest: s.digest, hint: s.hint, display_name: s.displayName, expires_at: s.expiresAt,
      created_at: s.createdAt,
    }),
  },
  indexes: { digest: (s: ClientSecret) => s.digest },
});

type CertificateRow = {
  id: string; object_id: string; thumbprint_sha1: string; thumbprint_sha256: string; der: string; display_name: string | null;
  expires_at: string; created_at: string;
};

export const certificateEntity = defineEntity({
  name: 'certificate',
  table: 'client_certificates',
  key: ['id'],
  lookups: ['object_id'],
  codec: {
    from: (r: CertificateRow): ClientCertificate => ({
      id: r.id, objectId: r.object_id, thumbprintSha1: r.thumbprint_sha1, thumbprintSha256: r.thumbprint_sha256, der: r.der,
      displayName: r.display_name, expiresAt: r.expires_at, createdAt: r.created_at,
    }),
    to: (c: ClientCertificate): CertificateRow => ({
      id: c.id, object_id: c.objectId, thumbprint_sha1: c.thumbprintSha1, thumbprint_sha256: c.thumbprintSha256, der: c.der,
      display_name: c.displayName, expires_at: c.expiresAt, created_at: c.createdAt,
    }),
  },
});

type FederatedCredentialRow = {
  id: string; object_id: string; name: string; issuer: string; subject: string; audiences: string; created_at: string;
};

export const federatedCredentialEntity = defineEntity({
  name: 'federatedCredential',
  table: 'federated_credentials',
  key: ['id'],
  lookups: ['object_id'],
  codec: {
    from: (r: FederatedCredentialRow): FederatedCredential => ({
      id: r.id, objectId: r.object_id, name: r.name, issuer: r.issuer, subject: r.subject,
      audiences: JSON.parse(r.audiences) as string[], createdAt: r.created_at,
    }),
    to: (f: FederatedCredential): FederatedCredentialRow => ({
      id: f.id, object_id: f.objectId, name: f.name, issuer: f.issuer, subject: f.subject,
      audiences: JSON.stringify(f.audiences), created_at: f.createdAt,
    }),
  },
});
