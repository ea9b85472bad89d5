import { useEffect, useRef } from 'preact/hooks';
import { pick, str, type Json } from '../api.js';
import { categoryOf } from '../privileged.js';

const KINDS = [
  { key: 'actions', label: 'Actions' },
  { key: 'notActions', label: 'NotActions' },
  { key: 'dataActions', label: 'DataActions' },
  { key: 'notDataActions', label: 'NotDataActions' },
] as const;

/** A role's details: its description, and each permission block's actions, notActions, dataActions and notDataActions. */
export function RoleDetail({ role, onClose }: { role: Json; onClose: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Focus follows the choice, so a keyboard or screen reader user lands on what they opened.
  useEffect(() => heading.current?.focus(), [role]);
  const permissions = (pick(role, 'properties', 'permissions') as Json[] | undefined) ?? [];
  const name = str(pick(role, 'properties', 'roleName'));
  return (
    <section class="card wide role-detail" aria-labelledby="role-detail-title">
      <h3 id="role-detail-title" tabIndex={-1} ref={heading}>
        {name}
      </h3>
      <p>{str(pick(role, 'properties', 'description'))}</p>
      <dl class="facts">
        <dt>Type</dt>
        <dd>{str(pick(role, 'properties', 'type'))}</dd>
        <dt>Category</dt>
        <dd>{categoryOf(role) === 'privileged' ? 'Privileged administrator role' : 'Job function role'}</dd>
        <dt>Id</dt>
        <dd>
          <code>{str(role['name'])}</code>
        </dd>
        <dt>Assignable scopes</dt>
        <dd>{((pick(role, 'properties', 'assignableScopes') as string[] | undefined) ?? []).join(', ')}</dd>
      </dl>
      {permissions.map((p, i) => (
        <div key={i} class="permissions">
          {permissions.length > 1 && <h4>Permission block {i + 1}</h4>}
          {KINDS.map(({ key, label }) => {
            const values = (p[key] as string[] | undefined) ?? [];
            return (
              <div key={key} class="permission-kind">
                <h4 id={`perm-${i}-${key}`}>{label}</h4>
                {values.length === 0 ? (
                  <p class="muted small">none</p>
                ) : (
                  <ul aria-labelledby={`perm-${i}-${key}`}>
                    {values.map((v) => (
                      <li key={v}>
                        <code>{v}</code>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            );
          })}
        </div>
      ))}
      <div class="actions">
        <button type="button" onClick={onClose}>
          Close {name}
        </button>
      </div>
    </section>
  );
}
