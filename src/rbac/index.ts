// Public surface of the RBAC context: role definitions, matching, scopes, the assignment index and the decision.
export type { ActionKind, Decision, Permission, PrincipalType, RoleAssignment, RoleDefinition } from './model.js';
export { BUILTIN_ROLES, findRoleDefinition } from './builtin-roles.js';
export { compilePattern, matchesAction, permissionGrants } from './action-match.js';
export type { CompiledPattern } from './action-match.js';
export { ancestorSet, ancestorsOrSelf, canonicalScope, isWithinScope, normalizeScope } from './scope.js';
export { AssignmentIndex } from './assignment-index.js';
export type { AssignmentFilter, IndexedAssignment, ScopeMatch } from './assignment-index.js';
export { authorize, rolesGranting } from './authorize.js';
export type { AuthorizeInput, RoleResolver } from './authorize.js';
export { assignmentCommand, explainAccess, judgeAssignment, narrowestFix, refusalText } from './explain.js';
export type { AccessExplanation, AccessFix, AssignmentVerdict, ExplainInput } from './explain.js';
export { whoCan } from './who-can.js';
export type { PrincipalAccess, PrincipalLookup, WhoCanAnswer } from './who-can.js';
export { assignmentEntity } from './entities.js';
export { deleteAssignmentsUnder } from './cascade.js';
export { RoleAssignmentService } from './assignments.js';
export { PRIVILEGED_ACTION } from './privileged.js';
