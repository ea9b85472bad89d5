import * as versions from './api-versions.js';
import type { ProviderNamespace, ProviderResourceType } from './model.js';
import * as ops from './operations.js';

/*
 * The resource providers Keyless serves: for each namespace, the resource
 * types its handlers answer (plus `operations`, and `locations` where clients
 * query it), with Azure's api-versions and capability flags. A namespace
 * that is not here is unknown to Keyless, even one that exists in Azure.
 */

const TRACKED = 'CrossResourceGroupResourceMove, CrossSubscriptionResourceMove, SupportsTags, SupportsLocation';
const TRACKED_WITH_IDENTITY = 'CrossResourceGroupResourceMove, CrossSubscriptionResourceMove, SystemAssignedResourceIdentity, SupportsTags, SupportsLocation';

const type = (resourceType: string, regional: boolean, apiVersions: readonly string[], capabilities = 'None'): ProviderResourceType => ({
  resourceType, regional, apiVersions, capabilities,
});

export const PROVIDERS: readonly ProviderNamespace[] = [
  {
    namespace: 'Microsoft.CognitiveServices',
    policy: 'RegistrationRequired',
    displayName: 'Microsoft Cognitive Services',
    resourceTypes: [
      type('accounts', true, versions.COGNITIVE_SERVICES_VERSIONS, TRACKED_WITH_IDENTITY),
      type('accounts/deployments', false, versions.COGNITIVE_SERVICES_DEPLOYMENT_VERSIONS),
      type('operations', false, versions.COGNITIVE_SERVICES_VERSIONS),
      type('locations', false, versions.COGNITIVE_SERVICES_VERSIONS),
      type('locations/models', false, versions.COGNITIVE_SERVICES_VERSIONS),
      type('locations/usages', false, versions.COGNITIVE_SERVICES_VERSIONS),
      type('locations/operationResults', false, versions.COGNITIVE_SERVICES_VERSIONS),
      type('deletedAccounts', false, versions.COGNITIVE_SERVICES_VERSIONS),
      type('locations/resourceGroups/deletedAccounts', false, versions.COGNITIVE_SERVICES_VERSIONS),
      type('skus', false, versions.COGNITIVE_SERVICES_VERSIONS),
    ],
    operations: ops.COGNITIVE_SERVICES_OPERATIONS,
  },
  {
    namespace: 'Microsoft.ManagedIdentity',
    policy: 'RegistrationRequired',
    displayName: 'Managed Service Identity',
    resourceTypes: [
      type('Identities', false, versions.MANAGED_IDENTITY_VERSIONS, 'SupportsExtension'),
      type('userAssignedIdentities', true, versions.MANAGED_IDENTITY_VERSIONS, TRACKED),
      type('userAssignedIdentities/federatedIdentityCredentials', false, versions.FEDERATED_CREDENTIAL_VERSIONS),
      type('operations', false, versions.MANAGED_IDENTITY_VERSIONS),
    ],
    operations: ops.MANAGED_IDENTITY_OPERATIONS,
  },
  {
    namespace: 'Microsoft.Web',
    policy: 'RegistrationRequired',
    displayName: 'Microsoft Web Apps',
    resourceTypes: [
      type('sites', true, versions.WEB_VERSIONS, TRACKED_WITH_IDENTITY),
      type('operations', false, versions.WEB_VERSIONS),
      type('locations', false, versions.WEB_VERSIONS),
    ],
    operations: ops.WEB_OPERATIONS,
  },
  {
    namespace: 'Microsoft.Compute',
    policy: 'RegistrationRequired',
    displayName: 'Microsoft Compute',
    resourceTypes: [
      type('virtualMachines', true, versions.COMPUTE_VERSIONS, TRACKED_WITH_IDENTITY),
      type('operations', false, versions.COMPUTE_VERSIONS),
      type('locations', false, versions.COMPUTE_VERSIONS),
    ],
    operations: ops.COMPUTE_OPERATIONS,
  },
  {
    namespace: 'Microsoft.Authorization',
    policy: 'RegistrationFree',
    displayName: 'Microsoft Authorization',
    resourceTypes: [
      type('roleAssignments', false, versions.ROLE_ASSIGNMENT_VERSIONS, 'SupportsExtension'),
      type('roleDefinitions', false, versions.ROLE_DEFINITION_VERSIONS, 'SupportsExtension'),
      type('operations', false, versions.AUTHORIZATION_OPERATION_VERSIONS),
    ],
    operations: ops.AUTHORIZATION_OPERATIONS,
  },
  {
    namespace: 'Microsoft.Resources',
    policy: 'RegistrationFree',
    displayName: 'Microsoft Resources',
    resourceTypes: [
      type('subscriptions', false, versions.RESOURCES_VERSIONS),
      type('resourceGroups', true, versions.RESOURCES_VERSIONS, TRACKED),
      type('subscriptions/resourceGroups', true, versions.RESOURCES_VERSIONS, TRACKED),
      type('subscriptions/resources', false, versions.RESOURCES_VERSIONS),
      type('subscriptions/resourcegroups/resources', false, versions.RESOURCES_VERSIONS),
      type('providers', false, versions.RESOURCES_VERSIONS),
      type('subscriptions/providers', false, versions.RESOURCES_VERSIONS),
      type('operations', false, versions.RESOURCES_VERSIONS),
    ],
    operations: ops.RESOURCES_OPERATIONS,
  },
];

const BY_NAME: ReadonlyMap<string, ProviderNamespace> = new Map(PROVIDERS.map((p) => [p.namespace.toLowerCase(), p]));

/** The namespace as Keyless serves it (any case), or undefined. */
export function providerNamespace(namespace: string): ProviderNamespace | undefined {
  return BY_NAME.get(namespace.toLowerCase());
}
