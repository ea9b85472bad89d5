import { str, type Json } from '../api.js';

export interface AuditFilter {
  decision: '' | 'allowed' | 'denied';
  surface: string;
  principalId: string;
  account: string;
}

export const NO_FILTER: AuditFilter = { decision: '', surface: '', principalId: '', account: '' };

const SURFACES = ['openai', 'identity', 'entra', 'arm', 'graph', 'drill'];

/** The audit API's query for a filter (docs/how-to/understand-access.md, "Narrowing the audit"): the server narrows, so the newest 200 are all matches. */
export function auditQuery(f: AuditFilter): string {
  const q = new URLSearchParams({ top: '200' });
  if (f.decision === 'denied') q.set('denied', 'true');
  if (f.decision === 'allowed') q.set('decision', 'allowed');
  if (f.surface !== '') q.set('surface', f.surface);
  if (f.principalId !== '') q.set('principalId', f.principalId);
  if (f.account !== '') q.set('account', f.account);
  return q.toString();
}

/** The filter controls: each a labelled select; principals and accounts are those the subscription has now. */
export function AuditFilters({ filter, onChange, principals, accounts }: { filter: AuditFilter; onChange: (f: AuditFilter) => void; principals: readonly Json[]; accounts: readonly Json[] }) {
  const set = (key: keyof AuditFilter) => (e: Event) => onChange({ ...filter, [key]: (e.target as HTMLSelectElement).value });
  return (
    <>
      <label>
        Decision
        <select value={filter.decision} onChange={set('decision')}>
          <option value="">All</option>
          <option value="allowed">Allowed</option>
          <option value="denied">Denied</option>
        </select>
      </label>
      <label>
        Surface
        <select value={filter.surface} onChange={set('surface')}>
          <option value="">All</option>
          {SURFACES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Principal
        <select value={filter.principalId} onChange={set('principalId')}>
          <option value="">All</option>
          {[...principals]
            .sort((a, b) => str(a['displayName']).localeCompare(str(b['displayName'])))
            .map((p) => (
              <option key={str(p['id'])} value={str(p['id'])}>
                {str(p['displayName'])} ({str(p['id'])})
              </option>
            ))}
        </select>
      </label>
      <label>
        Account
        <select value={filter.account} onChange={set('account')}>
          <option value="">All</option>
          {accounts.map((a) => (
            <option key={str(a['id'])} value={str(a['id'])}>
              {str(a['name'])}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}
