// Public surface of the RBAC context: role definitions, matching, scopes, the assignment index and the decision.
export type { ActionKind, CustomRoleDefinition, Decision, Permission, PrincipalType, RoleAssignment, RoleDefinition } from './model.js';
export { BUILTIN_ROLES, findRoleDefinition } from './builtin-roles.js';
export { compilePattern, matchesAction, permissionGrants } from './action-match.js';
export type { CompiledPattern } from './action-match.js';
export { ancestorSet, ancestorsOrSelf, canonicalScope, isWithinScope, normalizeScope } from './scope.js';
export { AssignmentIndex } from './assignment-index.js';
export type { AssignmentFilter, IndexedAssignment, ScopeMatch } from './assignment-index.js';
export { authorize, rolesGranting } from './authorize.js';
export type { AuthorizeInput, RoleResolver } from './authorize.js';
export { assignmentEntity, roleDefinitionEntity } from './entities.js';
export { RoleCatalog, roleDefinitionIdIn } from './role-catalog.js';
export { RoleDefinitionService } from './role-definitions.js';
export { parseCustomRoleSpec } from './custom-role-spec.js';
export type { CustomRoleSpec } from './custom-role-spec.js';
export type { RoleDefinitionFilter } from './role-definitions.js';
export { deleteAssignmentsUnder } from './cascade.js';
export { RoleAssignmentService } from './assignments.js';
export { PRIVILEGED_ACTION } from './privileged.js';
