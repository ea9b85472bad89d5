import type { BuiltInRoleData } from './types.js';

/*
 * The Azure AI (Foundry) roles whose permissions reach Microsoft.CognitiveServices.
 * Sources: [aiml] MicrosoftDocs/azure-docs built-in-roles/ai-machine-learning.md
 * (ms.date 2024-12-12); [foundry] the role JSON in MicrosoftDocs' Foundry RBAC
 * article (concepts/rbac-azure-ai-foundry.md, 2025); [az] `az role definition list`
 * as copied in TheCloudTheory/Topaz Data/AI+ML/AzureAIAccountOwner.json.
 * Azure AI Project Manager and Azure AI Account Owner carry Azure's ABAC
 * condition: they may assign and remove only Azure AI User.
 * Left out: Azure AI Inference Deployment Operator and the AzureML roles (no
 * Microsoft.CognitiveServices permission), Azure AI Administrator (no published
 * definition found), Azure AI Owner (announced without an id).
 */
const CS = 'Microsoft.CognitiveServices';
const AZURE_AI_USER = '53ca6127-db72-4b80-b1b0-d745d6d5456d';

/** Azure's condition on both roles: roleAssignments write and delete only for Azure AI User. */
const ONLY_AZURE_AI_USER =
  `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals{${AZURE_AI_USER}})) AND ` +
  `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals{${AZURE_AI_USER}}))`;

