import { useState } from 'preact/hooks';
import { pick, str, type Json } from '../api.js';
import { nameOf, typeLabel } from '../arm.js';
import { ActionsHeader } from '../components/actions-header.js';
import { Confirm } from '../components/confirm.js';
import { ErrorBox } from '../components/error-box.js';
import { useAction } from '../components/use-action.js';
import { apiVersionOf, kindOfType } from '../kinds.js';
import { deleteAndWait } from '../long-running.js';
import { href } from '../router.js';

/** A group's resources: type icon, location, the identity at a glance (user-assigned ones linked), delete after a confirmation. */
export function ResourceTable({ group, resources, onChanged }: { group: string; resources: readonly Json[]; onChanged: () => void }) {
  const [deleting, setDeleting] = useState<Json | undefined>(undefined);
  const { error, run } = useAction();
  const remove = async (resource: Json) => {
    setDeleting(undefined);
    await run(async () => {
      await deleteAndWait(str(resource['id']), apiVersionOf(str(resource['id'])));
      onChanged();
    });
  };
  return (
    <>
      <ErrorBox error={error} />
      {resources.length === 0 ? (
        <p class="muted">No resources.</p>
      ) : (
        <table class="resources">
          <caption class="visually-hidden">Resources in {group}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Location</th>
              <th scope="col">Identity</th>
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            {resources.map((r) => {
              const t = typeLabel(str(r['type']));
              return (
                <tr key={str(r['id'])}>
                  <td>
                    <a href={href.resource(str(r['id']))}>{str(r['name'])}</a>
                  </td>
                  <td>
                    <span class="type-icon" aria-hidden="true">
                      {t.icon}
                    </span>{' '}
                    {t.label}
                  </td>
                  <td>{str(r['location'])}</td>
                  <td>
                    <IdentityAtAGlance resource={r} />
                  </td>
                  <td>
                    <button type="button" class="danger" onClick={() => setDeleting(r)} aria-label={`Delete ${str(r['name'])}`}>
                      Delete
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {deleting !== undefined && (
        <Confirm title={`Delete ${str(deleting['name'])}?`} action="Delete" onConfirm={() => void remove(deleting)} onCancel={() => setDeleting(undefined)}>
          <p>{consequences(str(deleting['type']))}</p>
        </Confirm>
      )}
    </>
  );
}

/** What deleting each type breaks, said before it happens. */
function consequences(type: string): string {
  switch (kindOfType(type)?.key) {
    case 'identity':
      return 'The identity is deleted: every web app, VM and account it is attached to can no longer get tokens with it, its federated credentials go with it, and its role assignments remain as "Identity not found".';
    case 'account':
      return 'The account is deleted with its keys and deployments: every app calling it stops working. Its system-assigned identity is deleted too.';
    default:
      return 'The resource is deleted. Its system-assigned identity is deleted with it, so the access its role assignments gave ends everywhere; user-assigned identities attached to it remain.';
  }
}

/** System assigned, and the user-assigned identities by name (linked to their blades); "None" when neither. */
function IdentityAtAGlance({ resource }: { resource: Json }) {
  const type = str(pick(resource, 'identity', 'type'));
  const users = Object.keys((pick(resource, 'identity', 'userAssignedIdentities') as Json | undefined) ?? {});
  const system = /systemassigned/i.test(type);
  if (!system && users.length === 0) return <span class="muted">None</span>;
  return (
    <span class="identity-glance">
      {system && <span class="badge badge-identity">System assigned</span>}
      {users.map((id) => (
        <a key={id} href={href.resource(id)} class="badge badge-identity" title="User-assigned identity">
          ⚿ {nameOf(id)}
        </a>
      ))}
    </span>
  );
}
