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
}

export const RESOURCE_TYPES = {
  userAssignedIdentity: 'Microsoft.ManagedIdentity/userAssignedIdentities',
  account: 'Microsoft.CognitiveServices/accounts',
  deployment: 'Microsoft.CognitiveServices/accounts/deployments',
  site: 'Microsoft.Web/sites',
  virtualMachine: 'Microsoft.Compute/virtualMachines',
} as const;

export type ResourceType = (typeof RESOURCE_TYPES)[keyof typeof RESOURCE_TYPES];

/** Types that host code and can carry an identity block. */
export const HOST_TYPES: readonly string[] = [RESOURCE_TYPES.site, RESOURCE_TYPES.virtualMachine, RESOURCE_TYPES.account];
