import { str, type Json } from '../api.js';

/** One decision; a denial with an explanation or a fix opens (a disclosure the page keeps open across refreshes). */
export function AuditRow({ record, open, onToggle, principalName }: { record: Json; open: boolean; onToggle: (open: boolean) => void; principalName: string | undefined }) {
  const denied = record['decision'] !== 'allowed';
  const explanation = str(record['explanation']);
  const fix = str(record['fix']);
  const principal = str(record['principalId']);
  const account = str(record['account']).split('/').pop() ?? '';
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
      <td class="small">{account}</td>
      <td class="small">
        {principal !== '' ? (principalName ? `${principalName} (${principal})` : principal) : record['keyName'] ? `key ${str(record['keyName'])}` : ''}
      </td>
      <td>
        {denied && (explanation !== '' || fix !== '') ? (
          <details open={open} onToggle={(e) => onToggle((e.currentTarget as HTMLDetailsElement).open)}>
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

/**
 * A row's key that survives refreshes: new records arrive at the top, so the index from the top moves; the
 * record's own fields, numbered among identical ones from the oldest, do not.
 */
export function recordKeys(records: readonly Json[]): string[] {
  const seen = new Map<string, number>();
  const keys: string[] = new Array<string>(records.length);
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i] ?? {};
    const base = [r['at'], r['requestId'], r['surface'], r['operation'], r['decision'], r['principalId'], r['keyName']].map(str).join('|');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    keys[i] = `${base}#${n}`;
  }
  return keys;
}
