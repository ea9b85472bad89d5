/**
 * Keyless's privileged operations: writing any application's credentials,
 * minting workload tokens, rotating the signing keys. Each can be turned into
 * any principal's access, so each needs what granting a role needs: the
 * Microsoft.Authorization/roleAssignments/write action at the subscription
 * (Owner, User Access Administrator, RBAC Administrator), which Contributor's
 * notActions exclude. Roles that hold it only under an ABAC condition (Azure
 * AI Account Owner, Azure AI Project Manager, Virtual Machine Data Access
 * Administrator) do not pass: the check carries no role to assign, and a
 * condition without its attribute is false.
 */
export const PRIVILEGED_ACTION = 'Microsoft.Authorization/roleAssignments/write';

/**
 * Azure's "privileged administrator roles" (the built-in roles page's
 * Privileged tab) that Keyless ships: Owner, Contributor, User Access
 * Administrator, Role Based Access Control Administrator. Reservations
 * Administrator, the tab's fifth, is assignable only at /providers/Microsoft.Capacity
 * and is not shipped.
 */
export const PRIVILEGED_ROLE_IDS: ReadonlySet<string> = new Set([
  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  'b24988ac-6180-42a0-ab88-20f7382dd24c',
  '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
  'f58310d9-a9f6-439a-9e8d-f62e7b41a168',
]);
