import { useState } from 'preact/hooks';
import { str, type Json } from '../api.js';
import { ErrorBox } from '../components/error-box.js';
import { useAction } from '../components/use-action.js';
import { createIdentityBlock } from '../identity-block.js';
import { KINDS, type Kind } from '../kinds.js';
import { putAndWait } from '../long-running.js';
import { href } from '../router.js';
import { LOCATIONS } from './locations.js';

/**
 * Create a resource in a group with the body the CLI's `identity|openai|webapp|vm create` sends
 * (src/cli/commands/identity.ts, openai.ts, host.ts): location, the identity block from
 * `--assign-identity`, an account's kind, sku and `disableLocalAuth`.
 */
export function CreateResource(props: { sub: string; group: string; groupLocation: string; identities: readonly Json[]; onCreated: () => void; onClose: () => void }) {
  const [kind, setKind] = useState<Kind>(KINDS[1] as Kind);
  const [name, setName] = useState('');
  const [location, setLocation] = useState(props.groupLocation);
  const [system, setSystem] = useState(false);
  const [users, setUsers] = useState<readonly string[]>([]);
  const [noKeys, setNoKeys] = useState(false);
  const { busy, error, run } = useAction();
  const [created, setCreated] = useState<Json | undefined>(undefined);
  const prefix = `create-${props.group}`;

  const submit = async (event: Event) => {
    event.preventDefault();
    await run(async () => {
      const body: Json = { location };
      if (kind.key === 'account') {
        body['kind'] = 'OpenAI';
        body['sku'] = { name: 'S0' };
        body['properties'] = noKeys ? { disableLocalAuth: true } : {};
      } else if (kind.key !== 'identity') body['properties'] = {};
      if (kind.hostsIdentity && (system || users.length > 0)) body['identity'] = createIdentityBlock({ system, userIds: users });
      const path = `/subscriptions/${props.sub}/resourceGroups/${encodeURIComponent(props.group)}/providers/${kind.type}/${encodeURIComponent(name)}`;
      setCreated(await putAndWait(path, kind.apiVersion, body));
      setName('');
      setUsers([]);
      setSystem(false);
      props.onCreated();
    });
  };
  const toggleUser = (id: string, on: boolean) => setUsers(on ? [...users, id] : users.filter((u) => u !== id));

  return (
    <form class="card create-form" onSubmit={(e) => void submit(e)} aria-label={`Create a resource in ${props.group}`}>
      <h3>Create a resource in {props.group}</h3>
      <ErrorBox error={error} />
      {created && (
        <p role="status">
          Created <a href={href.resource(str(created['id']))}>{str(created['name'])}</a>.
        </p>
      )}
      <div class="form-grid">
        <label for={`${prefix}-type`}>Resource type</label>
        <select id={`${prefix}-type`} value={kind.key} onChange={(e) => setKind(KINDS.find((k) => k.key === (e.target as HTMLSelectElement).value) ?? kind)}>
          {KINDS.map((k) => (
            <option key={k.key} value={k.key}>
              {k.label}
            </option>
          ))}
        </select>
        <label for={`${prefix}-name`}>Resource name</label>
        <input id={`${prefix}-name`} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} required autoComplete="off" />
        <label for={`${prefix}-location`}>Resource region</label>
        <select id={`${prefix}-location`} value={location} onChange={(e) => setLocation((e.target as HTMLSelectElement).value)}>
          {[...new Set([props.groupLocation, ...LOCATIONS])].map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </div>
      {kind.key === 'account' && (
        <label class="check">
          <input type="checkbox" checked={noKeys} onChange={(e) => setNoKeys((e.target as HTMLInputElement).checked)} />
          Disable key access (Microsoft Entra ID only)
        </label>
      )}
      {kind.hostsIdentity && (
        <fieldset>
          <legend>Identity</legend>
          <label class="check">
            <input type="checkbox" checked={system} onChange={(e) => setSystem((e.target as HTMLInputElement).checked)} />
            System assigned managed identity
          </label>
          {props.identities.length === 0 ? (
            <p class="muted small">No user-assigned identities in this subscription yet.</p>
          ) : (
            <fieldset class="nested">
              <legend>User assigned managed identities</legend>
              {props.identities.map((i) => (
                <label class="check" key={str(i['id'])}>
                  <input type="checkbox" checked={users.includes(str(i['id']))} onChange={(e) => toggleUser(str(i['id']), (e.target as HTMLInputElement).checked)} />
                  {str(i['name'])}
                </label>
              ))}
            </fieldset>
          )}
        </fieldset>
      )}
      <div class="actions">
        <button type="submit" disabled={busy || name === ''}>
          {busy ? 'Creating…' : 'Create'}
        </button>
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </div>
    </form>
  );
}
