/** Who a principal is: the service principal of a managed identity, or of an application. */
export type PrincipalKind = 'SystemAssignedIdentity' | 'UserAssignedIdentity' | 'Application';

export interface Principal {
  /** Object id (the principalId / oid). */
  readonly objectId: string;
  /** Client id (appid). */
  readonly appId: string;
  readonly kind: PrincipalKind;
  readonly displayName: string;
  /** For managed identities: the ARM id in `xms_mirid` (host for system-assigned, identity resource for user-assigned). */
  readonly resourceId: string | null;
  /** For applications: the application object's id (Graph's /applications/{id}); the principal is its service principal. */
  readonly applicationObjectId: string | null;
  readonly createdAt: string;
}

/** A client secret; only its keyed digest is kept. */
export interface ClientSecret {
  readonly id: string;
  readonly objectId: string;
  readonly digest: string;
  /** The first three characters, as Entra shows them. */
  readonly hint: string;
  readonly displayName: string | null;
  readonly expiresAt: string;
  readonly createdAt: string;
}

/** A registered certificate: only its public part, found by thumbprint (x5t is SHA-1, x5t#S256 SHA-256, both base64url). */
export interface ClientCertificate {
  readonly id: string;
  readonly objectId: string;
  readonly thumbprintSha1: string;
  readonly thumbprintSha256: string;
  /** The DER certificate, base64. */
  readonly der: string;
  readonly displayName: string | null;
  readonly expiresAt: string;
  readonly createdAt: string;
}

/** Trust in tokens of an external issuer: issuer, subject and audience must match exactly (case-sensitive). */
export interface FederatedCredential {
  readonly id: string;
  /** The principal it belongs to: an application's service principal or a user-assigned identity's. */
  readonly objectId: string;
  readonly name: string;
  readonly issuer: string;
  readonly subject: string;
  readonly audiences: readonly string[];
  readonly createdAt: string;
}
