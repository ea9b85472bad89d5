import type { EntityTable, ReadModel } from '../store/index.js';
import { BUILTIN_ROLES, findRoleDefinition } from './builtin-roles.js';
import { roleDefinitionEntity } from './entities.js';
import type { CustomRoleDefinition, RoleDefinition } from './model.js';
import { isWithinScope } from './scope.js';

/** The id an assignment stores for a role: the role at the subscription, as Azure writes it. */
export function roleDefinitionIdIn(subscriptionId: string, role: RoleDefinition): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${role.name}`;
}

/** Callers on the hot path pass the same roleDefinitionId strings over and over: their GUIDs are remembered. */
const GUID_CACHE_LIMIT = 4096;

/**
 * Every role definition Keyless knows, built-in and custom, behind one
 * lookup. `find` is what `authorize()` resolves assignments with (through
 * `RoleAssignmentService.role`), what role assignment writes check, and what
 * ARM's role definition reads show: a custom role written through any
 * instance is seen by the next request once the read model has it.
 */
export class RoleCatalog {
  private readonly customs: EntityTable<CustomRoleDefinition, 'roleName'>;
  private readonly guids = new Map<string, string>();

  constructor(model: ReadModel) {
    this.customs = model.table(roleDefinitionEntity);
  }

  /** A role by GUID, by role definition id at any scope, or by roleName (any case); built-ins first. */
  readonly find = (ref: string): RoleDefinition | undefined => findRoleDefinition(ref) ?? this.findCustom(ref);

  findCustom(ref: string): CustomRoleDefinition | undefined {
    if (this.customs.size === 0) return undefined;
    return this.customs.get(this.guidOf(ref)) ?? this.customs.by('roleName', ref.trim().toLowerCase());
  }

  /** Built-ins, then custom roles by name. */
  list(): RoleDefinition[] {
    return [...BUILTIN_ROLES, ...[...this.customs.values()].sort((a, b) => a.roleName.localeCompare(b.roleName))];
  }

  /** Whether a role may be assigned at a scope: the scope lies at or under one of its assignable scopes. */
  static assignableAt(role: RoleDefinition, scope: string): boolean {
    return role.assignableScopes.some((s) => isWithinScope(scope, s));
  }

  /** The lowercased last segment of a role definition id ("…/roleDefinitions/{guid}"), or the value itself. */
  private guidOf(ref: string): string {
    let guid = this.guids.get(ref);
    if (guid === undefined) {
      const lower = ref.trim().replace(/\/+$/, '').toLowerCase();
      // Only the id form counts, as for built-ins: "{any scope}/providers/Microsoft.Authorization/roleDefinitions/{guid}".
      const marker = lower.lastIndexOf('/roledefinitions/');
      guid = !lower.includes('/') ? lower : marker >= 0 ? lower.slice(marker + '/roledefinitions/'.length) : '';
      if (this.guids.size >= GUID_CACHE_LIMIT) this.guids.clear();
      this.guids.set(ref, guid);
    }
    return guid;
  }
}
