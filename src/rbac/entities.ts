import { sql } from 'kysely';
import { defineEntity, defineIndexedEntity } from '../store/index.js';
import { AssignmentIndex } from './assignment-index.js';
import type { CustomRoleDefinition, Permission, PrincipalType, RoleAssignment } from './model.js';

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
  // `role_definition_id`: a custom role is not deleted while assigned (looked up once per role delete).
  lookups: ['principal_id', 'key', 'name', 'role_definition_id'],
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

type RoleDefinitionRow = {
  name: string; role_name: string; role_name_key: string; description: string; permissions: string; assignable_scopes: string;
  created_on: string; updated_on: string; created_by: string; updated_by: string;
};

/**
 * A custom role definition, keyed by its lowercased GUID. Role names are
 * unique in the tenant whatever their case (`role_name_key`, also the read
 * model's `roleName` index), built-in names included (checked by the service).
 */
export const roleDefinitionEntity = defineEntity({
  name: 'roleDefinition',
  table: 'role_definitions',
  key: ['name'],
  lookups: ['role_name_key'],
  codec: {
    from: (r: RoleDefinitionRow): CustomRoleDefinition => ({
      name: r.name, roleName: r.role_name, description: r.description, roleType: 'CustomRole',
      permissions: JSON.parse(r.permissions) as Permission[], assignableScopes: JSON.parse(r.assignable_scopes) as string[],
      createdOn: r.created_on, updatedOn: r.updated_on, createdBy: r.created_by, updatedBy: r.updated_by,
    }),
    to: (d: CustomRoleDefinition): RoleDefinitionRow => ({
      name: d.name.toLowerCase(), role_name: d.roleName, role_name_key: d.roleName.toLowerCase(), description: d.description,
      permissions: JSON.stringify(d.permissions), assignable_scopes: JSON.stringify(d.assignableScopes),
      created_on: d.createdOn, updated_on: d.updatedOn, created_by: d.createdBy, updated_by: d.updatedBy,
    }),
  },
  indexes: { roleName: (d: CustomRoleDefinition) => d.roleName.toLowerCase() },
  migrations: {
    '0009_role_definitions': () => [
      sql`create table role_definitions (name text primary key, role_name text not null, role_name_key text not null unique,
            description text not null, permissions text not null, assignable_scopes text not null,
            created_on text not null, updated_on text not null, created_by text not null, updated_by text not null)`,
    ],
  },
});