export const AZURE_AI_ROLES: readonly BuiltInRoleData[] = [
  // [foundry]
  {
    id: AZURE_AI_USER,
    roleName: 'Azure AI User',
    description: 'Grants reader access to AI projects, reader access to AI accounts, and data actions for an AI project.',
    actions: [
      `${CS}/*/read`,
      `${CS}/accounts/listkeys/action`,
      'Microsoft.Insights/alertRules/read',
      'Microsoft.Insights/diagnosticSettings/read',
      'Microsoft.Insights/logDefinitions/read',
      'Microsoft.Insights/metricdefinitions/read',
      'Microsoft.Insights/metrics/read',
      'Microsoft.ResourceHealth/availabilityStatuses/read',
      'Microsoft.Resources/deployments/*',
      'Microsoft.Resources/subscriptions/operationresults/read',
      'Microsoft.Resources/subscriptions/read',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.Support/*',
    ],
    dataActions: [`${CS}/*`],
  },
  // [aiml]
  {
    id: '64702f94-c441-49e6-a78b-ef80e0188fee',
    roleName: 'Azure AI Developer',
    description: 'Can perform all actions within an Azure AI resource besides managing the resource itself.',
    actions: [
      'Microsoft.MachineLearningServices/workspaces/*/read',
      'Microsoft.MachineLearningServices/workspaces/*/action',
      'Microsoft.MachineLearningServices/workspaces/*/delete',
      'Microsoft.MachineLearningServices/workspaces/*/write',
      'Microsoft.MachineLearningServices/locations/*/read',
      'Microsoft.Authorization/*/read',
      'Microsoft.Resources/deployments/*',
    ],
    notActions: [
      'Microsoft.MachineLearningServices/workspaces/delete',
      'Microsoft.MachineLearningServices/workspaces/write',
      'Microsoft.MachineLearningServices/workspaces/listKeys/action',
      'Microsoft.MachineLearningServices/workspaces/hubs/write',
      'Microsoft.MachineLearningServices/workspaces/hubs/delete',
      'Microsoft.MachineLearningServices/workspaces/featurestores/write',
      'Microsoft.MachineLearningServices/workspaces/featurestores/delete',
    ],
    dataActions: [`${CS}/accounts/OpenAI/*`, `${CS}/accounts/SpeechServices/*`, `${CS}/accounts/ContentSafety/*`],
  },
  // [aiml]
  {
    id: 'b556d68e-0be0-4f35-a333-ad7ee1ce17ea',
    roleName: 'Azure AI Enterprise Network Connection Approver',
    description: 'Can approve private endpoint connections to Azure AI common dependency resources',
    actions: [
      'Microsoft.ContainerRegistry/registries/privateEndpointConnectionsApproval/action',
      'Microsoft.ContainerRegistry/registries/privateEndpointConnections/read',
      'Microsoft.ContainerRegistry/registries/privateEndpointConnections/write',
      'Microsoft.Cache/redis/read',
      'Microsoft.Cache/redis/privateEndpointConnections/read',
      'Microsoft.Cache/redis/privateEndpointConnections/write',
      'Microsoft.Cache/redis/privateLinkResources/read',
      'Microsoft.Cache/redis/privateEndpointConnectionsApproval/action',
      'Microsoft.Cache/redisEnterprise/read',
      'Microsoft.Cache/redisEnterprise/privateEndpointConnections/read',
      'Microsoft.Cache/redisEnterprise/privateEndpointConnections/write',
      'Microsoft.Cache/redisEnterprise/privateLinkResources/read',
      'Microsoft.Cache/redisEnterprise/privateEndpointConnectionsApproval/action',
      `${CS}/accounts/read`,
      `${CS}/accounts/privateEndpointConnections/read`,
      `${CS}/accounts/privateEndpointConnections/write`,
      `${CS}/accounts/privateLinkResources/read`,
      'Microsoft.DocumentDB/databaseAccounts/privateEndpointConnectionsApproval/action',
      'Microsoft.DocumentDB/databaseAccounts/privateEndpointConnections/read',
      'Microsoft.DocumentDB/databaseAccounts/privateEndpointConnections/write',
      'Microsoft.DocumentDB/databaseAccounts/privateLinkResources/read',
      'Microsoft.DocumentDB/databaseAccounts/read',
      'Microsoft.KeyVault/vaults/privateEndpointConnectionsApproval/action',
      'Microsoft.KeyVault/vaults/privateEndpointConnections/read',
      'Microsoft.KeyVault/vaults/privateEndpointConnections/write',
      'Microsoft.KeyVault/vaults/privateLinkResources/read',
      'Microsoft.KeyVault/vaults/read',
      'Microsoft.MachineLearningServices/workspaces/privateEndpointConnectionsApproval/action',
      'Microsoft.MachineLearningServices/workspaces/privateEndpointConnections/read',
      'Microsoft.MachineLearningServices/workspaces/privateEndpointConnections/write',
      'Microsoft.MachineLearningServices/workspaces/privateLinkResources/read',
      'Microsoft.MachineLearningServices/workspaces/read',
      'Microsoft.Storage/storageAccounts/privateEndpointConnections/read',
      'Microsoft.Storage/storageAccounts/privateEndpointConnections/write',
      'Microsoft.Storage/storageAccounts/privateLinkResources/read',
      'Microsoft.Storage/storageAccounts/read',
      'Microsoft.Sql/servers/privateEndpointConnectionsApproval/action',
      'Microsoft.Sql/servers/privateEndpointConnections/read',
      'Microsoft.Sql/servers/privateEndpointConnections/write',
      'Microsoft.Sql/servers/privateLinkResources/read',
      'Microsoft.Sql/servers/read',
    ],
  },
  // [foundry]
  {
    id: 'eadc314b-1a2d-4efa-be10-5d325db5065e',
    roleName: 'Azure AI Project Manager',
    description:
      'Lets you perform developer actions and management actions on Foundry Projects. Allows for making role assignments, but limited to Cognitive Service User role.',
    actions: [
      'Microsoft.Authorization/roleAssignments/write',
      'Microsoft.Authorization/roleAssignments/delete',
      `${CS}/accounts/*/read`,
      `${CS}/accounts/projects/*`,
      `${CS}/locations/*/read`,
      'Microsoft.Authorization/*/read',
      'Microsoft.Insights/alertRules/*',
      'Microsoft.Resources/deployments/*',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
    ],
    dataActions: [`${CS}/*`],
    condition: ONLY_AZURE_AI_USER,
  },
  // [az]; the [foundry] article spells the description's last word "principals".
  {
    id: 'e47c6f54-e4a2-4754-9501-8e0985b135e1',
    roleName: 'Azure AI Account Owner',
    description: 'Grants full access to manage AI projects and accounts. Grants conditional assignment of the Azure AI User role to other user principles.',
    actions: [
      'Microsoft.Authorization/*/read',
      'Microsoft.Authorization/roleAssignments/write',
      'Microsoft.Authorization/roleAssignments/delete',
      `${CS}/*`,
      'Microsoft.Features/features/read',
      'Microsoft.Features/providers/features/read',
      'Microsoft.Features/providers/features/register/action',
      'Microsoft.Insights/alertRules/*',
      'Microsoft.Insights/diagnosticSettings/*',
      'Microsoft.Insights/logDefinitions/read',
      'Microsoft.Insights/metricdefinitions/read',
      'Microsoft.Insights/metrics/read',
      'Microsoft.ResourceHealth/availabilityStatuses/read',
      'Microsoft.Resources/deployments/*',
      'Microsoft.Resources/deployments/operations/read',
      'Microsoft.Resources/subscriptions/operationresults/read',
      'Microsoft.Resources/subscriptions/read',
      'Microsoft.Resources/subscriptions/resourcegroups/deployments/*',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.Support/*',
    ],
    condition: ONLY_AZURE_AI_USER,
  },
];
