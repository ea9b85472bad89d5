import { useState } from 'preact/hooks';
import { pick, str, type Json } from '../api.js';
import { Tablist } from '../components/tablist.js';
import { categoryOf, type RoleCategory } from '../privileged.js';

const TABS = [
  { id: 'job', label: 'Job function roles' },
  { id: 'privileged', label: 'Privileged administrator roles' },
] as const;

const roleName = (r: Json) => str(pick(r, 'properties', 'roleName'));
const description = (r: Json) => str(pick(r, 'properties', 'description'));

/** Add role assignment's Role step: Azure's two tabs, a search over names and descriptions, one radio per role. */
export function RolePicker({ roles, value, onChange }: { roles: readonly Json[]; value: string; onChange: (roleId: string) => void }) {
  const [tab, setTab] = useState<RoleCategory>('job');
  const [query, setQuery] = useState('');
  const q = query.trim().toLowerCase();
  const inTab = roles.filter((r) => categoryOf(r) === tab);
  const shown = inTab
    .filter((r) => q === '' || roleName(r).toLowerCase().includes(q) || description(r).toLowerCase().includes(q))
    .sort((a, b) => roleName(a).localeCompare(roleName(b)));
  return (
    <fieldset class="picker">
      <legend>Role</legend>
      <Tablist idPrefix="role-picker" label="Role categories" tabs={TABS} selected={tab} onSelect={(id) => setTab(id as RoleCategory)}>
        {tab === 'job' ? (
          <p class="muted small">A job function role grants access to manage specific resources, or their data, and nothing more.</p>
        ) : (
          <p class="notice small" role="note">
            Privileged administrator roles grant access to manage every resource or to assign roles to others. Assign one only when no job function role will do.
          </p>
        )}
        <label>
          Search by role name or description
          <input type="search" value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} />
        </label>
        <p class="muted small" aria-live="polite">
          {shown.length} of {inTab.length} roles
        </p>
        <ul class="choices">
          {shown.map((r) => {
            const id = str(r['id']);
            const key = `role-${str(r['name'])}`;
            return (
              <li key={id} class={id === value ? 'chosen' : undefined}>
                <input type="radio" name="role-pick" id={key} value={id} checked={id === value} onChange={() => onChange(id)} aria-describedby={`${key}-about`} />
                <label for={key}>{roleName(r)}</label>
                <span id={`${key}-about`} class="muted small choice-about">
                  {description(r)}
                  {str(pick(r, 'properties', 'type')) === 'CustomRole' ? ' (custom role)' : ''}
                </span>
              </li>
            );
          })}
        </ul>
      </Tablist>
    </fieldset>
  );
}
