/** A role definition as Azure models it (one permission block is enough for built-ins). */
export interface RoleDefinition {
  /** The role definition GUID, e.g. 5e0bd9bd-7b93-4f28-af87-19fc36ad61bd. */
  readonly name: string;
  readonly roleName: string;
  readonly description: string;
  readonly roleType: 'BuiltInRole' | 'CustomRole';
  readonly permissions: readonly Permission[];
  readonly assignableScopes: readonly string[];
}

/**
 * A role definition a tenant wrote itself (`type: CustomRole`): stored, and
 * resolved through the same lookup as the built-ins (`RoleCatalog.find`).
 */
export interface CustomRoleDefinition extends RoleDefinition {
  readonly roleType: 'CustomRole';
  readonly createdOn: string;
  readonly updatedOn: string;
  /** Object id of the principal that created it, as Azure shows it. */
  readonly createdBy: string;
  readonly updatedBy: string;
}

export interface Permission {
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly dataActions: readonly string[];
  readonly notDataActions: readonly string[];
  /** An ABAC condition on the whole block, as Azure shows it (built-ins only); see `condition.ts`. */
  readonly condition?: string;
  readonly conditionVersion?: '2.0';
}

/** What a request carries that a role's condition may test (Azure's @Request and @Resource attributes). */
export interface RequestAttributes {
  /** roleAssignments/write: the role definition the new assignment would grant (an id or a GUID). */
  readonly requestRoleDefinitionId?: string | undefined;
  /** roleAssignments/delete: the role definition the existing assignment grants. */
  readonly resourceRoleDefinitionId?: string | undefined;
}

export type PrincipalType = 'ServicePrincipal' | 'User' | 'Group';

/** A role assignment. `scope` is an ARM scope: "/subscriptions/{s}[/resourceGroups/{rg}[/providers/…]]". */
export interface RoleAssignment {
  /** Full ARM id: {scope}/providers/Microsoft.Authorization/roleAssignments/{name}. */
  readonly id: string;
  /** The assignment GUID. */
  readonly name: string;
  readonly scope: string;
  /** Full ARM id of the role definition: /subscriptions/{s}/providers/Microsoft.Authorization/roleDefinitions/{guid}. */
  readonly roleDefinitionId: string;
  readonly principalId: string;
  readonly principalType: PrincipalType;
  readonly createdOn: string;
}

/** Whether an action string is a control-plane action or a data action. */
export type ActionKind = 'action' | 'dataAction';

export type Decision =
  | { readonly allowed: true; readonly grantedBy: { readonly assignmentId: string; readonly roleName: string; readonly scope: string } }
  | { readonly allowed: false; readonly reason: string };
