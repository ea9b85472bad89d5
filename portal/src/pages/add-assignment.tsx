import { useState } from 'preact/hooks';
import { API, call, pick, str, type Json } from '../api.js';
import { ErrorBox } from '../components/error-box.js';
import { MemberSelect } from './members.js';

/** A new assignment's name: a GUID, as ARM wants. */
function newGuid(): string {
  return crypto.randomUUID();
}

/** Add role assignment: a role (with its description), a member, then a PUT of the assignment, as `keyless role assignment create` does. */
export function AddAssignment(props: { scope: string; roles: readonly Json[]; members: readonly Json[]; onDone: () => void; onCancel: () => void }) {
  const [roleId, setRoleId] = useState('');
  const [memberId, setMemberId] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const role = props.roles.find((r) => str(r['id']) === roleId);
  const roles = [...props.roles].sort((a, b) => str(pick(a, 'properties', 'roleName')).localeCompare(str(pick(b, 'properties', 'roleName'))));
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = { properties: { roleDefinitionId: roleId, principalId: memberId, principalType: 'ServicePrincipal' } };
      await call('PUT', `${props.scope}/providers/Microsoft.Authorization/roleAssignments/${newGuid()}`, API.authorization, body);
      props.onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={(e) => void submit(e)} aria-labelledby="add-title">
      <h3 id="add-title">Add role assignment</h3>
      <ErrorBox error={error} />
      <label for="add-role">Role</label>
      <select id="add-role" value={roleId} onChange={(e) => setRoleId((e.target as HTMLSelectElement).value)} required>
        <option value="">Select a role…</option>
        {roles.map((r) => (
          <option key={str(r['id'])} value={str(r['id'])}>
            {str(pick(r, 'properties', 'roleName'))}
            {str(pick(r, 'properties', 'type')) === 'CustomRole' ? ' (custom)' : ''}
          </option>
        ))}
      </select>
      {role && <p class="muted role-description">{str(pick(role, 'properties', 'description'))}</p>}
      <label for="add-member">Member</label>
      <MemberSelect id="add-member" members={props.members} value={memberId} onChange={setMemberId} />
      <div class="actions">
        <button type="submit" disabled={busy || roleId === '' || memberId === ''}>
          Review + assign
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
