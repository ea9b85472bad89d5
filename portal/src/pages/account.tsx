import { useState } from 'preact/hooks';
import { API, call, pick, str, type Json } from '../api.js';
import { groupOf, typeLabel } from '../arm.js';
import { Confirm } from '../components/confirm.js';
import { CopyButton } from '../components/copy-button.js';
import { ErrorBox } from '../components/error-box.js';
import { Tabs } from '../components/tabs.js';
import { useAction } from '../components/use-action.js';
import { useLoad } from '../components/use-load.js';
import { href } from '../router.js';
import { apiVersionOf, kindOfType } from '../kinds.js';
import { AccountOverview } from './account-overview.js';
import { HostOverview } from './host-overview.js';
import { Iam } from './iam.js';
import { hasNetworkRules, Networking } from './networking.js';
import { IdentityBlade } from './identity-blade.js';
import { UserIdentityOverview } from './user-identity.js';

/** A resource's blade: an OpenAI account's Overview, Keys and Endpoint, Identity and IAM; a web app's or VM's Overview, Identity and IAM; a user-assigned identity's Overview and IAM. */
export function ResourceBlade({ id, tab }: { id: string; tab: string }) {
  const state = useLoad(() => call('GET', id, apiVersionOf(id)), [id]);
  const resource = state.data;
  const kind = kindOfType(str(resource?.['type']))?.key;
  const link = (tabId: string, label: string) => ({ id: tabId, label, href: href.resource(id, tabId) });
  const tabs =
    kind === 'account'
      ? [
          link('overview', 'Overview'),
          link('keys', 'Keys and Endpoint'),
          ...(resource && hasNetworkRules(resource) ? [link('networking', 'Networking')] : []),
          link('identity', 'Identity'),
          link('iam', 'Access control (IAM)'),
        ]
      : kind === 'site' || kind === 'vm'
        ? [link('overview', 'Overview'), link('identity', 'Identity'), link('iam', 'Access control (IAM)')]
        : kind === 'identity'
          ? [link('overview', 'Overview'), link('iam', 'Access control (IAM)')]
          : [link('iam', 'Access control (IAM)')];
  const current = tabs.some((t) => t.id === tab) ? tab : (tabs[0]?.id ?? 'iam');
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
      {resource && current === 'overview' && kind === 'account' && <AccountOverview account={resource} />}
      {resource && current === 'overview' && (kind === 'site' || kind === 'vm') && <HostOverview resource={resource} />}
      {resource && current === 'overview' && kind === 'identity' && <UserIdentityOverview identity={resource} />}
      {resource && current === 'keys' && <Keys account={resource} />}
      {resource && current === 'networking' && <Networking account={resource} onChanged={state.reload} />}
      {resource && current === 'identity' && <IdentityBlade resource={resource} onChanged={state.reload} />}
      {resource && current === 'iam' && <Iam scope={id} />}
    </section>
  );
}

function Keys({ account }: { account: Json }) {
  const id = str(account['id']);
  const endpoint = str(pick(account, 'properties', 'endpoint'));
  const localAuthOff = pick(account, 'properties', 'disableLocalAuth') === true;
  const keys = useLoad(async () => (localAuthOff ? undefined : call('POST', `${id}/listKeys`, API.cognitive)), [id, localAuthOff]);
  const [shown, setShown] = useState(false);
  const [confirming, setConfirming] = useState<'Key1' | 'Key2' | undefined>(undefined);
  const { error, run } = useAction();
  const [done, setDone] = useState('');
  const regenerate = async (keyName: 'Key1' | 'Key2') => {
    setConfirming(undefined);
    await run(async () => {
      await call('POST', `${id}/regenerateKey`, API.cognitive, { keyName });
      setDone(`${keyName} was regenerated.`);
      keys.reload();
    });
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
