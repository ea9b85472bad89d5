import type { ProviderOperation } from './model.js';

/*
 * The operations each namespace lists at `GET /providers/{namespace}/operations`:
 * the control-plane actions Keyless authorizes and the data actions its data
 * plane checks (test/unit/provider-operations.test.ts keeps the data actions
 * in step with the data plane's own table). Wording follows Azure's lists.
 */

const control = (name: string, resource: string, operation: string, description: string): ProviderOperation => ({
  name, isDataAction: false, resource, operation, description,
});
const data = (name: string, resource: string, operation: string, description: string): ProviderOperation => ({
  name, isDataAction: true, resource, operation, description,
});

/** read, write and delete of one resource type. */
function crud(type: string, resource: string, noun: string): ProviderOperation[] {
  return [
    control(`${type}/read`, resource, `Read ${noun}`, `Reads ${noun}s.`),
    control(`${type}/write`, resource, `Write ${noun}`, `Creates or updates ${noun}s.`),
    control(`${type}/delete`, resource, `Delete ${noun}`, `Deletes ${noun}s.`),
  ];
}

function registration(namespace: string, display: string): ProviderOperation[] {
  return [
    control(`${namespace}/register/action`, 'Subscription', 'Register Subscription', `Registers the subscription for ${display}.`),
    control(`${namespace}/unregister/action`, 'Subscription', 'Unregister Subscription', `Unregisters the subscription for ${display}.`),
  ];
}

/** Keyless's own host actions (docs/compatibility.md, "Secrets are Keyless's own API"). */
function hostActions(type: string, resource: string): ProviderOperation[] {
  return [
    control(`${type}/listIdentityEnvironment/action`, resource, 'List Identity Environment',
      "Lists the environment variables a host's code gets its managed identity tokens with (Keyless's own action)."),
    control(`${type}/rotateIdentitySecret/action`, resource, 'Rotate Identity Secret',
      "Rotates the secret of a host's managed identity endpoint (Keyless's own action)."),
  ];
}

const OPENAI = 'Microsoft.CognitiveServices/accounts/OpenAI';

export const COGNITIVE_SERVICES_OPERATIONS: readonly ProviderOperation[] = [
  ...registration('Microsoft.CognitiveServices', 'Cognitive Services'),
  ...crud('Microsoft.CognitiveServices/accounts', 'Cognitive Services account', 'API account'),
  control('Microsoft.CognitiveServices/accounts/listKeys/action', 'Cognitive Services account', 'List Keys', 'List keys'),
  control('Microsoft.CognitiveServices/accounts/regenerateKey/action', 'Cognitive Services account', 'Regenerate Key', 'Regenerate Key'),
  ...crud('Microsoft.CognitiveServices/accounts/deployments', 'Deployments', 'deployment'),
  control('Microsoft.CognitiveServices/locations/models/read', 'Models', 'List models', 'Lists the models available at a location.'),
  control('Microsoft.CognitiveServices/accounts/models/read', 'Models', 'List account models', 'Lists the models an account can deploy.'),
  control('Microsoft.CognitiveServices/skus/read', 'SKU', 'Read available SKUs', 'Reads the available SKUs for Cognitive Services.'),
  control('Microsoft.CognitiveServices/accounts/skus/read', 'SKU', 'Read account SKUs', 'Reads the SKUs available for an account.'),
  control('Microsoft.CognitiveServices/locations/usages/read', 'Usages', 'Read location usages', 'Reads the quota usages at a location.'),
  control('Microsoft.CognitiveServices/accounts/usages/read', 'Usages', 'Read account usages', 'Reads the quota usages of an account.'),
  control('Microsoft.CognitiveServices/locations/operationResults/read', 'Operation results', 'Read operation result', 'Reads the status of a long-running operation.'),
  control('Microsoft.CognitiveServices/deletedAccounts/read', 'Deleted accounts', 'List deleted accounts', 'Lists the soft-deleted accounts of a subscription.'),
  control('Microsoft.CognitiveServices/locations/resourceGroups/deletedAccounts/read', 'Deleted accounts', 'Get deleted account', 'Reads a soft-deleted account.'),
  control('Microsoft.CognitiveServices/locations/resourceGroups/deletedAccounts/delete', 'Deleted accounts', 'Purge deleted account', 'Purges a soft-deleted account.'),
  data(`${OPENAI}/deployments/chat/completions/action`, 'Deployments', 'Creates a completion for the chat message',
    'Creates a completion for the provided prompt, parameters and chosen model.'),
  data(`${OPENAI}/deployments/completions/action`, 'Deployments', 'Create a completion',
    'Create a completion from a chosen model.'),
  data(`${OPENAI}/deployments/embeddings/action`, 'Deployments', 'Create an embedding',
    'Return the embeddings for a given prompt.'),
  data(`${OPENAI}/deployments/read`, 'Deployments', 'Read deployment', 'Gets information about deployments.'),
  data(`${OPENAI}/models/read`, 'Models', 'Read model', 'Gets information about models.'),
  data(`${OPENAI}/responses/write`, 'Responses', 'Create response', 'Creates a model response.'),
  data(`${OPENAI}/responses/read`, 'Responses', 'Read response', 'Retrieves a stored model response.'),
  data(`${OPENAI}/responses/delete`, 'Responses', 'Delete response', 'Deletes a stored model response.'),
];

