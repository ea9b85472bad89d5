import type { Clock } from '../shared/clock.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../shared/errors.js';
import { isGuid } from '../shared/ids.js';
import type { EntityTable, ReadModel, Store, Writer } from '../store/index.js';
import { principalEntity, type Principal } from '../directory/index.js';
import type { ActionKind, Decision, PrincipalType, RequestAttributes, RoleAssignment, RoleDefinition } from './model.js';
import { RoleCatalog, roleDefinitionIdIn } from './role-catalog.js';
import { canonicalScope, isWithinScope, normalizeScope } from './scope.js';
import { authorize } from './authorize.js';
import { explainAccess, type AccessExplanation } from './explain.js';
import { whoCan, type WhoCanAnswer } from './who-can.js';
import type { AssignmentIndex } from './assignment-index.js';
import { assignmentEntity, roleDefinitionEntity } from './entities.js';

export interface AssignmentBody {
  readonly roleDefinitionId?: unknown;
  readonly principalId?: unknown;
  readonly principalType?: unknown;
  /** Read-only in ARM: when given, it must be the URL's scope. */
  readonly scope?: unknown;
  /** An ABAC condition on the assignment: refused (Keyless does not evaluate them). */
  readonly condition?: unknown;
}

const PRINCIPAL_TYPES: readonly PrincipalType[] = ['ServicePrincipal', 'User', 'Group'];

/**
 * Role assignments: validated writes, and the one place where callers ask
 * whether a principal may do something. Assignments of deleted principals
 * are left alone, as Azure leaves them (orphans).
 */
export class RoleAssignmentService {
  // The hot path's index (assignments by principal), kept.
  private readonly assignments: AssignmentIndex;
  private readonly principals: EntityTable<Principal, 'appId'>;

  constructor(
    private readonly store: Store,
    private readonly model: ReadModel,
    private readonly clock: Clock,
    private readonly subscriptionId: () => string,
    private readonly tenantId: () => string,
    /** Built-in and custom roles: the one lookup `authorize()` resolves assignments with. */
    readonly catalog: RoleCatalog = new RoleCatalog(model),
  ) {
    this.assignments = model.table(assignmentEntity);
    this.principals = model.table(principalEntity);
  }

  /** `attributes`: what a role's ABAC condition may test; without them a conditional grant does not count. */
  authorize(principalId: string, action: string, kind: ActionKind, scope: string, attributes?: RequestAttributes): Decision {
    return authorize({ principalId, action, kind, scope, attributes }, this.assignments, this.role);
  }

  /** authorize()'s decision with its reasons and, for a denial, the fix (not for the hot path: call it for denials and questions). */
  explain(principalId: string, action: string, kind: ActionKind, scope: string, attributes?: RequestAttributes): AccessExplanation {
    return explainAccess({ principalId, action, kind, scope, attributes }, this.assignments, this.role);
  }

  /**
   * Whether the principal holds any role assignment at, above or beneath `scope`. Azure lists a subscription to
   * anyone with access somewhere in it (a Reader of one resource group sees its subscription in `az login`).
   */
  hasAssignmentAround(principalId: string, scope: string): boolean {
    return this.assignments.entriesFor(principalId).some((e) => isWithinScope(e.assignment.scope, scope) || isWithinScope(scope, e.assignment.scope));
  }

  /** The assignment with this full id, if any (no error). */
  find(id: string): RoleAssignment | undefined {
    return this.assignments.get(id);
  }

  /** Every principal that may perform the action at the scope, and those that can grant it to themselves. */
  whoCan(action: string, kind: ActionKind, scope: string): WhoCanAnswer {
    return whoCan({ action, kind, scope }, this.assignments, this.role, (id) => this.principals.get(id.toLowerCase()));
  }

  /** Resolves an assignment's role: built-in or custom (`RoleCatalog.find`). */
  readonly role = (roleDefinitionId: string): RoleDefinition | undefined => this.catalog.find(roleDefinitionId);

  roleDefinitionId(role: RoleDefinition): string {
    return roleDefinitionIdIn(this.subscriptionId(), role);
  }

