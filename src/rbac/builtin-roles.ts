import type { Permission, RoleDefinition } from './model.js';

/*
 * Azure built-in role definitions Keyless ships, with their real ids and permission lists.
 *
 * Sources (noted per role below):
 *  [privileged]  MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/privileged.md (ms.date 2025-01-25)
 *  [general]     MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/general.md
 *  [identity]    MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/identity.md
 *  [aiml]        MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/ai-machine-learning.md
 *  [az-cli]      newer copies read from `az role definition list` (2025/2026) in public repos, e.g.
 *                TheCloudTheory/Topaz Services/Topaz.Service.Authorization/Data/AI+ML/CognitiveServicesOpenAIUser.json.
 *                Used where Azure has changed a definition after the docs snapshot; the difference is noted.
 *
 * Built-ins carry a single permission block and are assignable everywhere ("/").
 * Order runs roughly from least to most privileged, so denial hints suggest the narrowest role first.
 */

const NONE: readonly string[] = [];

function perm(p: Partial<Permission>): readonly Permission[] {
  return [
    {
      actions: p.actions ?? NONE,
      notActions: p.notActions ?? NONE,
      dataActions: p.dataActions ?? NONE,
      notDataActions: p.notDataActions ?? NONE,
    },
  ];
}

function builtIn(name: string, roleName: string, description: string, permissions: readonly Permission[]): RoleDefinition {
  return { name, roleName, description, roleType: 'BuiltInRole', permissions, assignableScopes: ['/'] };
}

const OPENAI = 'Microsoft.CognitiveServices/accounts/OpenAI';

