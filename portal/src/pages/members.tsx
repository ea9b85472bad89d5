import { useState } from 'preact/hooks';
import { MEMBER_TYPES, type Member } from '../members.js';

/**
 * The member picker, as Azure's "Select members": a search box, a type filter, and one radio per principal
 * showing its type (user-assigned identity, a web app's or VM's system identity, an application).
 */
export function MemberPicker({ idPrefix, members, value, onChange }: { idPrefix: string; members: readonly Member[]; value: string; onChange: (objectId: string) => void }) {
  const [query, setQuery] = useState('');
  const [type, setType] = useState('');
  const q = query.trim().toLowerCase();
  const shown = members.filter((m) => (type === '' || m.type === type) && (q === '' || m.name.toLowerCase().includes(q) || m.id.includes(q)));
  return (
    <fieldset class="picker">
      <legend>Members</legend>
      <div class="picker-filters">
        <label>
          Search members
          <input type="search" value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} placeholder="Name or object id" />
        </label>
        <label>
          Member type
          <select value={type} onChange={(e) => setType((e.target as HTMLSelectElement).value)}>
            <option value="">All types</option>
            {MEMBER_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p class="muted small" aria-live="polite">
        {shown.length} of {members.length} members
      </p>
      <ul class="choices">
        {shown.map((m) => (
          <li key={`${m.type}-${m.id}`} class={m.id === value ? 'chosen' : undefined}>
            <input type="radio" name={`${idPrefix}-member`} id={`${idPrefix}-${m.id}`} value={m.id} checked={m.id === value} onChange={() => onChange(m.id)} aria-describedby={`${idPrefix}-${m.id}-about`} />
            <label for={`${idPrefix}-${m.id}`}>{m.name}</label>
            <span id={`${idPrefix}-${m.id}-about`} class="muted small choice-about">
              {m.type} · {m.detail} · <code>{m.id}</code>
            </span>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
