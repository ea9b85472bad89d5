import { defineIndexedEntity } from '../store/index.js';
import { AssignmentIndex } from './assignment-index.js';
import type { PrincipalType, RoleAssignment } from './model.js';

type AssignmentRow = {
  key: string; id: string; name: string; scope: string; role_definition_id: string; principal_id: string; principal_type: string;
  created_at: string;
};

/**
 * A role assignment, keyed by its lowercased id (which starts with its
 * scope's), kept in memory by the `AssignmentIndex` that authorize() reads:
 * one principal's assignments at a time.
 */
export const assignmentEntity = defineIndexedEntity({
  name: 'assignment',
  table: 'role_assignments',
  key: ['key'],
  // `name`: a name is unique in the subscription, whatever the scope (looked up once per create, so unindexed).
  lookups: ['principal_id', 'key', 'name'],
  codec: {
    from: (r: AssignmentRow): RoleAssignment => ({
      id: r.id, name: r.name, scope: r.scope, roleDefinitionId: r.role_definition_id, principalId: r.principal_id,
      principalType: r.principal_type as PrincipalType, createdOn: r.created_at,
    }),
    to: (a: RoleAssignment): AssignmentRow => ({
      key: a.id.toLowerCase(), id: a.id, name: a.name, scope: a.scope, role_definition_id: a.roleDefinitionId,
      principal_id: a.principalId.toLowerCase(), principal_type: a.principalType, created_at: a.createdOn,
    }),
  },
  memory: () => new AssignmentIndex(),
});
