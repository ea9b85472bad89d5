import { useState } from 'preact/hooks';
import { call, list, str, type Json } from '../api.js';
import { ActionsHeader } from '../components/actions-header.js';
import { Confirm } from '../components/confirm.js';
import { ErrorBox } from '../components/error-box.js';
import { useAction } from '../components/use-action.js';
import { useLoad } from '../components/use-load.js';

const TOKEN_EXCHANGE = 'api://AzureADTokenExchange';

/** Federated credentials (Graph …/federatedIdentityCredentials, as `keyless ad app federated-credential`): tokens of an outside issuer the app may exchange, with no secret. */
export function FederatedCredentials({ objectId }: { objectId: string }) {
  const base = `/v1.0/applications/${encodeURIComponent(objectId)}/federatedIdentityCredentials`;
  const state = useLoad(async () => list(await call('GET', base, undefined)), [base]);
  const [form, setForm] = useState({ name: '', issuer: '', subject: '', audiences: TOKEN_EXCHANGE, description: '' });
  const [removing, setRemoving] = useState<Json | undefined>(undefined);
  const { busy, error, run } = useAction();
  const field = (name: keyof typeof form) => ({
    value: form[name],
    onInput: (e: Event) => setForm({ ...form, [name]: (e.target as HTMLInputElement).value }),
  });

  const add = async (event: Event) => {
    event.preventDefault();
    await run(async () => {
      const audiences = form.audiences.split(',').map((a) => a.trim()).filter((a) => a !== '');
      const body: Json = { name: form.name.trim(), issuer: form.issuer.trim(), subject: form.subject.trim(), audiences };
      if (form.description.trim() !== '') body['description'] = form.description.trim();
      await call('POST', base, undefined, body);
      setForm({ name: '', issuer: '', subject: '', audiences: TOKEN_EXCHANGE, description: '' });
      state.reload();
    });
  };
  const remove = async (credential: Json) => {
    setRemoving(undefined);
    await run(
      async () => {
        await call('DELETE', `${base}/${encodeURIComponent(str(credential['name']))}`, undefined);
        state.reload();
      },
      { busy: false },
    );
  };
  const credentials = state.data ?? [];
  return (
    <section aria-labelledby="federated-title" class="panel">
      <h2 id="federated-title">Federated credentials</h2>
      <p class="muted">A workload outside Azure (a CI job, a Kubernetes pod) signs in with its own platform's token when issuer, subject and audience match exactly.</p>
      <ErrorBox error={state.error ?? error} />
      {state.data && credentials.length === 0 && <p class="muted">No federated credentials.</p>}
      {credentials.length > 0 && (
        <table class="federated">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Issuer</th>
              <th scope="col">Subject</th>
              <th scope="col">Audiences</th>
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            {credentials.map((c) => (
              <tr key={str(c['name'])}>
                <td>{str(c['name'])}</td>
                <td>
                  <code>{str(c['issuer'])}</code>
                </td>
                <td>
                  <code>{str(c['subject'])}</code>
                </td>
                <td>{Array.isArray(c['audiences']) ? (c['audiences'] as unknown[]).map(str).join(', ') : ''}</td>
                <td>
                  <button type="button" class="danger" onClick={() => setRemoving(c)} aria-label={`Delete federated credential ${str(c['name'])}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form class="stacked-form" onSubmit={(e) => void add(e)} aria-label="Add a federated credential">
        <label>
          Name
          <input {...field('name')} required maxLength={120} />
        </label>
        <label>
          Issuer
          <input {...field('issuer')} type="url" required placeholder="https://token.actions.githubusercontent.com" />
        </label>
        <label>
          Subject
          <input {...field('subject')} required placeholder="repo:OWNER/REPO:ref:refs/heads/main" />
        </label>
        <label>
          Audiences (comma-separated)
          <input {...field('audiences')} required />
        </label>
        <label>
          Description
          <input {...field('description')} maxLength={600} />
        </label>
        <div class="actions">
          <button type="submit" disabled={busy}>
            Add federated credential
          </button>
        </div>
      </form>
      {removing && (
        <Confirm title={`Delete federated credential '${str(removing['name'])}'?`} action="Delete" onConfirm={() => void remove(removing)} onCancel={() => setRemoving(undefined)}>
          <p>
            Tokens from <code>{str(removing['issuer'])}</code> for subject <code>{str(removing['subject'])}</code> are no longer exchanged: that workload fails to sign in from then on.
          </p>
        </Confirm>
      )}
    </section>
  );
}
