import { useState } from 'preact/hooks';
import { API, call, list, pick, str, type Json } from '../api.js';
import { ActionsHeader } from '../components/actions-header.js';
import { Confirm } from '../components/confirm.js';
import { CopyButton } from '../components/copy-button.js';
import { ErrorBox } from '../components/error-box.js';
import { useAction } from '../components/use-action.js';
import { useLoad } from '../components/use-load.js';
import { deleteAndWait } from '../long-running.js';
import { capacityMeaning, CreateDeployment } from './create-deployment.js';

/** An account's Overview: endpoint, tier, key access; its deployments (model, capacity and what it allows, upstream), created and deleted here. */
export function AccountOverview({ account }: { account: Json }) {
  const id = str(account['id']);
  const endpoint = str(pick(account, 'properties', 'endpoint'));
  const deployments = useLoad(async () => list(await call('GET', `${id}/deployments`, API.cognitive)), [id]);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<string | undefined>(undefined);
  const { error, run } = useAction();
  const remove = async (name: string) => {
    setDeleting(undefined);
    await run(async () => {
      await deleteAndWait(`${id}/deployments/${encodeURIComponent(name)}`, API.cognitive);
      deployments.reload();
    });
  };
  return (
    <div class="panel">
      <dl class="facts">
        <dt>Endpoint</dt>
        <dd>
          <code>{endpoint}</code> <CopyButton value={endpoint} label="endpoint" />
        </dd>
        <dt>Location</dt>
        <dd>{str(account['location'])}</dd>
        <dt>Pricing tier</dt>
        <dd>{str(pick(account, 'sku', 'name'))}</dd>
        <dt>Local authentication (keys)</dt>
        <dd>{pick(account, 'properties', 'disableLocalAuth') === true ? 'Disabled' : 'Enabled'}</dd>
      </dl>
      <h2>Deployments</h2>
      <ErrorBox error={deployments.error ?? error} />
      <button type="button" aria-expanded={adding} onClick={() => setAdding(!adding)}>
        + Create deployment
      </button>
      {adding && (
        <CreateDeployment accountId={id} onCreated={deployments.reload} onClose={() => setAdding(false)} />
      )}
      {deployments.data && deployments.data.length === 0 && <p class="muted">No deployments.</p>}
      {deployments.data && deployments.data.length > 0 && (
        <table class="deployments">
          <caption class="visually-hidden">Deployments</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Model</th>
              <th scope="col">Version</th>
              <th scope="col">Deployment type</th>
              <th scope="col">Capacity (quota)</th>
              <th scope="col">Upstream</th>
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            {deployments.data.map((d) => {
              const name = str(d['name']);
              const capacity = Number(pick(d, 'sku', 'capacity'));
              return (
                <tr key={name}>
                  <td>{name}</td>
                  <td>{str(pick(d, 'properties', 'model', 'name'))}</td>
                  <td>{str(pick(d, 'properties', 'model', 'version'))}</td>
                  <td>{str(pick(d, 'sku', 'name'))}</td>
                  <td>
                    {Number.isFinite(capacity) ? (
                      <>
                        {capacity.toLocaleString('en-US')} <span class="muted small">({capacityMeaning(capacity)})</span>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>
                    <Upstream deployment={d} />
                  </td>
                  <td>
                    <button type="button" class="danger" onClick={() => setDeleting(name)} aria-label={`Delete deployment ${name}`}>
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
        <Confirm title={`Delete deployment ${deleting}?`} action="Delete" onConfirm={() => void remove(deleting)} onCancel={() => setDeleting(undefined)}>
          <p>
            Calls to <code>/openai/deployments/{deleting}</code> fail with <strong>404 DeploymentNotFound</strong> at once, and its quota is given back.
          </p>
        </Confirm>
      )}
    </div>
  );
}

/** Where the deployment's calls go: Keyless's simulator, or an upstream (its URL, model and whether it holds a key, never the key). */
function Upstream({ deployment }: { deployment: Json }) {
  const upstream = pick(deployment, 'properties', 'upstream');
  if (typeof upstream !== 'object' || upstream === null) return <span class="muted">Simulator</span>;
  const model = str(pick(upstream, 'model'));
  return (
    <span>
      <code>{str(pick(upstream, 'url'))}</code>
      {model !== '' && <> · model {model}</>}
      {' · '}
      {pick(upstream, 'hasKey') === true ? 'with a key' : 'no key'}
    </span>
  );
}
