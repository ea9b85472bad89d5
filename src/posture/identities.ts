import { idKey, RESOURCE_TYPES } from '../resources/index.js';
import { deleteIdentityAction } from './actions.js';
import { command, groupAndName } from './commands.js';
import type { PostureInput } from './input.js';
import type { Finding } from './model.js';

/** User-assigned identities that no resource (web app, VM, account) has attached. */
export function identityFindings(input: PostureInput): Finding[] {
  const attached = new Set<string>();
  for (const r of input.resources) for (const id of r.identity?.userAssigned ?? []) attached.add(idKey(id));
  const findings: Finding[] = [];
  for (const identity of input.resources) {
    if (identity.type !== RESOURCE_TYPES.userAssignedIdentity || attached.has(identity.key)) continue;
    const principalId = identity.properties['principalId'];
    const roles = typeof principalId === 'string' ? input.assignments.filter((a) => a.principalId.toLowerCase() === principalId.toLowerCase()).length : 0;
    findings.push({
      code: 'UnattachedUserAssignedIdentity',
      severity: 'low',
      resource: identity.id,
      summary: `user-assigned identity '${identity.name}' is attached to nothing${roles > 0 ? ` and still holds ${roles} role assignment(s)` : ''}`,
      why: 'an identity nobody runs as still holds its roles and federated credentials: access with no owner to notice its misuse',
      fix: [command('identity', 'delete', ...groupAndName(identity.id))],
      action: deleteIdentityAction(identity.id, identity.name),
    });
  }
  return findings;
}
