import { useState } from 'preact/hooks';
import type { Json } from '../api.js';
import { ErrorBox } from '../components/error-box.js';
import { SystemAssigned } from './identity-system.js';
import { UserAssigned } from './identity-user.js';

/** The Identity blade of a web app, VM or account: the System assigned and User assigned tabs, as Azure's. */
export function IdentityBlade({ resource, onChanged }: { resource: Json; onChanged: () => void }) {
  const [tab, setTab] = useState<'system' | 'user'>('system');
  const [error, setError] = useState<unknown>(undefined);
  return (
    <div class="panel identity-blade">
      <h2 class="visually-hidden">Identity</h2>
      <div class="subtabs" role="group" aria-label="Identity types">
        <button type="button" aria-pressed={tab === 'system'} onClick={() => setTab('system')}>
          System assigned
        </button>
        <button type="button" aria-pressed={tab === 'user'} onClick={() => setTab('user')}>
          User assigned
        </button>
      </div>
      <ErrorBox error={error} />
      {tab === 'system' ? (
        <SystemAssigned resource={resource} onChanged={onChanged} onError={setError} />
      ) : (
        <UserAssigned resource={resource} onChanged={onChanged} onError={setError} />
      )}
    </div>
  );
}
