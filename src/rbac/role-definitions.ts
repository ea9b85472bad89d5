import type { Clock } from '../shared/clock.js';
import { isGuid } from '../shared/ids.js';
import type { ReadModel, Store } from '../store/index.js';
import { findRoleDefinition } from './builtin-roles.js';
import { parseCustomRoleSpec } from './custom-role-spec.js';
import { assignmentEntity, roleDefinitionEntity } from './entities.js';
import { roleDefinitionErrors as errors } from './errors.js';
import type { CustomRoleDefinition, RoleDefinition } from './model.js';
import { RoleCatalog, roleDefinitionIdIn } from './role-catalog.js';
import { isWithinScope, normalizeScope } from './scope.js';

export interface RoleDefinitionFilter {
  /** `$filter=roleName eq '…'`: that name, in any case. */
  readonly roleName?: string;
  /** `$filter=type eq 'CustomRole'` (or 'BuiltInRole'). */
  readonly roleType?: string;
}

/**
 * Custom role definitions: validated writes through the store (so that every
 * instance serves the change once the write returns), and the reads ARM
 * serves at a scope. A role is seen at a scope related to one of its
 * assignable scopes (at, above or under it); built-ins everywhere.
 */
export class RoleDefinitionService {
  constructor(
    private readonly store: Store,
    private readonly model: ReadModel,
    private readonly clock: Clock,
    private readonly subscriptionId: () => string,
    readonly catalog: RoleCatalog,
  ) {}

  get(scope: string, name: string): RoleDefinition {
    const role = isGuid(name) ? this.catalog.find(name) : undefined;
    if (!role || !visibleAt(role, scope)) throw errors.notFound(name);
    return role;
  }

  list(scope: string, filter: RoleDefinitionFilter = {}): RoleDefinition[] {
    const name = filter.roleName?.toLowerCase();
    const type = filter.roleType?.toLowerCase();
    return this.catalog
      .list()
      .filter((r) => visibleAt(r, scope) && (name === undefined || r.roleName.toLowerCase() === name) && (type === undefined || r.roleType.toLowerCase() === type));
  }

  /**
   * Creates or replaces the custom role `name` (a GUID); `createdBy`/`updatedBy`
   * are the caller's object id. `authorizeScopes` is asked, once the body is
   * valid and before anything is written, whether the caller may write at
   * each assignable scope.
   */
  async createOrUpdate(
    name: string,
    properties: Record<string, unknown>,
    callerId: string,
    authorizeScopes: (assignableScopes: readonly string[]) => void = () => undefined,
  ): Promise<CustomRoleDefinition> {
    if (!isGuid(name)) throw errors.notGuid(name);
    if (findRoleDefinition(name)) throw errors.builtIn(name);
    const spec = parseCustomRoleSpec(properties, this.subscriptionId());
    // Role names are unique in the tenant, built-in ones included.
    if (findRoleDefinition(spec.roleName)) throw errors.nameTaken();
    authorizeScopes(spec.assignableScopes);
    const key = name.toLowerCase();
    const now = new Date(this.clock.now()).toISOString();
    const { value, revision } = await this.store.write(async (writer) => {
      const taken = await writer.find(roleDefinitionEntity, 'role_name_key', spec.roleName.toLowerCase());
      if (taken.some((r) => r.name !== key)) throw errors.nameTaken();
      const existing = await writer.get(roleDefinitionEntity, key);
      const role: CustomRoleDefinition = {
        name: key,
        roleType: 'CustomRole',
        ...spec,
        createdOn: existing?.createdOn ?? now,
        createdBy: existing?.createdBy ?? callerId,
        updatedOn: now,
        updatedBy: callerId,
      };
      await writer.put(roleDefinitionEntity, role);
      return role;
    });
    await this.model.reach(revision);
    return value;
  }

  /** Deletes a custom role seen at `scope`; undefined when there is none (ARM answers 204). Refused while assigned. */
  async delete(scope: string, name: string): Promise<CustomRoleDefinition | undefined> {
    if (!isGuid(name)) throw errors.notGuid(name);
    if (findRoleDefinition(name)) throw errors.builtIn(name);
    const key = name.toLowerCase();
    const { value, revision } = await this.store.write(async (writer) => {
      const existing = await writer.get(roleDefinitionEntity, key);
      if (!existing || !visibleAt(existing, scope)) return undefined;
      // Inside the write, so that no assignment can be created between the check and the delete.
      const assigned = await writer.find(assignmentEntity, 'role_definition_id', roleDefinitionIdIn(this.subscriptionId(), existing));
      if (assigned.length > 0) throw errors.hasAssignments();
      await writer.delete(roleDefinitionEntity, key);
      return existing;
    });
    await this.model.reach(revision);
    return value;
  }
}

/** Built-ins are seen everywhere; a custom role at the root and wherever a scope is at, above or under one of its assignable scopes. */
function visibleAt(role: RoleDefinition, scope: string): boolean {
  if (role.roleType === 'BuiltInRole' || normalizeScope(scope) === '/') return true;
  return role.assignableScopes.some((s) => isWithinScope(scope, s) || isWithinScope(s, scope));
}
