import { useEffect, useState } from 'preact/hooks';
import { str, type Json } from '../api.js';
import { Confirm } from '../components/confirm.js';
import { CopyButton } from '../components/copy-button.js';
import { href } from '../router.js';
import { assignSystem, removeSystem, systemPrincipalOf } from '../identity-actions.js';

/** System assigned: the status (Off/On, saved with Save), the object (principal) id; turning it off is confirmed first. */
export function SystemAssigned({ resource, onChanged, onError }: { resource: Json; onChanged: () => void; onError: (e: unknown) => void }) {
  const id = str(resource['id']);
  const principal = systemPrincipalOf(resource);
  const [wanted, setWanted] = useState<boolean>(principal !== undefined);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const dirty = wanted !== (principal !== undefined);
  // After a save (or a change elsewhere) the toggle shows what the resource now has.
  useEffect(() => setWanted(principal !== undefined), [principal]);

  const save = async () => {
    setConfirming(false);
    setBusy(true);
    onError(undefined);
    try {
      await (wanted ? assignSystem(id) : removeSystem(id));
      setDone(wanted ? 'The system assigned identity is on.' : 'The system assigned identity was turned off and deleted.');
      onChanged();
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="system-title">
      <h3 id="system-title">System assigned</h3>
      <p class="muted">
        A system assigned managed identity is tied to this resource: it is created with it, can be given roles, and is deleted when the identity is turned off or the resource is
        deleted.
      </p>
      {/* Native radios: arrow keys move between Off and On, as in any radio group. */}
      <fieldset class="status-toggle">
        <legend>Status</legend>
        {[false, true].map((on) => (
          <label key={String(on)} class="segment">
            <input type="radio" name="system-status" checked={wanted === on} onChange={() => setWanted(on)} />
            <span>{on ? 'On' : 'Off'}</span>
          </label>
        ))}
      </fieldset>
      <div class="actions">
        <button type="button" class="primary" disabled={!dirty || busy} onClick={() => (wanted ? void save() : setConfirming(true))}>
          {busy ? 'Saving…' : 'Save'}
        </button>
        <button type="button" disabled={!dirty || busy} onClick={() => setWanted(principal !== undefined)}>
          Discard
        </button>
      </div>
      <p role="status">{done}</p>
      {principal !== undefined && (
        <dl class="facts">
          <dt>Object (principal) ID</dt>
          <dd>
            <code data-testid="system-principal-id">{principal}</code> <CopyButton value={principal} label="object (principal) ID" />
          </dd>
          <dt>Permissions</dt>
          <dd>
            <a href={href.resource(id, 'iam')}>Azure role assignments</a> <span class="muted small">(give this identity a role at a scope in that scope's Access control (IAM))</span>
          </dd>
        </dl>
      )}
      {confirming && (
        <Confirm title="Disable system assigned managed identity" action="Yes, turn it off" onConfirm={() => void save()} onCancel={() => setConfirming(false)}>
          <p>
            Turning it off <strong>deletes the identity</strong> (object ID <code>{principal}</code>) from Microsoft Entra ID. Its role assignments stop granting anything and are shown
            as <em>Identity not found</em>; code on this resource that gets tokens with it fails at once. Turning it on again makes a new identity with a new object ID and no roles.
          </p>
        </Confirm>
      )}
    </section>
  );
}
