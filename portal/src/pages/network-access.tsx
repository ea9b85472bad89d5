import { useState } from 'preact/hooks';
import { API, call, pick, str, type Json } from '../api.js';
import { Confirm } from '../components/confirm.js';
import { ErrorBox } from '../components/error-box.js';
import { useAction } from '../components/use-action.js';

type Access = 'all' | 'selected' | 'disabled';

const LABELS: Record<Access, string> = { all: 'All networks', selected: 'Selected networks and IP addresses', disabled: 'Disabled' };

/** What each choice does to callers, said in the confirmation before it is saved. */
const EFFECT: Record<Access, string> = {
  all: 'Every address may call the account again (keys and tokens are still checked); the IP rules are kept but no longer restrict anyone.',
  selected: 'Only addresses in the IP rules may call; every other caller is refused with 403 from the next request on.',
  disabled: 'Every caller is refused with 403 from the next request on (Keyless has no private endpoints to reach it otherwise).',
};

function accessOf(account: Json): Access {
  if (pick(account, 'properties', 'publicNetworkAccess') === 'Disabled') return 'disabled';
  return str(pick(account, 'properties', 'networkAcls', 'defaultAction')) === 'Deny' ? 'selected' : 'all';
}

/**
 * Azure's "Allow access from" choice: all networks (default action Allow), selected networks (Deny, the IP rules
 * admit), or disabled (public network access off). Saved with the PATCH `keyless openai update
 * --public-network-access … --default-action …` sends, networkAcls written whole with the rules kept.
 */
export function NetworkAccess({ account, onChanged }: { account: Json; onChanged: () => void }) {
  const id = str(account['id']);
  const current = accessOf(account);
  const [chosen, setChosen] = useState<Access>(current);
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useAction();
  const acls = (pick(account, 'properties', 'networkAcls') as Json | undefined) ?? {};
  const save = () =>
    run(async () => {
      setConfirming(false);
      const properties: Json = { publicNetworkAccess: chosen === 'disabled' ? 'Disabled' : 'Enabled' };
      if (chosen !== 'disabled') {
        properties['networkAcls'] = {
          defaultAction: chosen === 'selected' ? 'Deny' : 'Allow',
          ...(acls['bypass'] === undefined ? {} : { bypass: acls['bypass'] }),
          ipRules: acls['ipRules'] ?? [],
          virtualNetworkRules: [],
        };
      }
      await call('PATCH', id, API.cognitive, { properties });
      onChanged();
    });
  return (
    <form
      class="network-access"
      aria-label="Allow access from"
      onSubmit={(e) => {
        e.preventDefault();
        setConfirming(true);
      }}
    >
      <ErrorBox error={error} />
      <fieldset>
        <legend>Allow access from</legend>
        {(Object.keys(LABELS) as Access[]).map((a) => (
          <label class="check" key={a}>
            <input type="radio" name="network-access" value={a} checked={chosen === a} onChange={() => setChosen(a)} />
            {LABELS[a]}
          </label>
        ))}
      </fieldset>
      <button type="submit" class="primary" disabled={busy || chosen === current}>
        Save
      </button>
      {confirming && (
        <Confirm title={`Allow access from: ${LABELS[chosen]}?`} action="Save" onConfirm={() => void save()} onCancel={() => setConfirming(false)}>
          <p>{EFFECT[chosen]}</p>
        </Confirm>
      )}
    </form>
  );
}
