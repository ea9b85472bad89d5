import { useState } from 'preact/hooks';
import { API, call, pick, str, type Json } from '../api.js';
import { nameOf } from '../arm.js';
import { ErrorBox } from '../components/error-box.js';
import { useAction } from '../components/use-action.js';
import { useLoad } from '../components/use-load.js';
import { loadMembers } from '../members.js';
import { isPrivileged } from '../privileged.js';
import { MemberPicker } from './members.js';
import { RolePicker } from './role-picker.js';

/**
 * Add role assignment: a role (Azure's job-function and privileged tabs), a member, a review, then the PUT
 * `keyless role assignment create` sends: a fresh GUID name, the subscription-level role definition id.
 */
export function AddAssignment(props: { scope: string; subscription: string; roles: readonly Json[]; onDone: () => void; onCancel: () => void }) {
  const members = useLoad(loadMembers, []);
  const [roleId, setRoleId] = useState('');
  const [memberId, setMemberId] = useState('');
  const [reviewing, setReviewing] = useState(false);
  const { busy, error, run } = useAction();
  const role = props.roles.find((r) => str(r['id']) === roleId);
  const member = members.data?.find((m) => m.id === memberId);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!reviewing) return setReviewing(true);
    if (role === undefined) return;
    await run(async () => {
      const roleDefinitionId = `/subscriptions/${props.subscription}/providers/Microsoft.Authorization/roleDefinitions/${str(role['name'])}`;
      const body = { properties: { roleDefinitionId, principalId: memberId, principalType: 'ServicePrincipal' } };
      await call('PUT', `${props.scope}/providers/Microsoft.Authorization/roleAssignments/${crypto.randomUUID()}`, API.authorization, body);
      props.onDone();
    });
  };
  return (
    <form class="card wide" onSubmit={(e) => void submit(e)} aria-labelledby="add-title">
      <h3 id="add-title">Add role assignment</h3>
      <ErrorBox error={members.error ?? error} />
      {!reviewing ? (
        <>
          <RolePicker roles={props.roles} value={roleId} onChange={setRoleId} />
          {members.loading && <p aria-live="polite">Loading members…</p>}
          {members.data && <MemberPicker idPrefix="add" members={members.data} value={memberId} onChange={setMemberId} />}
        </>
      ) : (
        <section aria-labelledby="review-title" class="review">
          <h4 id="review-title">Review + assign</h4>
          <dl class="facts">
            <dt>Role</dt>
            <dd>{str(pick(role, 'properties', 'roleName'))}</dd>
            <dt>Scope</dt>
            <dd>
              <code>{props.scope}</code> ({nameOf(props.scope)})
            </dd>
            <dt>Member</dt>
            <dd>
              {member?.name} <span class="muted">({member?.type}, <code>{memberId}</code>)</span>
            </dd>
          </dl>
          {role && isPrivileged(role) && (
            <p class="notice" role="note">
              {str(pick(role, 'properties', 'roleName'))} is a privileged administrator role: it grants {member?.name} broad control in this scope (managing its resources, or giving access to others). Prefer a job function role when one will do.
            </p>
          )}
        </section>
      )}
      <div class="actions">
        <button type="submit" disabled={busy || roleId === '' || memberId === ''}>
          {reviewing ? 'Assign' : 'Review + assign'}
        </button>
        {reviewing && (
          <button type="button" onClick={() => setReviewing(false)}>
            Back
          </button>
        )}
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
