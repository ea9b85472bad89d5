import { useState } from 'preact/hooks';
import { API, call, list, pick, str } from '../api.js';
import { ActionsHeader } from '../components/actions-header.js';
import { Confirm } from '../components/confirm.js';
import { ErrorBox } from '../components/error-box.js';
import { useAction } from '../components/use-action.js';
import { useLoad } from '../components/use-load.js';

const TOKEN_EXCHANGE = 'api://AzureADTokenExchange';

/** One federated credential as the panel shows it, whether Graph's (flat) or ARM's (under `properties`). */
export interface FederatedCredential {
  readonly name: string;
  readonly issuer: string;
  readonly subject: string;
  readonly audiences: readonly string[];
}

/** Where a panel's credentials live: an application's (Graph) or a user-assigned identity's (ARM). */
export interface FederatedStore {
  readonly key: string;
  list(): Promise<FederatedCredential[]>;
  add(credential: FederatedCredential, description: string): Promise<void>;
  remove(name: string): Promise<void>;
}

const audiencesOf = (value: unknown): string[] => (Array.isArray(value) ? value.map(str) : []);

/** An application's federated credentials (Graph …/federatedIdentityCredentials, as `keyless ad app federated-credential`). */
export function FederatedCredentials({ objectId }: { objectId: string }) {
  const base = `/v1.0/applications/${encodeURIComponent(objectId)}/federatedIdentityCredentials`;
  const store: FederatedStore = {
    key: base,
    list: async () => list(await call('GET', base, undefined)).map((c) => ({ name: str(c['name']), issuer: str(c['issuer']), subject: str(c['subject']), audiences: audiencesOf(c['audiences']) })),
    add: async (c, description) => {
      await call('POST', base, undefined, { ...c, ...(description === '' ? {} : { description }) });
    },
    remove: async (name) => {
      await call('DELETE', `${base}/${encodeURIComponent(name)}`, undefined);
    },
  };
  return <FederatedPanel store={store} withDescription />;
}

/** A user-assigned identity's federated credentials (ARM …/federatedIdentityCredentials, as `keyless identity federated-credential`). */
export function IdentityFederatedCredentials({ identityId }: { identityId: string }) {
  const base = `${identityId}/federatedIdentityCredentials`;
  const store: FederatedStore = {
    key: base,
    list: async () =>
      list(await call('GET', base, API.identities)).map((c) => ({
        name: str(c['name']),
        issuer: str(pick(c, 'properties', 'issuer')),
        subject: str(pick(c, 'properties', 'subject')),
        audiences: audiencesOf(pick(c, 'properties', 'audiences')),
      })),
    add: async (c) => {
      await call('PUT', `${base}/${encodeURIComponent(c.name)}`, API.identities, { properties: { issuer: c.issuer, subject: c.subject, audiences: c.audiences } });
    },
    remove: async (name) => {
      await call('DELETE', `${base}/${encodeURIComponent(name)}`, API.identities);
    },
  };
  return <FederatedPanel store={store} withDescription={false} />;
}

/** Tokens of an outside issuer the app or identity may exchange, with no secret: list, add, delete (confirmed). */
function FederatedPanel({ store, withDescription }: { store: FederatedStore; withDescription: boolean }) {
  const state = useLoad(() => store.list(), [store.key]);
  const [form, setForm] = useState({ name: '', issuer: '', subject: '', audiences: TOKEN_EXCHANGE, description: '' });
  const [removing, setRemoving] = useState<FederatedCredential | undefined>(undefined);
  const { busy, error, run } = useAction();
  const field = (name: keyof typeof form) => ({
    value: form[name],
    onInput: (e: Event) => setForm({ ...form, [name]: (e.target as HTMLInputElement).value }),
  });

  const add = async (event: Event) => {
    event.preventDefault();
    await run(async () => {
      const audiences = form.audiences.split(',').map((a) => a.trim()).filter((a) => a !== '');
      await store.add({ name: form.name.trim(), issuer: form.issuer.trim(), subject: form.subject.trim(), audiences }, form.description.trim());
      setForm({ name: '', issuer: '', subject: '', audiences: TOKEN_EXCHANGE, description: '' });
      state.reload();
    });
  };
  const remove = async (credential: FederatedCredential) => {
    setRemoving(undefined);
    await run(
      async () => {
        await store.remove(credential.name);
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
              <tr key={c.name}>
                <td>{c.name}</td>
                <td>
                  <code>{c.issuer}</code>
                </td>
                <td>
                  <code>{c.subject}</code>
                </td>
                <td>{c.audiences.join(', ')}</td>
                <td>
                  <button type="button" class="danger" onClick={() => setRemoving(c)} aria-label={`Delete federated credential ${c.name}`}>
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
        {withDescription && (
          <label>
            Description
            <input {...field('description')} maxLength={600} />
          </label>
        )}
        <div class="actions">
          <button type="submit" disabled={busy}>
            Add federated credential
          </button>
        </div>
      </form>
      {removing && (
        <Confirm title={`Delete federated credential '${removing.name}'?`} action="Delete" onConfirm={() => void remove(removing)} onCancel={() => setRemoving(undefined)}>
          <p>
            Tokens from <code>{removing.issuer}</code> for subject <code>{removing.subject}</code> are no longer exchanged: that workload fails to sign in from then on.
          </p>
        </Confirm>
      )}
    </section>
  );
}
