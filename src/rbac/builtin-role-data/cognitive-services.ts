import type { BuiltInRoleData } from './types.js';

/*
 * The general Cognitive Services roles. Source: MicrosoftDocs/azure-docs
 * built-in-roles/ai-machine-learning.md (ms.date 2024-12-12) unless noted;
 * "[az]" marks a newer definition read from `az role definition list` in
 * public repos (TheCloudTheory/Topaz Services/Topaz.Service.Authorization/Data/AI+ML/*.json),
 * used where Azure changed a role after that docs snapshot.
 */
const CS = 'Microsoft.CognitiveServices';
const OPENAI = `${CS}/accounts/OpenAI`;

/** Roles narrower than OpenAI User, and the two OpenAI roles (whose names denial hints prefer). */
export const COGNITIVE_SERVICES_NARROW_ROLES: readonly BuiltInRoleData[] = [
  {
    id: 'bba48692-92b0-4667-a9ad-c31c7b334ac2',
    roleName: 'Cognitive Services Usages Reader',
    description: 'Minimal permission to view Cognitive Services usages.',
    actions: [`${CS}/locations/usages/read`],
  },
  // [az]: the docs snapshot has the same list minus video/generations and responses/*.
  {
    id: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd',
    roleName: 'Cognitive Services OpenAI User',
    description: "Ability to view files, models, deployments. Readers can't make any changes They can inference and create images",
    actions: [`${CS}/*/read`, 'Microsoft.Authorization/roleAssignments/read', 'Microsoft.Authorization/roleDefinitions/read'],
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
  },
  {
    id: 'a001fd3d-188f-4b5d-821b-7da978bf7442',
    roleName: 'Cognitive Services OpenAI Contributor',
    description: 'Full access including the ability to fine-tune, deploy and generate text',
    actions: [
      `${CS}/*/read`,
      `${CS}/accounts/deployments/write`,
      `${CS}/accounts/deployments/delete`,
      `${CS}/accounts/raiPolicies/read`,
      `${CS}/accounts/raiPolicies/write`,
      `${CS}/accounts/raiPolicies/delete`,
      `${CS}/accounts/commitmentplans/read`,
      `${CS}/accounts/commitmentplans/write`,
      `${CS}/accounts/commitmentplans/delete`,
      'Microsoft.Authorization/roleAssignments/read',
      'Microsoft.Authorization/roleDefinitions/read',
    ],
    dataActions: [`${OPENAI}/*`],
  },
  // Named "Cognitive Services Data Reader (Preview)" in the 2024-04 snapshot.
  {
    id: 'b59867f0-fa02-499b-be73-45a86b5b3e1c',
    roleName: 'Cognitive Services Data Reader',
    description: 'Lets you read Cognitive Services data.',
    dataActions: [`${CS}/*/read`],
  },
];

/** Every Cognitive Services data action, and keys: broader than any single-service role. */
export const COGNITIVE_SERVICES_USER_ROLES: readonly BuiltInRoleData[] = [
  // [az]: the docs snapshot lacks the projects/connections/listsecrets action and the three notDataActions.
  {
    id: 'a97b65f3-24c7-4388-baec-2e87135dc908',
    roleName: 'Cognitive Services User',
    description: 'Lets you read and list keys of Cognitive Services.',
    actions: [
      `${CS}/*/read`,
      `${CS}/accounts/listkeys/action`,
      `${CS}/accounts/projects/connections/listsecrets/action`,
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
    dataActions: [`${CS}/*`],
    notDataActions: [
      `${CS}/accounts/AIServices/agents/endpoints/UserIdentityImpersonation/action`,
      `${OPENAI}/fine-tunes-deployments/write`,
      `${CS}/accounts/AIServices/fine_tuning_deployments/write`,
    ],
  },
];

/** Manages accounts and keys; no data actions, so it cannot infer with a token. */
export const COGNITIVE_SERVICES_CONTRIBUTOR_ROLES: readonly BuiltInRoleData[] = [
  {
    id: '25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68',
    roleName: 'Cognitive Services Contributor',
    description: 'Lets you create, read, update, delete and manage keys of Cognitive Services.',
    actions: [
      'Microsoft.Authorization/*/read',
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
  },
];
