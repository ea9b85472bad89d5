/** The fields of a role definition the scenarios print, in one order, for the tests to compare with Azure's. */
export const shape = (d: { id?: string; name?: string; roleName?: string; roleType?: string; permissions?: unknown; assignableScopes?: string[]; description?: string }) => ({
  id: d.id, name: d.name, roleName: d.roleName, roleType: d.roleType, permissions: d.permissions, assignableScopes: d.assignableScopes, description: d.description,
});
