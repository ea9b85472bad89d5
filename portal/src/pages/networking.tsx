import { useState } from 'preact/hooks';
import { API, call, pick, str, type Json } from '../api.js';
import { ActionsHeader } from '../components/actions-header.js';
import { Confirm } from '../components/confirm.js';
import { ErrorBox } from '../components/error-box.js';
import { useAction } from '../components/use-action.js';
import { NetworkAccess } from './network-access.js';

/** Whether the account has network rules, the condition for its Networking blade. */
export function hasNetworkRules(account: Json): boolean {
  return pick(account, 'properties', 'networkAcls') !== undefined || pick(account, 'properties', 'publicNetworkAccess') === 'Disabled';
}

const rulesOf = (acls: Json | undefined, key: string): Json[] => ((acls?.[key] as Json[] | undefined) ?? []);

/**
 * Networking: public network access, the default action, IP and virtual network rules. Where access comes from
 * is chosen in NetworkAccess; IP rules are added and removed with the PATCH `keyless openai network-rule
 * add|remove` sends (networkAcls written whole).
 */
export function Networking({ account, onChanged }: { account: Json; onChanged: () => void }) {
  const id = str(account['id']);
  const acls = pick(account, 'properties', 'networkAcls') as Json | undefined;
  const publicAccess = str(pick(account, 'properties', 'publicNetworkAccess')) || 'Enabled';
  const defaultAction = str(acls?.['defaultAction']) || 'Allow';
  const ipRules = rulesOf(acls, 'ipRules');
  const vnetRules = rulesOf(acls, 'virtualNetworkRules');
  const [address, setAddress] = useState('');
  const [removing, setRemoving] = useState<string | undefined>(undefined);
  const { busy, error, run } = useAction();

  const write = (rules: Json[]) =>
    run(async () => {
      // As the CLI: rules without a default action are made Deny, or the new rule would change nothing.
      const networkAcls = { defaultAction: acls?.['defaultAction'] ?? 'Deny', ...(acls?.['bypass'] === undefined ? {} : { bypass: acls['bypass'] }), ipRules: rules, virtualNetworkRules: [] };
      await call('PATCH', id, API.cognitive, { properties: { networkAcls } });
      setAddress('');
      onChanged();
    });
  const add = (event: Event) => {
    event.preventDefault();
    void write([...ipRules, { value: address.trim() }]);
  };
  const remove = (value: string) => {
    setRemoving(undefined);
    void write(ipRules.filter((r) => r['value'] !== value));
  };
  return (
    <div class="panel networking">
      <ErrorBox error={error} />
      <dl class="facts">
        <dt>Public network access</dt>
        <dd>{publicAccess === 'Disabled' ? 'Disabled: every caller is refused (Keyless has no private endpoints)' : 'Enabled'}</dd>
        <dt>Allow access from</dt>
        <dd>{acls === undefined || defaultAction === 'Allow' ? 'All networks' : 'Selected networks and IP addresses'}</dd>
        <dt>Default action</dt>
        <dd>{defaultAction}</dd>
        {acls?.['bypass'] !== undefined && (
          <>
            <dt>Bypass</dt>
            <dd>{str(acls['bypass'])}</dd>
          </>
        )}
      </dl>
      <NetworkAccess account={account} onChanged={onChanged} />
      <table class="ip-rules">
        <caption>Firewall: IP rules ({ipRules.length})</caption>
        <thead>
          <tr>
            <th scope="col">Address range</th>
            <ActionsHeader />
          </tr>
        </thead>
        <tbody>
          {ipRules.length === 0 && (
            <tr>
              <td colSpan={2} class="muted">
                No IP rules.
              </td>
            </tr>
          )}
          {ipRules.map((r) => (
            <tr key={str(r['value'])}>
              <td>
                <code>{str(r['value'])}</code>
              </td>
              <td>
                <button type="button" class="danger" disabled={busy} onClick={() => setRemoving(str(r['value']))} aria-label={`Remove IP rule ${str(r['value'])}`}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="inline-form" onSubmit={add} aria-label="Add an IP rule">
        <label>
          IP address or CIDR range
          <input value={address} onInput={(e) => setAddress((e.target as HTMLInputElement).value)} placeholder="203.0.113.0/24" required />
        </label>
        <button type="submit" disabled={busy || address.trim() === ''}>
          Add IP rule
        </button>
      </form>
      <table class="vnet-rules">
        <caption>Virtual network rules ({vnetRules.length})</caption>
        <thead>
          <tr>
            <th scope="col">Subnet</th>
          </tr>
        </thead>
        <tbody>
          {vnetRules.length === 0 ? (
            <tr>
              <td class="muted">No virtual network rules (Keyless has no virtual networks).</td>
            </tr>
          ) : (
            vnetRules.map((r) => (
              <tr key={str(r['id'])}>
                <td>
                  <code>{str(r['id'])}</code>
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      {removing !== undefined && (
        <Confirm title={`Remove IP rule ${removing}?`} action="Remove" onConfirm={() => remove(removing)} onCancel={() => setRemoving(undefined)}>
          <p>
            {defaultAction === 'Deny'
              ? `Callers from ${removing} are refused with 403 from the next request on, unless another rule admits them.`
              : 'The default action is Allow, so removing this rule changes no caller’s access.'}
          </p>
        </Confirm>
      )}
    </div>
  );
}
