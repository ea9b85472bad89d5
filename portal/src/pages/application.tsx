import { call, str } from '../api.js';
import { CopyButton } from '../components/copy-button.js';
import { ErrorBox } from '../components/error-box.js';
import { useLoad } from '../components/use-load.js';
import { href } from '../router.js';
import { signedInClientId } from '../session.js';
import { Certificates } from './app-certificates.js';
import { FederatedCredentials } from './federated-credentials.js';
import { Secrets } from './app-secrets.js';

/** One app registration (Graph GET /v1.0/applications/{id}): its ids, then Certificates & secrets and Federated credentials, as Azure's blade. */
export function Application({ objectId }: { objectId: string }) {
  const state = useLoad(() => call('GET', `/v1.0/applications/${encodeURIComponent(objectId)}`, undefined), [objectId]);
  const app = state.data;
  return (
    <section aria-labelledby="app-title">
      <p class="breadcrumb">
        <a href={href.applications()}>App registrations</a>
      </p>
      <h1 id="app-title">{app ? str(app['displayName']) : 'Application'}</h1>
      <ErrorBox error={state.error} />
      {app && (
        <>
          {str(app['appId']) === signedInClientId() && (
            <div class="notice" role="note">
              This is Keyless's admin application: the principal the CLI and this session sign in as. Graph refuses to change or delete it, since Keyless could not be run without it.
            </div>
          )}
          <dl class="facts panel">
            <dt>Application (client) ID</dt>
            <dd>
              <code>{str(app['appId'])}</code> <CopyButton value={str(app['appId'])} label="application (client) ID" />
            </dd>
            <dt>Object ID</dt>
            <dd>
              <code>{str(app['id'])}</code>
            </dd>
            <dt>Created</dt>
            <dd>{str(app['createdDateTime']).replace('T', ' ').slice(0, 19)}</dd>
          </dl>
          <Secrets app={app} onChange={state.reload} />
          <Certificates app={app} onChange={state.reload} />
          <FederatedCredentials objectId={objectId} />
        </>
      )}
    </section>
  );
}
