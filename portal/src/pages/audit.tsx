import { useEffect, useState } from 'preact/hooks';
import { API, call, list, str, type Json } from '../api.js';
import { subscriptionId } from '../arm.js';
import { ErrorBox } from '../components/error-box.js';
import { useLoad } from '../components/use-load.js';

type Filter = 'all' | 'allowed' | 'denied';

/** The audit trail (GET …/providers/Keyless/auditRecords, as `keyless audit list`), newest first; a denial opens to its explanation and fix. */
export function Audit() {
  const [filter, setFilter] = useState<Filter>('all');
  const state = useLoad(async () => {
    const sub = await subscriptionId();
    const denied = filter === 'denied' ? '&denied=true' : '';
    return list(await call('GET', `/subscriptions/${sub}/providers/Keyless/auditRecords?top=200${denied}`, API.keyless));
  }, [filter]);
  // Live: refreshed every 5 seconds while the page is shown.
  useEffect(() => {
    const timer = setInterval(() => state.reload(), 5000);
    return () => clearInterval(timer);
  }, [state.reload]);
  const records = (state.data ?? []).filter((r) => filter !== 'allowed' || r['decision'] === 'allowed');
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit</h1>
      <div class="inline-form">
        <label>
          Decision
          <select value={filter} onChange={(e) => setFilter((e.target as HTMLSelectElement).value as Filter)}>
            <option value="all">All</option>
            <option value="allowed">Allowed</option>
            <option value="denied">Denied</option>
          </select>
        </label>
      </div>
      <ErrorBox error={state.error} />
      <table class="audit">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Decision</th>
            <th scope="col">Surface</th>
            <th scope="col">Operation</th>
            <th scope="col">Principal</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {records.map((r, i) => (
            <Row key={`${str(r['at'])}-${i}`} record={r} />
          ))}
        </tbody>
      </table>
      {state.data && records.length === 0 && <p class="muted">No records.</p>}
    </section>
  );
}

function Row({ record }: { record: Json }) {
  const denied = record['decision'] !== 'allowed';
  const explanation = str(record['explanation']);
  const fix = str(record['fix']);
  return (
    <tr class={denied ? 'denied' : ''}>
      <td>{str(record['at']).replace('T', ' ').slice(0, 19)}</td>
      <td>
        <span class={`badge ${denied ? 'badge-denied' : 'badge-allowed'}`}>{str(record['decision'])}</span>
      </td>
      <td>{str(record['surface'])}</td>
      <td>
        <code>{str(record['operation'])}</code>
      </td>
      <td class="small">{str(record['principalId']) || (record['keyName'] ? `key ${str(record['keyName'])}` : '')}</td>
      <td>
        {denied && (explanation !== '' || fix !== '') ? (
          <details>
            <summary>{str(record['reason'])}</summary>
            {explanation !== '' && <p class="explanation">{explanation}</p>}
            {fix !== '' && (
              <p>
                Fix: <code>{fix}</code>
              </p>
            )}
          </details>
        ) : (
          str(record['reason'])
        )}
      </td>
    </tr>
  );
}
