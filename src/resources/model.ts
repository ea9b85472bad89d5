export interface ResourceGroup {
  readonly id: string;
  /** Lowercased id: ARM ids compare case-insensitively. */
  readonly key: string;
  readonly name: string;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly createdAt: string;
}

/** Which identities a host resource has. */
export interface IdentityState {
  /** Object id of the system-assigned identity's service principal, when enabled. */
  readonly systemPrincipalId: string | null;
  /** Resource ids of attached user-assigned identities, as first given. */
  readonly userAssigned: readonly string[];
  /**
   * The principal each user-assigned identity had when it was attached, by
   * lowercased resource id. An identity deleted and created again under the
   * same id is another principal: it is not attached until assigned again.
   * (Absent in records written before it was kept: the live principal counts.)
   */
  readonly userAssignedPrincipals?: Readonly<Record<string, string>>;
}

/** The principal a host's user-assigned identity `id` is bound to, if it is still the one that was attached. */
export function boundUserPrincipal(state: IdentityState, key: string, live: unknown): string | undefined {
  if (typeof live !== 'string') return undefined;
  const recorded = state.userAssignedPrincipals?.[key];
  return recorded === undefined || recorded === live ? live : undefined;
}

export interface Resource {
  readonly id: string;
  readonly key: string;
  readonly groupKey: string;
  /** For child resources (deployments): the parent's key. */
  readonly parentKey: string | null;
  readonly type: string;
  readonly name: string;
  readonly location: string;
  readonly kind: string | null;
  readonly sku: Readonly<Record<string, unknown>> | null;
  readonly tags: Readonly<Record<string, string>>;
  /** Stored, type-specific properties (what the user set plus what Keyless assigned). */
  readonly properties: Readonly<Record<string, unknown>>;
  readonly identity: IdentityState | null;
  readonly createdAt: string;
  /** Who created it (ARM's systemData); absent in rows written before Keyless kept it. */
  readonly createdBy?: ResourceActor;
  /** Who last wrote it (PUT or PATCH), and when; absent as above (then: the creation time, by nobody known). */
  readonly lastModifiedBy?: ResourceActor;
  readonly lastModifiedAt?: string;
}

/** An ARM caller as systemData names it: `id` is what Azure puts in createdBy (an application's client id, a user's UPN). */
export interface ResourceActor {
  readonly id: string;
  readonly type: 'User' | 'Application' | 'ManagedIdentity' | 'Key';
}

export const RESOURCE_TYPES = {
  userAssignedIdentity: 'Microsoft.ManagedIdentity/userAssignedIdentities',
  account: 'Microsoft.CognitiveServices/accounts',
  deployment: 'Microsoft.CognitiveServices/accounts/deployments',
  site: 'Microsoft.Web/sites',
  virtualMachine: 'Microsoft.Compute/virtualMachines',
} as const;
