import type { ArmTarget } from '../path.js';
import type { ArmHandler } from './context.js';
import { accessQuestion } from './access-questions.js';
import { accountCatalog, cognitiveCatalog } from './cognitive-catalog.js';
import { resourceGroup } from './groups.js';
import { resourceAction } from './resource-actions.js';
import { listResources, resource } from './resources.js';
import { roleAssignments } from './role-assignments.js';
import { roleDefinitions } from './role-definitions.js';
import { listGenericResources } from './generic-resources.js';
import { providerOperations } from './provider-operations.js';
import { providerRegistration, providers, tenantProviders } from './providers.js';
import { systemIdentity } from './system-identity.js';
import { operationResult } from './operation-results.js';
import { deletedAccount, listDeletedAccounts } from './deleted-accounts.js';
import { getSubscription, listGroups, listSubscriptionResources, listSubscriptions, subscriptionAction } from './subscriptions.js';

/** From the kind of target a path addresses to its handler: adding a kind to ArmTarget fails to compile until it has one. */
export const ARM_HANDLERS: { readonly [K in ArmTarget['kind']]: ArmHandler<K> } = {
  subscriptions: listSubscriptions,
  subscription: getSubscription,
  groups: listGroups,
  group: resourceGroup,
  subscriptionResources: listSubscriptionResources,
  genericResources: listGenericResources,
  subscriptionAction,
  resources: listResources,
  resource,
  resourceAction,
  roleAssignments,
  roleDefinitions,
  cognitiveCatalog,
  accountCatalog,
  accessQuestion,
  providers,
  tenantProviders,
  providerRegistration,
  providerOperations,
  systemIdentity,
  operationResult,
  deletedAccounts: listDeletedAccounts,
  deletedAccount,
};
