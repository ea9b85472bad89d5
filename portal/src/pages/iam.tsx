import { useState } from 'preact/hooks';
import { API, call, list, pick, str, type Json } from '../api.js';
import { nameOf, principalNames, roleDefinitions, subscriptionId } from '../arm.js';
import { ActionsHeader } from '../components/actions-header.js';
import { Confirm } from '../components/confirm.js';
import { ErrorBox } from '../components/error-box.js';
import { Tablist } from '../components/tablist.js';
import { useAction } from '../components/use-action.js';
import { useLoad } from '../components/use-load.js';
import { href } from '../router.js';
import { CheckAccess } from './check-access.js';
import { AddAssignment } from './add-assignment.js';
import { Roles } from './roles.js';

const ASSIGNMENTS = '/providers/Microsoft.Authorization/roleAssignments';

const VIEWS = [
  { id: 'assignments', label: 'Role assignments' },
  { id: 'roles', label: 'Roles' },
  { id: 'check', label: 'Check access' },
] as const;

/** Access control (IAM) at a scope: role assignments grouped by role (inherited marked, orphans shown), add, remove; roles; check access. */
export function Iam({ scope }: { scope: string }) {
  const [tab, setTab] = useState<string>('assignments');
  return (
    <div class="panel iam">
      <h2 class="visually-hidden">Access control (IAM)</h2>
      <Tablist idPrefix="iam" label="Access control views" tabs={VIEWS} selected={tab} onSelect={setTab}>
        {tab === 'assignments' ? <Assignments scope={scope} /> : tab === 'roles' ? <Roles scope={scope} /> : <CheckAccess scope={scope} />}
      </Tablist>
    </div>
  );
}

function Assignments({ scope }: { scope: string }) {
  const state = useLoad(async () => {
    const [assignments, roles, subscription] = await Promise.all([
      call('GET', `${scope}${ASSIGNMENTS}?$filter=${encodeURIComponent('atScope()')}`, API.authorization).then(list),
      roleDefinitions(),
      subscriptionId(),
    ]);
    const names = await principalNames(assignments.map((a) => str(pick(a, 'properties', 'principalId'))));
    return { assignments, roles, subscription, names };
  }, [scope]);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Json | undefined>(undefined);
  const { error, run } = useAction();

  const remove = async (assignment: Json) => {
    setRemoving(undefined);
    await run(async () => {
      await call('DELETE', str(assignment['id']), API.authorization);
      state.reload();
    });
  };

  const data = state.data;
  const roleName = (id: string): string => {
    const role = data?.roles.find((r) => str(r['id']).toLowerCase() === id.toLowerCase());
    return str(pick(role, 'properties', 'roleName')) || nameOf(id);
  };
  const byRole = new Map<string, Json[]>();
  for (const a of data?.assignments ?? []) {
    const role = roleName(str(pick(a, 'properties', 'roleDefinitionId')));
    byRole.set(role, [...(byRole.get(role) ?? []), a]);
  }
  return (
    <div>
      <ErrorBox error={state.error ?? error} />
      <button type="button" onClick={() => setAdding(true)} disabled={data === undefined}>
        + Add role assignment
      </button>
      {adding && data && (
        <AddAssignment
          scope={scope}
          subscription={data.subscription}
          roles={data.roles}
          onDone={() => {
            setAdding(false);
            state.reload();
          }}
          onCancel={() => setAdding(false)}
        />
      )}
      {state.loading && <p aria-live="polite">Loading…</p>}
      {data && data.assignments.length === 0 && <p class="muted">No role assignments at or above this scope.</p>}
      {[...byRole.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([role, assignments]) => (
          <table key={role} class="assignments">
            <caption>
              {role} <span class="muted">({assignments.length})</span>
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Scope</th>
                <ActionsHeader />
              </tr>
            </thead>
            <tbody>
              {assignments.map((a) => {
                const principalId = str(pick(a, 'properties', 'principalId'));
                const principal = data?.names.get(principalId.toLowerCase());
                const at = str(pick(a, 'properties', 'scope'));
                const inherited = at.toLowerCase() !== scope.toLowerCase();
                return (
                  <tr key={str(a['id'])}>
                    <td>
                      {principal ? str(principal['displayName']) : <span class="orphan">Identity not found</span>}
                      <div class="muted small">{principalId}</div>
                    </td>
                    <td>{principal ? str(principal['servicePrincipalType'] ?? 'ServicePrincipal') : 'Unknown'}</td>
                    <td>
                      {inherited ? (
                        <>
                          <a href={href.iam(at)}>{inheritedLabel(at)}</a>
                        </>
                      ) : (
                        'This resource'
                      )}
                    </td>
                    <td>
                      {!inherited && (
                        <button type="button" class="danger" onClick={() => setRemoving(a)} aria-label={`Remove ${role} from ${principal ? str(principal['displayName']) : principalId}`}>
                          Remove
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ))}
      {removing && (
        <Confirm title="Remove role assignment?" action="Remove" onConfirm={() => void remove(removing)} onCancel={() => setRemoving(undefined)}>
          <p>
            {roleName(str(pick(removing, 'properties', 'roleDefinitionId')))} is removed from {str(data?.names.get(str(pick(removing, 'properties', 'principalId')).toLowerCase())?.['displayName'] ?? 'this principal')} at this scope. What it
            allowed stops working once the caller's token or cache no longer carries it (at once for Keyless's data plane).
          </p>
        </Confirm>
      )}
    </div>
  );
}

/** Where an inherited assignment was made, as Azure words it; the link opens that scope's IAM. */
function inheritedLabel(at: string): string {
  const depth = at.split('/').length;
  if (depth <= 3) return 'Subscription (Inherited)';
  if (depth <= 5) return `Resource group ${nameOf(at)} (Inherited)`;
  return `${nameOf(at)} (Inherited)`;
}