  /**
   * Creates an assignment named `name` at `scope`. `checkScope` runs inside
   * the write and throws when the scope is gone, so that an assignment can
   * never outlive a scope deleted at the same moment.
   */
  async create(
    scope: string,
    name: string,
    body: AssignmentBody,
    checkScope: (writer: Writer) => Promise<void> = async () => undefined,
  ): Promise<{ assignment: RoleAssignment; created: boolean }> {
    if (!isGuid(name)) {
      throw new InvalidInputError('InvalidRoleAssignmentId', `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`);
    }
    const givenScope = body.scope;
    if (givenScope !== undefined && givenScope !== null && (typeof givenScope !== 'string' || normalizeScope(givenScope) !== normalizeScope(scope))) {
      throw new InvalidInputError(
        'InvalidCreateRoleAssignmentRequest',
        `The request to create role assignment '${name}' is not valid. Role assignment scope '${String(givenScope)}' must match the scope specified on the URI '${canonicalScope(scope)}'.`,
      );
    }
    // Keyless does not evaluate conditions on assignments (only on built-in role definitions):
    // storing one unevaluated would grant more than asked, so it is refused rather than dropped.
    if (typeof body.condition === 'string' && body.condition.trim() !== '') {
      throw new InvalidInputError('UnsupportedRoleAssignmentCondition', 'Keyless does not support conditions on role assignments: assign a narrower role, or a custom role, instead.');
    }
    const roleRef = body.roleDefinitionId;
    const role = typeof roleRef === 'string' ? this.role(roleRef) : undefined;
    const roleMissing = (): InvalidInputError => {
      const shown = typeof roleRef === 'string' ? roleRef.slice(roleRef.lastIndexOf('/') + 1) : String(roleRef);
      return new InvalidInputError('RoleDefinitionDoesNotExist', `The specified role definition with ID '${shown}' does not exist.`);
    };
    // A custom role outside its assignable scopes is not there, as Azure looks roles up at the assignment's scope.
    if (!role || !RoleCatalog.assignableAt(role, scope)) throw roleMissing();
    const principalId = body.principalId;
    if (typeof principalId !== 'string' || !isGuid(principalId)) {
      throw new InvalidInputError('InvalidPrincipalId', `A valid principal ID must be provided for role assignment.`);
    }
    if (!this.principals.has(principalId.toLowerCase())) {
      throw new InvalidInputError(
        'PrincipalNotFound',
        `Principal ${principalId.replace(/-/g, '')} does not exist in the directory ${this.tenantId()}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype`,
      );
    }
    const principalType = body.principalType ?? 'ServicePrincipal';
    if (typeof principalType !== 'string' || !PRINCIPAL_TYPES.includes(principalType as PrincipalType)) {
      throw new InvalidInputError('InvalidPrincipalType', `The principal type '${String(principalType)}' is invalid. Allowed values: ${PRINCIPAL_TYPES.join(', ')}.`);
    }
    const canonical = canonicalScope(scope);
    const id = `${canonical === '/' ? '' : canonical}/providers/Microsoft.Authorization/roleAssignments/${name.toLowerCase()}`;
    const assignment: RoleAssignment = {
      id,
      name: name.toLowerCase(),
      scope: canonical,
      roleDefinitionId: this.roleDefinitionId(role),
      principalId: principalId.toLowerCase(),
      principalType: principalType as PrincipalType,
      createdOn: new Date(this.clock.now()).toISOString(),
    };
    const { value, revision } = await this.store.write(async (writer) => {
      await checkScope(writer);
      // A custom role deleted (or narrowed) meanwhile must not be left assigned: asked again as the write sees it.
      if (role.roleType === 'CustomRole') {
        const current = await writer.get(roleDefinitionEntity, role.name);
        if (!current || !RoleCatalog.assignableAt(current, scope)) throw roleMissing();
      }
      const existing = await writer.get(assignmentEntity, id.toLowerCase());
      if (existing) {
        if (existing.principalId !== assignment.principalId || existing.roleDefinitionId.toLowerCase() !== assignment.roleDefinitionId.toLowerCase()) {
          throw new InvalidInputError('RoleAssignmentUpdateNotPermitted', 'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.');
        }
        return { assignment: existing, created: false };
      }
      // A name (GUID) belongs to one assignment in the subscription, whatever its scope: reusing it elsewhere is an update ARM refuses.
      const elsewhere = (await writer.find(assignmentEntity, 'name', assignment.name)).find((a) => a.id.toLowerCase() !== id.toLowerCase());
      if (elsewhere) {
        throw new InvalidInputError('RoleAssignmentUpdateNotPermitted', 'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.', { existingId: elsewhere.id });
      }
      const duplicate = (await writer.find(assignmentEntity, 'principal_id', assignment.principalId.toLowerCase())).find(
        (a) => a.scope.toLowerCase() === canonical.toLowerCase() && a.roleDefinitionId.toLowerCase() === assignment.roleDefinitionId.toLowerCase(),
      );
      if (duplicate) throw new ConflictError('RoleAssignmentExists', 'The role assignment already exists.', { existingId: duplicate.id });
      await writer.put(assignmentEntity, assignment);
      return { assignment, created: true };
    });
    await this.model.reach(revision);
    return value;
  }

  get(id: string): RoleAssignment {
    const assignment = this.assignments.get(id);
    if (!assignment) throw new NotFoundError('RoleAssignmentNotFound', 'The role assignment does not exist.');
    return assignment;
  }

  /** Deletes by full id; undefined when it did not exist (ARM answers 204). */
  async delete(id: string): Promise<RoleAssignment | undefined> {
    const { value, revision } = await this.store.write(async (writer) => {
      const existing = await writer.get(assignmentEntity, id.toLowerCase());
      if (existing) await writer.delete(assignmentEntity, id.toLowerCase());
      return existing;
    });
    await this.model.reach(revision);
    return value;
  }

  /**
   * Assignments as ARM lists them for a scope: those that apply there (at or
   * above) and those beneath it; `atScope` keeps only the first kind.
   */
  list(filter: { scope?: string; principalId?: string; atScope?: boolean }): RoleAssignment[] {
    const base = { ...(filter.principalId !== undefined ? { principalId: filter.principalId } : {}) };
    if (filter.scope === undefined) return sortAssignments(this.assignments.list(base));
    const above = this.assignments.list({ ...base, scope: filter.scope, scopeMatch: 'atOrAbove' });
    if (filter.atScope) return sortAssignments(above);
    const below = this.assignments.list({ ...base, scope: filter.scope, scopeMatch: 'atOrBelow' });
    return sortAssignments([...new Map([...above, ...below].map((a) => [a.id.toLowerCase(), a])).values()]);
  }
}

function sortAssignments(list: readonly RoleAssignment[]): RoleAssignment[] {
  return [...list].sort((a, b) => a.scope.localeCompare(b.scope) || a.createdOn.localeCompare(b.createdOn));
}
