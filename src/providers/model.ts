/** Resource providers as ARM describes them: namespaces, their resource types, and the operations they serve. */

/** A provider's registration in a subscription (Azure's values; Keyless completes register and unregister at once). */
export type RegistrationState = 'Registered' | 'NotRegistered';

/** `RegistrationRequired` providers must be registered before their types are created; `RegistrationFree` ones never need it. */
export type RegistrationPolicy = 'RegistrationRequired' | 'RegistrationFree';

export interface ProviderResourceType {
  /** The type below the namespace, e.g. `accounts/deployments`. */
  readonly resourceType: string;
  /** Regional types list Azure's regions; global and extension types list none. */
  readonly regional: boolean;
  /** Newest first, as ARM lists them; every one is accepted by Keyless's handlers. */
  readonly apiVersions: readonly string[];
  /** Azure's capability flags, as one comma-separated string. */
  readonly capabilities: string;
}

export interface ProviderOperation {
  readonly name: string;
  readonly isDataAction: boolean;
  /** What the operation is on and what it does, as the operations list's `display` shows them. */
  readonly resource: string;
  readonly operation: string;
  readonly description: string;
}

export interface ProviderNamespace {
  readonly namespace: string;
  readonly policy: RegistrationPolicy;
  /** The name the operations list shows as `display.provider`. */
  readonly displayName: string;
  readonly resourceTypes: readonly ProviderResourceType[];
  readonly operations: readonly ProviderOperation[];
}

/** One subscription's registration of one namespace, as stored (only namespaces whose state was changed have one). */
export interface ProviderRegistration {
  /** `{subscription}/{namespace}`, lowercased. */
  readonly key: string;
  readonly subscriptionId: string;
  readonly namespace: string;
  readonly state: RegistrationState;
  readonly changedAt: string;
}

