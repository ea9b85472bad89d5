import { useState } from 'preact/hooks';
import { API, call, list, pick, str, type Json } from '../api.js';
import { ErrorBox } from '../components/error-box.js';
import { useLoad } from '../components/use-load.js';
import { categoryOf } from '../privileged.js';
import { RoleDetail } from './role-detail.js';

/** The Roles tab: the built-in and custom role definitions usable at this scope (ARM's list at the scope), filtered by name and type. */
export function Roles({ scope }: { scope: string }) {
  const state = useLoad(async () => list(await call('GET', `${scope}/providers/Microsoft.Authorization/roleDefinitions`, API.authorization)), [scope]);
  const [query, setQuery] = useState('');
  const [type, setType] = useState('');
  const [open, setOpen] = useState<Json | undefined>(undefined);
  const q = query.trim().toLowerCase();
  const roleName = (r: Json) => str(pick(r, 'properties', 'roleName'));
  const shown = (state.data ?? [])
    .filter((r) => (type === '' || str(pick(r, 'properties', 'type')) === type) && (q === '' || roleName(r).toLowerCase().includes(q)))
    .sort((a, b) => roleName(a).localeCompare(roleName(b)));
  return (
    <div>
      <ErrorBox error={state.error} />
      <div class="inline-form">
        <label>
          Search by role name
          <input type="search" value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Role type
          <select value={type} onChange={(e) => setType((e.target as HTMLSelectElement).value)}>
            <option value="">All</option>
            <option value="BuiltInRole">Built-in role</option>
            <option value="CustomRole">Custom role</option>
          </select>
        </label>
      </div>
      {state.loading && <p aria-live="polite">Loading…</p>}
      {open && <RoleDetail role={open} onClose={() => setOpen(undefined)} />}
      {state.data && (
        <table class="roles">
          <caption>
            Roles <span class="muted">({shown.length} of {state.data.length})</span>
          </caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Description</th>
              <th scope="col">Type</th>
              <th scope="col">Category</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={str(r['id'])}>
                <td>
                  <button type="button" class="link" onClick={() => setOpen(r)} aria-label={`View ${roleName(r)}`}>
                    {roleName(r)}
                  </button>
                </td>
                <td>{str(pick(r, 'properties', 'description'))}</td>
                <td>{str(pick(r, 'properties', 'type')) === 'CustomRole' ? 'Custom role' : 'Built-in role'}</td>
                <td>{categoryOf(r) === 'privileged' ? 'Privileged' : 'Job function'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
