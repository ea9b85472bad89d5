/**
 * Keyless's privileged operations: writing any application's credentials,
 * minting workload tokens, rotating the signing keys. Each can be turned into
 * any principal's access, so each needs what granting a role needs: the
 * Microsoft.Authorization/roleAssignments/write action at the subscription
 * (Owner, User Access Administrator, RBAC Administrator), which Contributor's
 * notActions exclude.
 */
export const PRIVILEGED_ACTION = 'Microsoft.Authorization/roleAssignments/write';
