import type { Generated } from 'kysely';

/** Table rows as stored. JSON columns are TEXT in both dialects; times are ISO-8601 text. */
export interface Database {
  meta: { key: string; value: string };
  principals: {
    object_id: string;
    app_id: string;
    kind: string;
    display_name: string;
    resource_id: string | null;
    application_object_id: string | null;
    created_at: string;
  };
  client_secrets: {
    id: string;
    object_id: string;
    digest: string;
    hint: string;
    display_name: string | null;
    expires_at: string;
    created_at: string;
  };
  client_certificates: {
    id: string;
    object_id: string;
    thumbprint_sha1: string;
    thumbprint_sha256: string;
    der: string;
    display_name: string | null;
    expires_at: string;
    created_at: string;
  };
  federated_credentials: {
    id: string;
    object_id: string;
    name: string;
    issuer: string;
    subject: string;
    audiences: string;
    created_at: string;
  };
  resource_groups: {
    key: string;
    id: string;
    name: string;
    location: string;
    tags: string;
    created_at: string;
  };
  resources: {
    key: string;
    id: string;
    group_key: string;
    parent_key: string | null;
    type: string;
    name: string;
    location: string;
    kind: string | null;
    sku: string | null;
    tags: string;
    properties: string;
    identity: string | null;
    created_at: string;
  };
  account_keys: {
    account_key: string;
    key_name: string;
    sealed: string;
    digest: string;
    created_at: string;
  };
  role_assignments: {
    key: string;
    id: string;
    name: string;
    scope: string;
    role_definition_id: string;
    principal_id: string;
    principal_type: string;
    created_at: string;
  };
  signing_keys: {
    kid: string;
    status: string;
    sealed_private: string;
    public_jwk: string;
    created_at: string;
    retired_at: string | null;
  };
  host_secrets: { resource_key: string; sealed: string; digest: string; created_at: string };
  audit_records: {
    seq: Generated<number>;
    at: string;
    surface: string;
    operation: string;
    account: string | null;
    principal_id: string | null;
    principal_type: string | null;
    key_name: string | null;
    decision: string;
    reason: string;
    request_id: string | null;
  };
  revisions: { rev: Generated<number>; at: string };
  changes: { rev: number; entity: string; key: string };
}

/** The entity names that appear in the change log; each maps to one table. */
export type Entity = 'meta' | 'principal' | 'secret' | 'group' | 'resource' | 'accountKey' | 'assignment' | 'signingKey' | 'hostSecret' | 'certificate' | 'federatedCredential';
