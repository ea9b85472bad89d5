import { useState } from 'preact/hooks';
import { API, call, list, str, type Json } from '../api.js';
import { groupOf, nameOf, subscriptionId } from '../arm.js';
import { ActionsHeader } from '../components/actions-header.js';
import { Confirm } from '../components/confirm.js';
import { ErrorBox } from '../components/error-box.js';
import { useLoad } from '../components/use-load.js';
import { assignUser, removeUser, userAssignedOf } from '../identity-actions.js';
import { sameId } from '../kinds.js';
import { href } from '../router.js';

/**
 * User assigned: the attached identities; add one (the server checks `…/userAssignedIdentities/assign/action` on it,
 * and its refusal is shown as Azure shows it) or remove one after a confirmation.
 */
export function UserAssigned({ resource, onChanged, onError }: { resource: Json; onChanged: () => void; onError: (e: unknown) => void }) {
  const id = str(resource['id']);
  const attached = userAssignedOf(resource);
  // The subscription's identities, as `identity list` reads them.
  const all = useLoad(
    async () => list(await call('GET', `/subscriptions/${await subscriptionId()}/providers/Microsoft.ManagedIdentity/userAssignedIdentities`, API.identities)),
    [],
  );
  const [choice, setChoice] = useState('');
  const [removing, setRemoving] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const candidates = (all.data ?? []).filter((i) => !attached.some(([a]) => sameId(a, str(i['id']))));

  const act = async (what: () => Promise<unknown>, message: string) => {
    setBusy(true);
    onError(undefined);
    setDone('');
    try {
      await what();
      setDone(message);
      onChanged();
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };
  const add = (event: Event) => {
    event.preventDefault();
    if (choice === '') return;
    void act(() => assignUser(id, choice), `${nameOf(choice)} was added.`).then(() => setChoice(''));
  };
  const remove = (userId: string) => {
    setRemoving(undefined);
    void act(() => removeUser(id, userId), `${nameOf(userId)} was removed.`);
  };

  return (
    <section aria-labelledby="user-title">
      <h3 id="user-title">User assigned</h3>
      <p class="muted">
        User assigned managed identities are resources of their own: one can be attached to several resources, and it stays (with its roles) when they are deleted or it is
        removed from them.
      </p>
      <ErrorBox error={all.error} />
      <form class="inline-form" onSubmit={add} aria-label="Add a user assigned managed identity">
        <label for="user-identity-add">User assigned managed identity</label>
        <select id="user-identity-add" value={choice} onChange={(e) => setChoice((e.target as HTMLSelectElement).value)} required>
          <option value="">{all.loading ? 'Loading…' : candidates.length === 0 ? 'No other identities in this subscription' : 'Select an identity…'}</option>
          {candidates.map((i) => (
            <option key={str(i['id'])} value={str(i['id'])}>
              {str(i['name'])} ({groupOf(str(i['id']))})
            </option>
          ))}
        </select>
        <button type="submit" disabled={busy || choice === ''}>
          + Add
        </button>
      </form>
      <p role="status">{done}</p>
      {attached.length === 0 ? (
        <p class="muted">No user assigned managed identities are attached.</p>
      ) : (
        <table class="user-identities">
          <caption class="visually-hidden">Attached user assigned managed identities</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Resource group</th>
              <th scope="col">Client ID</th>
              <th scope="col">Object (principal) ID</th>
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            {attached.map(([userId, entry]) => (
              <tr key={userId}>
                <td>
                  <a href={href.resource(userId)}>{nameOf(userId)}</a>
                </td>
                <td>{groupOf(userId)}</td>
                <td>{str(entry['clientId']) || <span class="orphan">Identity not found</span>}</td>
                <td>{str(entry['principalId'])}</td>
                <td>
                  <button type="button" class="danger" disabled={busy} onClick={() => setRemoving(userId)} aria-label={`Remove ${nameOf(userId)}`}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {removing !== undefined && (
        <Confirm title={`Remove ${nameOf(removing)}?`} action="Remove" onConfirm={() => remove(removing)} onCancel={() => setRemoving(undefined)}>
          <p>
            Code on this resource can no longer get tokens as <strong>{nameOf(removing)}</strong> (by its client ID): calls that use it fail at once. The identity itself and its
            role assignments stay.
          </p>
        </Confirm>
      )}
    </section>
  );
}
