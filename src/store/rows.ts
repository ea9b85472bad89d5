import type { Selectable } from 'kysely';
import type { Database } from './schema.js';
import type { ClientCertificate, ClientSecret, FederatedCredential, Principal, PrincipalKind } from '../directory/model.js';
import type { IdentityState, Resource, ResourceGroup } from '../resources/model.js';
import type { AccountKey, KeyName } from '../keys/model.js';
import type { RoleAssignment, PrincipalType } from '../rbac/model.js';
import type { SigningKeyRecord, SigningKeyStatus } from '../tokens/model.js';
import type { HostSecret } from '../resources/host-secret.js';

/** Mapping between table rows and the contexts' models, in one place per entity. */
type Row<T extends keyof Database> = Selectable<Database[T]>;

export const principalRow = {
  from: (r: Row<'principals'>): Principal => ({
    objectId: r.object_id, appId: r.app_id, kind: r.kind as PrincipalKind, displayName: r.display_name,
    resourceId: r.resource_id, applicationObjectId: r.application_object_id, createdAt: r.created_at,
  }),
  to: (p: Principal): Row<'principals'> => ({
    object_id: p.objectId, app_id: p.appId, kind: p.kind, display_name: p.displayName,
    resource_id: p.resourceId, application_object_id: p.applicationObjectId, created_at: p.createdAt,
  }),
};

export const secretRow = {
  from: (r: Row<'client_secrets'>): ClientSecret => ({
    id: r.id, objectId: r.object_id, digest: r.digest, hint: r.hint, displayName: r.display_name, expiresAt: r.expires_at,
    createdAt: r.created_at,
  }),
  to: (s: ClientSecret): Row<'client_secrets'> => ({
    id: s.id, object_id: s.objectId, digest: s.digest, hint: s.hint, display_name: s.displayName, expires_at: s.expiresAt,
    created_at: s.createdAt,
  }),
};

export const groupRow = {
  from: (r: Row<'resource_groups'>): ResourceGroup => ({
    id: r.id, key: r.key, name: r.name, location: r.location, tags: JSON.parse(r.tags) as Record<string, string>,
    createdAt: r.created_at,
  }),
  to: (g: ResourceGroup): Row<'resource_groups'> => ({
    key: g.key, id: g.id, name: g.name, location: g.location, tags: JSON.stringify(g.tags), created_at: g.createdAt,
  }),
};

export const resourceRow = {
  from: (r: Row<'resources'>): Resource => ({
    id: r.id, key: r.key, groupKey: r.group_key, parentKey: r.parent_key, type: r.type, name: r.name,
    location: r.location, kind: r.kind, sku: r.sku === null ? null : (JSON.parse(r.sku) as Record<string, unknown>),
    tags: JSON.parse(r.tags) as Record<string, string>, properties: JSON.parse(r.properties) as Record<string, unknown>,
    identity: r.identity === null ? null : (JSON.parse(r.identity) as IdentityState), createdAt: r.created_at,
  }),
  to: (x: Resource): Row<'resources'> => ({
    key: x.key, id: x.id, group_key: x.groupKey, parent_key: x.parentKey, type: x.type, name: x.name,
    location: x.location, kind: x.kind, sku: x.sku === null ? null : JSON.stringify(x.sku), tags: JSON.stringify(x.tags),
    properties: JSON.stringify(x.properties), identity: x.identity === null ? null : JSON.stringify(x.identity),
    created_at: x.createdAt,
  }),
};

export const accountKeyRow = {
  from: (r: Row<'account_keys'>): AccountKey => ({
    accountKey: r.account_key, keyName: r.key_name as KeyName, sealed: r.sealed, digest: r.digest, createdAt: r.created_at,
  }),
  to: (k: AccountKey): Row<'account_keys'> => ({
    account_key: k.accountKey, key_name: k.keyName, sealed: k.sealed, digest: k.digest, created_at: k.createdAt,
  }),
};

export const assignmentRow = {
  from: (r: Row<'role_assignments'>): RoleAssignment => ({
    id: r.id, name: r.name, scope: r.scope, roleDefinitionId: r.role_definition_id, principalId: r.principal_id,
    principalType: r.principal_type as PrincipalType, createdOn: r.created_at,
  }),
  to: (a: RoleAssignment): Row<'role_assignments'> => ({
    key: a.id.toLowerCase(), id: a.id, name: a.name, scope: a.scope, role_definition_id: a.roleDefinitionId,
    principal_id: a.principalId.toLowerCase(), principal_type: a.principalType, created_at: a.createdOn,
  }),
};

export const signingKeyRow = {
  from: (r: Row<'signing_keys'>): SigningKeyRecord => ({
    kid: r.kid, status: r.status as SigningKeyStatus, sealedPrivate: r.sealed_private,
    publicJwk: JSON.parse(r.public_jwk) as Record<string, string>, createdAt: r.created_at, retiredAt: r.retired_at,
  }),
  to: (k: SigningKeyRecord): Row<'signing_keys'> => ({
    kid: k.kid, status: k.status, sealed_private: k.sealedPrivate, public_jwk: JSON.stringify(k.publicJwk),
    created_at: k.createdAt, retired_at: k.retiredAt,
  }),
};

export const hostSecretRow = {
  from: (r: Row<'host_secrets'>): HostSecret => ({ resourceKey: r.resource_key, sealed: r.sealed, digest: r.digest, createdAt: r.created_at }),
  to: (h: HostSecret): Row<'host_secrets'> => ({ resource_key: h.resourceKey, sealed: h.sealed, digest: h.digest, created_at: h.createdAt }),
};

export const certificateRow = {
  from: (r: Row<'client_certificates'>): ClientCertificate => ({
    id: r.id, objectId: r.object_id, thumbprintSha1: r.thumbprint_sha1, thumbprintSha256: r.thumbprint_sha256, der: r.der,
    displayName: r.display_name, expiresAt: r.expires_at, createdAt: r.created_at,
  }),
  to: (c: ClientCertificate): Row<'client_certificates'> => ({
    id: c.id, object_id: c.objectId, thumbprint_sha1: c.thumbprintSha1, thumbprint_sha256: c.thumbprintSha256, der: c.der,
    display_name: c.displayName, expires_at: c.expiresAt, created_at: c.createdAt,
  }),
};

export const federatedCredentialRow = {
  from: (r: Row<'federated_credentials'>): FederatedCredential => ({
    id: r.id, objectId: r.object_id, name: r.name, issuer: r.issuer, subject: r.subject,
    audiences: JSON.parse(r.audiences) as string[], createdAt: r.created_at,
  }),
  to: (f: FederatedCredential): Row<'federated_credentials'> => ({
    id: f.id, object_id: f.objectId, name: f.name, issuer: f.issuer, subject: f.subject,
    audiences: JSON.stringify(f.audiences), created_at: f.createdAt,
  }),
};
