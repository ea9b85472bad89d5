import { useState } from 'preact/hooks';
import { API, call, list, pick, str, type Json } from '../api.js';
import { groupOf, typeLabel } from '../arm.js';
import { Confirm } from '../components/confirm.js';
import { CopyButton } from '../components/copy-button.js';
import { ErrorBox } from '../components/error-box.js';
import { Tabs } from '../components/tabs.js';
import { useLoad } from '../components/use-load.js';
import { href } from '../router.js';
import { Iam } from './iam.js';
import { hasNetworkRules, Networking } from './networking.js';

const COGNITIVE = 'microsoft.cognitiveservices/accounts';

/** A resource's blade: an OpenAI account's Overview, Keys and Endpoint and IAM; any other resource's IAM. */
export function ResourceBlade({ id, tab }: { id: string; tab: string }) {
  const state = useLoad(() => call('GET', id, API.cognitive), [id]);
  const resource = state.data;
  const isAccount = str(resource?.['type']).toLowerCase() === COGNITIVE;
  const tabs = isAccount
    ? [
        { id: 'overview', label: 'Overview', href: href.resource(id, 'overview') },
        { id: 'keys', label: 'Keys and Endpoint', href: href.resource(id, 'keys') },
        ...(resource && hasNetworkRules(resource) ? [{ id: 'networking', label: 'Networking', href: href.resource(id, 'networking') }] : []),
        { id: 'iam', label: 'Access control (IAM)', href: href.resource(id, 'iam') },
      ]
    : [{ id: 'iam', label: 'Access control (IAM)', href: href.resource(id, 'iam') }];
  const current = isAccount ? tab : 'iam';
  return (
    <section aria-labelledby="blade-title">
      <p class="breadcrumb">
        <a href={href.home()}>Home</a> › {groupOf(id)}
      </p>
      <h1 id="blade-title">
        {str(resource?.['name'] ?? id.split('/').pop())} <span class="muted">{resource ? typeLabel(str(resource['type'])).label : ''}</span>
      </h1>
      <ErrorBox error={state.error} />
      {resource && <Tabs tabs={tabs} current={current} />}
      {resource && current === 'overview' && <Overview account={resource} />}
      {resource && current === 'keys' && <Keys account={resource} />}
      {resource && current === 'networking' && <Networking account={resource} onChanged={state.reload} />}
      {resource && current === 'iam' && <Iam scope={id} />}
    </section>
  );
}

function Overview({ account }: { account: Json }) {
  const id = str(account['id']);
  const endpoint = str(pick(account, 'properties', 'endpoint'));
  const deployments = useLoad(async () => list(await call('GET', `${id}/deployments`, API.cognitive)), [id]);
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
      <ErrorBox error={deployments.error} />
      {deployments.data && deployments.data.length === 0 && <p class="muted">No deployments.</p>}
      {deployments.data && deployments.data.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Model</th>
              <th scope="col">Version</th>
              <th scope="col">SKU</th>
              <th scope="col">Capacity</th>
            </tr>
          </thead>
          <tbody>
            {deployments.data.map((d) => (
              <tr key={str(d['name'])}>
                <td>{str(d['name'])}</td>
                <td>{str(pick(d, 'properties', 'model', 'name'))}</td>
                <td>{str(pick(d, 'properties', 'model', 'version'))}</td>
                <td>{str(pick(d, 'sku', 'name'))}</td>
                <td>{str(pick(d, 'sku', 'capacity'))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Keys({ account }: { account: Json }) {
  const id = str(account['id']);
  const endpoint = str(pick(account, 'properties', 'endpoint'));
  const localAuthOff = pick(account, 'properties', 'disableLocalAuth') === true;
  const keys = useLoad(async () => (localAuthOff ? undefined : call('POST', `${id}/listKeys`, API.cognitive)), [id, localAuthOff]);
  const [shown, setShown] = useState(false);
  const [confirming, setConfirming] = useState<'Key1' | 'Key2' | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState('');
  const regenerate = async (keyName: 'Key1' | 'Key2') => {
    setConfirming(undefined);
    setError(undefined);
    try {
      await call('POST', `${id}/regenerateKey`, API.cognitive, { keyName });
      setDone(`${keyName} was regenerated.`);
      keys.reload();
    } catch (e) {
      setError(e);
    }
  };
  if (localAuthOff) {
    return (
      <div class="panel">
        <div class="notice" role="note">
          <strong>Keys are unavailable.</strong> Local authentication is disabled for this resource (<code>disableLocalAuth</code> is on), so API keys can't be used to call it.
          Apps must authenticate with Microsoft Entra ID: a managed identity or an application, given a role such as <em>Cognitive Services OpenAI User</em> in Access control (IAM).
        </div>
        <dl class="facts">
          <dt>Endpoint</dt>
          <dd>
            <code>{endpoint}</code> <CopyButton value={endpoint} label="endpoint" />
          </dd>
        </dl>
      </div>
    );
  }
  const rows: { name: 'Key1' | 'Key2'; label: string; value: string }[] = [
    { name: 'Key1', label: 'KEY 1', value: str(keys.data?.['key1']) },
    { name: 'Key2', label: 'KEY 2', value: str(keys.data?.['key2']) },
  ];
  return (
    <div class="panel">
      <p class="muted">These keys are used to access your Azure OpenAI service API. Do not share your keys. Store them securely; regenerate them regularly, one at a time.</p>
      <ErrorBox error={keys.error ?? error} />
      <p role="status">{done}</p>
      <button type="button" onClick={() => setShown(!shown)} aria-pressed={shown}>
        {shown ? 'Hide keys' : 'Show keys'}
      </button>
      <dl class="facts keys">
        {rows.map((k) => (
          <>
            <dt key={`${k.name}-t`} id={`${k.name}-label`}>
              {k.label}
            </dt>
            <dd key={`${k.name}-d`}>
              <code aria-labelledby={`${k.name}-label`} data-key={k.name}>
                {shown ? k.value : '•'.repeat(32)}
              </code>{' '}
              <CopyButton value={k.value} label={k.label} />{' '}
              <button type="button" onClick={() => setConfirming(k.name)}>
                Regenerate {k.label}
              </button>
            </dd>
          </>
        ))}
        <dt>Location/Region</dt>
        <dd>{str(account['location'])}</dd>
        <dt>Endpoint</dt>
        <dd>
          <code>{endpoint}</code> <CopyButton value={endpoint} label="endpoint" />
        </dd>
      </dl>
      {confirming !== undefined && (
        <Confirm title={`Regenerate ${confirming === 'Key1' ? 'KEY 1' : 'KEY 2'}?`} action="Regenerate" onConfirm={() => void regenerate(confirming)} onCancel={() => setConfirming(undefined)}>
          <p>
            The current {confirming === 'Key1' ? 'KEY 1' : 'KEY 2'} stops working at once: every app, script and tool that sends it gets <strong>401</strong> from the data plane until it
            is given the new value. Move callers to the other key first.
          </p>
        </Confirm>
      )}
    </div>
  );
}
