import { call, str } from '../api.js';
import { CopyButton } from '../components/copy-button.js';
import { ErrorBox } from '../components/error-box.js';
import { useLoad } from '../components/use-load.js';
import { href } from '../router.js';
import { Certificates } from './app-certificates.js';
import { FederatedCredentials } from './app-federated.js';
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