export const MANAGED_IDENTITY_OPERATIONS: readonly ProviderOperation[] = [
  ...registration('Microsoft.ManagedIdentity', 'Managed Service Identity'),
  control('Microsoft.ManagedIdentity/userAssignedIdentities/read', 'User Assigned Identities', 'Get User Assigned Identity',
    'Gets an existing user assigned identity'),
  control('Microsoft.ManagedIdentity/userAssignedIdentities/write', 'User Assigned Identities', 'Create/Update User Assigned Identity',
    'Creates a new user assigned identity or updates the tags associated with an existing user assigned identity'),
  control('Microsoft.ManagedIdentity/userAssignedIdentities/delete', 'User Assigned Identities', 'Delete User Assigned Identity',
    'Deletes an existing user assigned identity'),
  control('Microsoft.ManagedIdentity/userAssignedIdentities/assign/action', 'User Assigned Identities', 'Assign User Assigned Identity',
    'RBAC action for assigning an existing user assigned identity to a resource'),
  ...crud('Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials', 'Federated Identity Credentials',
    'federated identity credential'),
  control('Microsoft.ManagedIdentity/identities/read', 'Managed Identities', 'Get Managed Identity',
    'Gets an existing system assigned identity'),
];

export const WEB_OPERATIONS: readonly ProviderOperation[] = [
  ...registration('Microsoft.Web', 'Microsoft Web Apps'),
  ...crud('Microsoft.Web/sites', 'Web Apps', 'Web App'),
  ...hostActions('Microsoft.Web/sites', 'Web Apps'),
];

export const COMPUTE_OPERATIONS: readonly ProviderOperation[] = [
  ...registration('Microsoft.Compute', 'Microsoft Compute'),
  ...crud('Microsoft.Compute/virtualMachines', 'Virtual Machines', 'virtual machine'),
  ...hostActions('Microsoft.Compute/virtualMachines', 'Virtual Machines'),
];

export const AUTHORIZATION_OPERATIONS: readonly ProviderOperation[] = [
  control('Microsoft.Authorization/roleAssignments/read', 'roleAssignments', 'Get role assignment',
    'Get information about a role assignment.'),
  control('Microsoft.Authorization/roleAssignments/write', 'roleAssignments', 'Create role assignment',
    'Create a role assignment at the specified scope.'),
  control('Microsoft.Authorization/roleAssignments/delete', 'roleAssignments', 'Delete role assignment',
    'Delete a role assignment at the specified scope.'),
  control('Microsoft.Authorization/roleDefinitions/read', 'roleDefinitions', 'Get role definition',
    'Get information about a role definition.'),
  control('Microsoft.Authorization/roleDefinitions/write', 'roleDefinitions', 'Create or update custom role definition',
    'Create or update a custom role definition with specified permissions and assignable scopes.'),
  control('Microsoft.Authorization/roleDefinitions/delete', 'roleDefinitions', 'Delete custom role definition',
    'Delete the specified custom role definition.'),
];

export const RESOURCES_OPERATIONS: readonly ProviderOperation[] = [
  control('Microsoft.Resources/subscriptions/read', 'Subscription', 'Get Subscription', 'Gets the list of subscriptions.'),
  control('Microsoft.Resources/subscriptions/providers/read', 'Subscription', 'Get Resource Providers',
    'Gets or lists resource providers.'),
  control('Microsoft.Resources/subscriptions/resources/read', 'Subscription Resource', 'Get Subscription Resources',
    'Gets resources of a subscription.'),
  ...crud('Microsoft.Resources/subscriptions/resourceGroups', 'Resource Group', 'resource group'),
  control('Microsoft.Resources/subscriptions/resourceGroups/resources/read', 'Resource Group Resource', 'Get Resource Group Resources',
    'Gets the resources for the resource group.'),
];
