import type { BuiltInRoleData } from './types.js';

/*
 * Microsoft.Web roles. Source: MicrosoftDocs/azure-docs built-in-roles/web-and-mobile.md
 * (ms.date 2024-04-25). The descriptions are the JSON blocks' (what ARM returns),
 * not the section headings'.
 */
export const WEB_ROLES: readonly BuiltInRoleData[] = [
  {
    id: '2cc479cb-7b4d-49a8-b449-8c00fd0f0a4b',
    roleName: 'Web Plan Contributor',
    description: 'Lets you manage the web plans for websites, but not access to them.',
    actions: [
      'Microsoft.Authorization/*/read',
      'Microsoft.Insights/alertRules/*',
      'Microsoft.ResourceHealth/availabilityStatuses/read',
      'Microsoft.Resources/deployments/*',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.Support/*',
      'Microsoft.Web/serverFarms/*',
      'Microsoft.Web/hostingEnvironments/Join/Action',
      'Microsoft.Insights/autoscalesettings/*',
    ],
  },
  {
    id: 'de139f84-1756-47ae-9be6-808fbbe84772',
    roleName: 'Website Contributor',
    description: 'Lets you manage websites (not web plans), but not access to them.',
    actions: [
      'Microsoft.Authorization/*/read',
      'Microsoft.Insights/alertRules/*',
      'Microsoft.Insights/components/*',
      'Microsoft.ResourceHealth/availabilityStatuses/read',
      'Microsoft.Resources/deployments/*',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.Support/*',
      'Microsoft.Web/certificates/*',
      'Microsoft.Web/listSitesAssignedToHostName/read',
      'Microsoft.Web/serverFarms/join/action',
      'Microsoft.Web/serverFarms/read',
      'Microsoft.Web/sites/*',
    ],
  },
];
