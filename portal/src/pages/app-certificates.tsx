import { useState } from 'preact/hooks';
import { call, str, type Json } from '../api.js';
import { ActionsHeader } from '../components/actions-header.js';
import { Confirm } from '../components/confirm.js';
import { ErrorBox } from '../components/error-box.js';
import { useAction } from '../components/use-action.js';
import { certificateBase64 } from '../pem.js';
import { day, expired } from './credential-dates.js';

/**
 * Certificates (Graph PATCH /v1.0/applications/{id} with keyCredentials, which replaces the list): an upload
 * sends the registered ones by keyId plus the new one; a removal sends the others.
 */
export function Certificates({ app, onChange }: { app: Json; onChange: () => void }) {
  const path = `/v1.0/applications/${encodeURIComponent(str(app['id']))}`;
  const certificates = Array.isArray(app['keyCredentials']) ? (app['keyCredentials'] as Json[]) : [];
  const keep = (except?: string) => certificates.map((c) => str(c['keyId'])).filter((k) => k !== except).map((keyId) => ({ keyId }));
  const [file, setFile] = useState<File | undefined>(undefined);
  const [description, setDescription] = useState('');
  const [removing, setRemoving] = useState<Json | undefined>(undefined);
  const { busy, error, run } = useAction();

  const upload = async (event: Event) => {
    event.preventDefault();
    if (file === undefined) return;
    await run(async () => {
      const key = certificateBase64(new Uint8Array(await file.arrayBuffer()));
      const entry: Json = { type: 'AsymmetricX509Cert', usage: 'Verify', key };
      if (description.trim() !== '') entry['displayName'] = description.trim();
      await call('PATCH', path, undefined, { keyCredentials: [...keep(), entry] });
      setFile(undefined);
      setDescription('');
      (event.target as HTMLFormElement).reset();
      onChange();
    });
  };
  const remove = async (certificate: Json) => {
    setRemoving(undefined);
    await run(
      async () => {
        await call('PATCH', path, undefined, { keyCredentials: keep(str(certificate['keyId'])) });
        onChange();
      },
      { busy: false },
    );
  };
  return (
    <section aria-labelledby="certificates-title" class="panel">
      <h2 id="certificates-title">Certificates</h2>
      <p class="muted">The app signs a client assertion with the certificate's private key, which never leaves where it runs; only the certificate is uploaded.</p>
      <ErrorBox error={error} />
      {certificates.length === 0 ? (
        <p class="muted">No certificates.</p>
      ) : (
        <table class="certificates">
          <thead>
            <tr>
              <th scope="col">Thumbprint</th>
              <th scope="col">Description</th>
              <th scope="col">Start</th>
              <th scope="col">Expires</th>
              <th scope="col">Certificate ID</th>
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            {certificates.map((c) => (
              <tr key={str(c['keyId'])}>
                <td>
                  <code>{str(c['customKeyIdentifier'])}</code>
                </td>
                <td>{str(c['displayName'])}</td>
                <td>{day(c['startDateTime'])}</td>
                <td>
                  {day(c['endDateTime'])} {expired(c) && <span class="badge badge-denied">Expired</span>}
                </td>
                <td>
                  <code>{str(c['keyId'])}</code>
                </td>
                <td>
                  <button type="button" class="danger" onClick={() => setRemoving(c)} aria-label={`Delete certificate ${str(c['customKeyIdentifier'])}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form class="inline-form" onSubmit={(e) => void upload(e)} aria-label="Upload a certificate">
        <label>
          Certificate file (.pem, .cer, .crt)
          <input type="file" accept=".pem,.cer,.crt" onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0])} required />
        </label>
        <label>
          Description
          <input value={description} onInput={(e) => setDescription((e.target as HTMLInputElement).value)} maxLength={120} />
        </label>
        <button type="submit" disabled={busy || file === undefined}>
          Upload certificate
        </button>
      </form>
      {removing && (
        <Confirm title={`Delete certificate ${str(removing['customKeyIdentifier'])}?`} action="Delete" onConfirm={() => void remove(removing)} onCancel={() => setRemoving(undefined)}>
          <p>Client assertions signed with this certificate's key are refused from then on: an app that signs in with it fails until given another credential.</p>
        </Confirm>
      )}
    </section>
  );
}
