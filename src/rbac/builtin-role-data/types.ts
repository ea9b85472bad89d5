/**
 * One Azure built-in role as Microsoft publishes it: the JSON block of
 * MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/*.md
 * (or `az role definition list` where Azure changed it since), with the
 * permission lists copied verbatim. Empty lists are left out.
 */
export interface BuiltInRoleData {
  /** The role definition GUID ("name" in ARM). */
  readonly id: string;
  readonly roleName: string;
  /** The description ARM returns (the JSON block's, which can differ from the docs' heading text). */
  readonly description: string;
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly dataActions?: readonly string[];
  readonly notDataActions?: readonly string[];
  /** An ABAC condition on the permission block, verbatim (conditionVersion "2.0"). */
  readonly condition?: string;
}
