import { useEffect, useRef, useState } from 'preact/hooks';
import { call, str, type Json } from '../api.js';
import { ActionsHeader } from '../components/actions-header.js';
import { Confirm } from '../components/confirm.js';
import { CopyButton } from '../components/copy-button.js';
import { ErrorBox } from '../components/error-box.js';
import { useAction } from '../components/use-action.js';
import { day, expired } from './credential-dates.js';

const EXPIRIES = [
  { days: 90, label: '90 days (3 months)' },
  { days: 180, label: '180 days (6 months, recommended)' },
  { days: 365, label: '365 days (12 months)' },
  { days: 730, label: '730 days (24 months)' },
];

/**
 * Client secrets (Graph addPassword/removePassword). A new secret's value is shown once, from the answer, and
 * kept only in this component's state until Done (or leaving the page): Graph never returns it again.
 */
export function Secrets({ app, onChange }: { app: Json; onChange: () => void }) {
  const base = `/v1.0/applications/${encodeURIComponent(str(app['id']))}`;
  const secrets = Array.isArray(app['passwordCredentials']) ? (app['passwordCredentials'] as Json[]) : [];
  const [description, setDescription] = useState('');
  const [days, setDays] = useState(180);
  const [created, setCreated] = useState<{ value: string; keyId: string } | undefined>(undefined);
  const [removing, setRemoving] = useState<Json | undefined>(undefined);
  const { busy, error, run } = useAction();
  const panel = useRef<HTMLDivElement>(null);
  // Focus moves to the new value's panel (a region, not a live one: a screen reader should not read a secret out unasked).
  useEffect(() => {
    if (created !== undefined) panel.current?.focus();
  }, [created?.keyId]);

  const add = async (event: Event) => {
    event.preventDefault();
    await run(async () => {
      const endDateTime = new Date(Date.now() + days * 86_400_000).toISOString();
      const answer = await call('POST', `${base}/addPassword`, undefined, { passwordCredential: { displayName: description.trim() || null, endDateTime } });
      setCreated({ value: str(answer['secretText']), keyId: str(answer['keyId']) });
      setDescription('');
      onChange();
    });
  };
  const remove = async (secret: Json) => {
    setRemoving(undefined);
    await run(
      async () => {
        await call('POST', `${base}/removePassword`, undefined, { keyId: str(secret['keyId']) });
        if (created?.keyId === str(secret['keyId'])) setCreated(undefined);
        onChange();
      },
      { busy: false },
    );
  };
  return (
    <section aria-labelledby="secrets-title" class="panel">
      <h2 id="secrets-title">Client secrets</h2>
      <p class="muted">A secret is a password the app signs in with, from anywhere, until it expires. Prefer a federated credential or a certificate.</p>
      <ErrorBox error={error} />
      {created && (
        <div class="notice new-secret" role="region" aria-labelledby="new-secret-title" tabIndex={-1} ref={panel}>
          <p>
            <strong id="new-secret-title">Copy the new secret's value now.</strong> It is never shown again: not after you leave this page, and not by any API.
          </p>
          <p>
            <code data-secret-value>{created.value}</code> <CopyButton value={created.value} label="secret value" />
          </p>
          <button type="button" onClick={() => setCreated(undefined)}>
            Done, hide the value
          </button>
        </div>
      )}
      {secrets.length === 0 ? (
        <p class="muted">No client secrets.</p>
      ) : (
        <table class="secrets">
          <thead>
            <tr>
              <th scope="col">Description</th>
              <th scope="col">Expires</th>
              <th scope="col">Value</th>
              <th scope="col">Secret ID</th>
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            {secrets.map((s) => (
              <tr key={str(s['keyId'])}>
                <td>{str(s['displayName']) || <span class="muted">(none)</span>}</td>
                <td>
                  {day(s['endDateTime'])} {expired(s) && <span class="badge badge-denied">Expired</span>}
                </td>
                <td>
                  <code>{str(s['hint'])}…</code>
                </td>
                <td>
                  <code>{str(s['keyId'])}</code>
                </td>
                <td>
                  <button type="button" class="danger" onClick={() => setRemoving(s)} aria-label={`Delete secret ${str(s['hint'])}… (${str(s['keyId'])})`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form class="inline-form" onSubmit={(e) => void add(e)} aria-label="Add a client secret">
        <label>
          Description
          <input value={description} onInput={(e) => setDescription((e.target as HTMLInputElement).value)} maxLength={120} />
        </label>
        <label>
          Expires
          <select value={String(days)} onChange={(e) => setDays(Number((e.target as HTMLSelectElement).value))}>
            {EXPIRIES.map((x) => (
              <option key={x.days} value={String(x.days)}>
                {x.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy}>
          New client secret
        </button>
      </form>
      {removing && (
        <Confirm title={`Delete client secret ${str(removing['hint'])}…?`} action="Delete" onConfirm={() => void remove(removing)} onCancel={() => setRemoving(undefined)}>
          <p>Whatever signs in with this secret fails from then on (AADSTS7000215). Tokens it already got work until they expire.</p>
        </Confirm>
      )}
    </section>
  );
}
