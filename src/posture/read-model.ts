import { certificateEntity, federatedCredentialEntity, principalEntity, secretEntity } from '../directory/index.js';
import { accountKeyEntity } from '../keys/index.js';
import { assignmentEntity, type ActionKind, type Decision, type RoleDefinition, type RoleResolver } from '../rbac/index.js';
import { resourceEntity } from '../resources/index.js';
import type { ReadModel } from '../store/index.js';
import type { PostureInput } from './input.js';

/** The RBAC context's lookup and decision, as every request uses them (`RoleAssignmentService`). */
export interface PostureRbac {
  readonly role: RoleResolver;
  /** Every role definition, built-in and custom. */
  readonly catalog: { list(): RoleDefinition[] };
  authorize(principalId: string, action: string, kind: ActionKind, scope: string): Decision;
}

export interface PostureOptions {
  readonly subscriptionId: string;
  readonly now: number;
  readonly maxKeyAgeDays: number;
  readonly exempt: readonly string[];
}

/** Posture's input from the read model as it is now (no SQL; one pass over each table). */
export function readPostureInput(model: ReadModel, rbac: PostureRbac, options: PostureOptions): PostureInput {
  const principals = new Map([...model.table(principalEntity).values()].map((p) => [p.objectId.toLowerCase(), p]));
  return {
    subscriptionId: options.subscriptionId,
    now: options.now,
    maxKeyAgeDays: options.maxKeyAgeDays,
    resources: [...model.table(resourceEntity).values()],
    principals,
    secrets: [...model.table(secretEntity).values()],
    certificates: [...model.table(certificateEntity).values()],
    federatedCredentials: [...model.table(federatedCredentialEntity).values()],
    keys: [...model.table(accountKeyEntity).values()],
    assignments: model.table(assignmentEntity).list(),
    role: rbac.role,
    roles: rbac.catalog.list(),
    authorize: (principalId, action, kind, scope) => rbac.authorize(principalId, action, kind, scope),
    exempt: new Set(options.exempt.map((id) => id.toLowerCase())),
  };
}