export const BUILTIN_ROLES: readonly RoleDefinition[] = [
  // [az-cli], newest definition. The [aiml] docs snapshot has the same list minus
  // video/generations and responses/* (realtime, assistants/* and the notDataAction are in both).
  builtIn(
    '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd',
    'Cognitive Services OpenAI User',
    "Ability to view files, models, deployments. Readers can't make any changes They can inference and create images",
    perm({
      actions: [
        'Microsoft.CognitiveServices/*/read',
        'Microsoft.Authorization/roleAssignments/read',
        'Microsoft.Authorization/roleDefinitions/read',
      ],
      dataActions: [
        `${OPENAI}/*/read`,
        `${OPENAI}/engines/completions/action`,
        `${OPENAI}/engines/search/action`,
        `${OPENAI}/engines/generate/action`,
        `${OPENAI}/deployments/audio/action`,
        `${OPENAI}/deployments/search/action`,
        `${OPENAI}/deployments/completions/action`,
        `${OPENAI}/deployments/chat/completions/action`,
        `${OPENAI}/deployments/realtime/action`,
        `${OPENAI}/deployments/extensions/chat/completions/action`,
        `${OPENAI}/deployments/embeddings/action`,
        `${OPENAI}/images/generations/action`,
        `${OPENAI}/video/generations/*/action`,
        `${OPENAI}/video/generations/*/delete`,
        `${OPENAI}/assistants/*`,
        `${OPENAI}/responses/*`,
      ],
      notDataActions: [`${OPENAI}/stored-completions/read`],
    }),
  ),
  // [aiml]; [az-cli] copies are identical.
  builtIn(
    'a001fd3d-188f-4b5d-821b-7da978bf7442',
    'Cognitive Services OpenAI Contributor',
    'Full access including the ability to fine-tune, deploy and generate text',
    perm({
      actions: [
        'Microsoft.CognitiveServices/*/read',
        'Microsoft.CognitiveServices/accounts/deployments/write',
        'Microsoft.CognitiveServices/accounts/deployments/delete',
        'Microsoft.CognitiveServices/accounts/raiPolicies/read',
        'Microsoft.CognitiveServices/accounts/raiPolicies/write',
        'Microsoft.CognitiveServices/accounts/raiPolicies/delete',
        'Microsoft.CognitiveServices/accounts/commitmentplans/read',
        'Microsoft.CognitiveServices/accounts/commitmentplans/write',
        'Microsoft.CognitiveServices/accounts/commitmentplans/delete',
        'Microsoft.Authorization/roleAssignments/read',
        'Microsoft.Authorization/roleDefinitions/read',
      ],
      dataActions: [`${OPENAI}/*`],
    }),
  ),
  // [az-cli], newest definition. The [aiml] docs snapshot lacks the projects/connections/listsecrets
  // action and the three notDataActions; everything else is the same.
  builtIn(
    'a97b65f3-24c7-4388-baec-2e87135dc908',
    'Cognitive Services User',
    'Lets you read and list keys of Cognitive Services.',
    perm({
      actions: [
        'Microsoft.CognitiveServices/*/read',
        'Microsoft.CognitiveServices/accounts/listkeys/action',
        'Microsoft.CognitiveServices/accounts/projects/connections/listsecrets/action',
        'Microsoft.Insights/alertRules/read',
        'Microsoft.Insights/diagnosticSettings/read',
        'Microsoft.Insights/logDefinitions/read',
        'Microsoft.Insights/metricdefinitions/read',
        'Microsoft.Insights/metrics/read',
        'Microsoft.ResourceHealth/availabilityStatuses/read',
        'Microsoft.Resources/deployments/operations/read',
        'Microsoft.Resources/subscriptions/operationresults/read',
        'Microsoft.Resources/subscriptions/read',
        'Microsoft.Resources/subscriptions/resourceGroups/read',
        'Microsoft.Support/*',
      ],
      dataActions: ['Microsoft.CognitiveServices/*'],
      notDataActions: [
        'Microsoft.CognitiveServices/accounts/AIServices/agents/endpoints/UserIdentityImpersonation/action',
        'Microsoft.CognitiveServices/accounts/OpenAI/fine-tunes-deployments/write',
        'Microsoft.CognitiveServices/accounts/AIServices/fine_tuning_deployments/write',
      ],
    }),
  ),
  // [aiml]; [az-cli] copies are identical. No data actions: it manages accounts and keys but cannot infer.
  builtIn(
    '25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68',
    'Cognitive Services Contributor',
    'Lets you create, read, update, delete and manage keys of Cognitive Services.',
    perm({
      actions: [
        'Microsoft.Authorization/*/read',
        'Microsoft.CognitiveServices/*',
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
    }),
  ),
  // [identity]
  builtIn(
    'f1a07417-d97a-45cb-824c-7a7467783830',
    'Managed Identity Operator',
    'Read and Assign User Assigned Identity',
    perm({
      actions: [
        'Microsoft.ManagedIdentity/userAssignedIdentities/*/read',
        'Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action',
        'Microsoft.Authorization/*/read',
        'Microsoft.Insights/alertRules/*',
        'Microsoft.Resources/subscriptions/resourceGroups/read',
        'Microsoft.Resources/deployments/*',
        'Microsoft.Support/*',
      ],
    }),
  ),
  // [identity]
  builtIn(
    'e40ec5ca-96e0-45a2-b4ff-59039f2c2b59',
    'Managed Identity Contributor',
    'Create, Read, Update, and Delete User Assigned Identity',
    perm({
      actions: [
        'Microsoft.ManagedIdentity/userAssignedIdentities/read',
        'Microsoft.ManagedIdentity/userAssignedIdentities/write',
        'Microsoft.ManagedIdentity/userAssignedIdentities/delete',
        'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/read',
        'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write',
        'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/delete',
        'Microsoft.ManagedIdentity/userAssignedIdentities/revokeTokens/action',
        'Microsoft.Authorization/*/read',
        'Microsoft.Insights/alertRules/*',
        'Microsoft.Resources/subscriptions/resourceGroups/read',
        'Microsoft.Resources/deployments/*',
        'Microsoft.Support/*',
      ],
    }),
  ),
  // [general]; also [az-cli].
  builtIn(
    'acdd72a7-3385-48ef-bd42-f606fba81ae7',
    'Reader',
    'View all resources, but does not allow you to make any changes.',
    perm({ actions: ['*/read'] }),
  ),
  // [privileged]
  builtIn(
    'f58310d9-a9f6-439a-9e8d-f62e7b41a168',
    'Role Based Access Control Administrator',
    'Manage access to Azure resources by assigning roles using Azure RBAC. This role does not allow you to manage access using other ways, such as Azure Policy.',
    perm({
      actions: [
        'Microsoft.Authorization/roleAssignments/write',
        'Microsoft.Authorization/roleAssignments/delete',
        '*/read',
        'Microsoft.Support/*',
      ],
    }),
  ),
  // [privileged]
  builtIn(
    '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
    'User Access Administrator',
    'Lets you manage user access to Azure resources.',
    perm({ actions: ['*/read', 'Microsoft.Authorization/*', 'Microsoft.Support/*'] }),
  ),
  // [privileged]. No data actions: Contributor cannot call the model with a token, only via listKeys.
  builtIn(
    'b24988ac-6180-42a0-ab88-20f7382dd24c',
    'Contributor',
    'Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.',
    perm({
      actions: ['*'],
      notActions: [
        'Microsoft.Authorization/*/Delete',
        'Microsoft.Authorization/*/Write',
        'Microsoft.Authorization/elevateAccess/Action',
        'Microsoft.Blueprint/blueprintAssignments/write',
        'Microsoft.Blueprint/blueprintAssignments/delete',
        'Microsoft.Compute/galleries/share/action',
        'Microsoft.Purview/consents/write',
        'Microsoft.Purview/consents/delete',
        'Microsoft.Resources/deploymentStacks/manageDenySetting/action',
        'Microsoft.Subscription/cancel/action',
        'Microsoft.Subscription/enable/action',
      ],
    }),
  ),
  // [privileged]. No data actions either.
  builtIn(
    '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
    'Owner',
    'Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.',
    perm({ actions: ['*'] }),
  ),
];

/** Lookup keys (lowercased GUID and roleName) built once at load. */
const byKey = new Map<string, RoleDefinition>();
for (const role of BUILTIN_ROLES) {
  byKey.set(role.name.toLowerCase(), role);
  byKey.set(role.roleName.toLowerCase(), role);
}

/** Callers on the hot path pass the same roleDefinitionId strings over and over; remember them verbatim. */
const RAW_CACHE_LIMIT = 4096;
const rawCache = new Map<string, RoleDefinition | undefined>();

/**
 * Finds a built-in role by GUID, by a roleDefinitions ARM id of any scope
 * (".../providers/Microsoft.Authorization/roleDefinitions/{guid}"), or by roleName; case-insensitive.
 */
export function findRoleDefinition(nameOrIdOrRoleName: string): RoleDefinition | undefined {
  if (rawCache.has(nameOrIdOrRoleName)) return rawCache.get(nameOrIdOrRoleName);
  const trimmed = nameOrIdOrRoleName.trim().replace(/\/+$/, '');
  const lower = trimmed.toLowerCase();
  let found = byKey.get(lower);
  if (found === undefined) {
    const marker = lower.lastIndexOf('/roledefinitions/');
    // Only the id form counts: "{any scope}/providers/Microsoft.Authorization/roleDefinitions/{guid}".
    if (marker >= 0) found = byKey.get(lower.slice(marker + '/roledefinitions/'.length));
  }
  if (rawCache.size >= RAW_CACHE_LIMIT) rawCache.clear();
  rawCache.set(nameOrIdOrRoleName, found);
  return found;
}
