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
  readonly createdAt: string;
}

/** A client secret; only its keyed digest is kept. */
export interface ClientSecret {
  readonly id: string;
  readonly objectId: string;
  readonly digest: string;
  /** The first three characters, as Entra shows them. */
  readonly hint: string;
  readonly expiresAt: string;
  readonly createdAt: string;
}
