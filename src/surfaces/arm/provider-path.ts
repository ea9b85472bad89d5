/** The paths of resource providers, their operations, and the system-assigned identity of a resource at any scope. */
export type ProviderTarget =
  /** `GET /subscriptions/{s}/providers[/{namespace}]`. */
  | { kind: 'providers'; subscription: string; namespace: string | undefined }
  /** `GET /providers[/{namespace}]`, at tenant scope. */
  | { kind: 'tenantProviders'; namespace: string | undefined }
  /** `POST /subscriptions/{s}/providers/{namespace}/register` or `…/unregister`. */
  | { kind: 'providerRegistration'; subscription: string; namespace: string; action: 'register' | 'unregister' }
  /** `GET /providers/{namespace}/operations`. */
  | { kind: 'providerOperations'; namespace: string }
  /** `GET {scope}/providers/Microsoft.ManagedIdentity/identities/default` (SystemAssignedIdentities_GetByScope). */
  | { kind: 'systemIdentity'; scope: string };

/** Parses the paths above; undefined for any other path (segments as given, `lower` the same lowercased). */
export function parseProviderPath(segments: readonly string[], lower: readonly string[]): ProviderTarget | undefined {
  const n = lower.length;
  if (n >= 4 && lower[n - 4] === 'providers' && lower[n - 3] === 'microsoft.managedidentity' && lower[n - 2] === 'identities' && lower[n - 1] === 'default') {
    return { kind: 'systemIdentity', scope: `/${segments.slice(0, n - 4).join('/')}` };
  }
  if (lower[0] === 'providers') {
    const namespace = segments[1];
    if (n <= 2) return { kind: 'tenantProviders', namespace };
    if (n === 3 && lower[2] === 'operations') return { kind: 'providerOperations', namespace: namespace as string };
    return undefined;
  }
  if (lower[0] !== 'subscriptions' || lower[2] !== 'providers' || segments[1] === undefined) return undefined;
  const subscription = segments[1];
  if (n <= 4) return { kind: 'providers', subscription, namespace: segments[3] };
  const action = lower[4];
  if (n === 5 && (action === 'register' || action === 'unregister')) return { kind: 'providerRegistration', subscription, namespace: segments[3] as string, action };
  return undefined;
}
