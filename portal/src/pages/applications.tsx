import { useState } from 'preact/hooks';
import { call, list, str, type Json } from '../api.js';
import { ActionsHeader } from '../components/actions-header.js';
import { Confirm } from '../components/confirm.js';
import { ErrorBox } from '../components/error-box.js';
import { useAction } from '../components/use-action.js';
import { useLoad } from '../components/use-load.js';
import { href } from '../router.js';
import { signedInClientId } from '../session.js';
import { expired } from './credential-dates.js';

/** App registrations (Graph GET|POST|DELETE /v1.0/applications, as `keyless ad app`): list, create, delete. */
export function Applications() {
  const state = useLoad(async () => list(await call('GET', '/v1.0/applications', undefined)), []);
  const [name, setName] = useState('');
  const { busy, error, run } = useAction();
  const [deleting, setDeleting] = useState<Json | undefined>(undefined);

  const create = async (event: Event) => {
    event.preventDefault();
    await run(async () => {
      const app = await call('POST', '/v1.0/applications', undefined, { displayName: name.trim() });
      setName('');
      location.hash = href.application(str(app['id']));
    });
  };
  const remove = async (app: Json) => {
    setDeleting(undefined);
    await run(
      async () => {
        await call('DELETE', `/v1.0/applications/${encodeURIComponent(str(app['id']))}`, undefined);
        state.reload();
      },
      { busy: false },
    );
  };
  const apps = [...(state.data ?? [])].sort((a, b) => str(a['displayName']).localeCompare(str(b['displayName'])));
  return (
    <section aria-labelledby="apps-title">
      <h1 id="apps-title">App registrations</h1>
      <form class="inline-form" onSubmit={(e) => void create(e)}>
        <label>
          Display name
          <input value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} required maxLength={120} />
        </label>
        <button type="submit" disabled={busy || name.trim() === ''}>
          New registration
        </button>
      </form>
      <ErrorBox error={state.error ?? error} />
      {state.data && apps.length === 0 && <p class="muted">No applications.</p>}
      {apps.length > 0 && (
        <table class="applications">
          <thead>
            <tr>
              <th scope="col">Display name</th>
              <th scope="col">Application (client) ID</th>
              <th scope="col">Created</th>
              <th scope="col">Credentials</th>
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            {apps.map((app) => (
              <tr key={str(app['id'])}>
                <td>
                  <a href={href.application(str(app['id']))}>{str(app['displayName'])}</a>
                </td>
                <td>
                  <code>{str(app['appId'])}</code>
                </td>
                <td>{str(app['createdDateTime']).slice(0, 10)}</td>
                <td>{credentialSummary(app)}</td>
                <td>
                  {/* The CLI's admin application (this session's principal) cannot be changed through Graph. */}
                  {str(app['appId']) === signedInClientId() ? (
                    <span class="muted small">Keyless admin (you)</span>
                  ) : (
                    <button type="button" class="danger" onClick={() => setDeleting(app)} aria-label={`Delete ${str(app['displayName'])}`}>
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {deleting && (
        <Confirm title={`Delete application '${str(deleting['displayName'])}'?`} action="Delete" onConfirm={() => void remove(deleting)} onCancel={() => setDeleting(undefined)}>
          <p>
            The application and its service principal are deleted, with their client secrets, certificates and federated credentials: whatever signs in as{' '}
            <code>{str(deleting['appId'])}</code> fails from then on. Its role assignments stay behind as orphans (<em>Identity not found</em>).
          </p>
        </Confirm>
      )}
    </section>
  );
}

/** "2 secrets (1 expired), 1 certificate" at a glance. */
function credentialSummary(app: Json): string {
  const of = (kind: string): Json[] => (Array.isArray(app[kind]) ? (app[kind] as Json[]) : []);
  const parts: string[] = [];
  const secrets = of('passwordCredentials');
  const certificates = of('keyCredentials');
  const count = (items: Json[], one: string) => {
    if (items.length === 0) return;
    const gone = items.filter((c) => expired(c)).length;
    parts.push(`${items.length} ${one}${items.length > 1 ? 's' : ''}${gone > 0 ? ` (${gone} expired)` : ''}`);
  };
  count(secrets, 'secret');
  count(certificates, 'certificate');
  return parts.length === 0 ? 'None' : parts.join(', ');
}
