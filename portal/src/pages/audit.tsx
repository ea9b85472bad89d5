import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { API, call, list, str, type Json } from '../api.js';
import { servicePrincipals, subscriptionId } from '../arm.js';
import { ErrorBox } from '../components/error-box.js';
import { useLoad } from '../components/use-load.js';
import { AuditFilters, auditQuery, NO_FILTER, type AuditFilter } from './audit-filters.js';
import { AuditRow, recordKeys } from './audit-row.js';

const REFRESH_MS = 5000;

/**
 * The audit trail (GET …/providers/Keyless/auditRecords, as `keyless audit list`), newest first, filtered by the
 * server. Auto-refresh replaces the rows in place: rows keep their keys, so an opened denial stays open and focus
 * stays where it was; a failed refresh keeps the last rows and shows the error.
 */
export function Audit() {
  const [filter, setFilter] = useState<AuditFilter>(NO_FILTER);
  const [auto, setAuto] = useState(true);
  const [records, setRecords] = useState<Json[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [updated, setUpdated] = useState('');
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const generation = useRef(0);
  const loadedQuery = useRef<string | undefined>(undefined);
  const options = useLoad(async () => {
    const sub = await subscriptionId();
    const [principals, accounts] = await Promise.all([
      servicePrincipals(),
      call('GET', `/subscriptions/${sub}/resources?$filter=${encodeURIComponent("resourceType eq 'Microsoft.CognitiveServices/accounts'")}`, API.groups),
    ]);
    return { principals, accounts: list(accounts) };
  }, []);

  const query = auditQuery(filter);
  useEffect(() => {
    // An answer for an older filter that arrives late is dropped.
    const mine = ++generation.current;
    const load = async () => {
      try {
        const sub = await subscriptionId();
        const answer = list(await call('GET', `/subscriptions/${sub}/providers/Keyless/auditRecords?${query}`, API.keyless));
        if (mine !== generation.current) return;
        setRecords(answer);
        setError(undefined);
        setUpdated(new Date().toLocaleTimeString());
      } catch (e) {
        if (mine === generation.current) setError(e);
      }
    };
    // Turning auto-refresh off loads nothing: the rows stay as they were when it was switched off.
    if (auto || loadedQuery.current !== query) void load();
    loadedQuery.current = query;
    if (!auto) return undefined;
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [query, auto]);

  const names = useMemo(() => new Map((options.data?.principals ?? []).map((p) => [str(p['id']).toLowerCase(), str(p['displayName'])])), [options.data]);
  const keys = recordKeys(records ?? []);
  const toggle = (key: string, now: boolean) =>
    setOpen((was) => {
      if (was.has(key) === now) return was;
      const next = new Set(was);
      if (now) next.add(key);
      else next.delete(key);
      return next;
    });
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit</h1>
      <form class="inline-form" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <AuditFilters filter={filter} onChange={setFilter} principals={options.data?.principals ?? []} accounts={options.data?.accounts ?? []} />
        <label class="checkbox">
          <input type="checkbox" checked={auto} onChange={(e) => setAuto((e.target as HTMLInputElement).checked)} />
          Auto-refresh (every 5 s)
        </label>
      </form>
      <p class="muted small">{updated === '' ? 'Loading…' : `Updated ${updated}${auto ? '' : ' (auto-refresh off)'}.`}</p>
      <ErrorBox error={options.error ?? error} />
      <table class="audit">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Decision</th>
            <th scope="col">Surface</th>
            <th scope="col">Operation</th>
            <th scope="col">Account</th>
            <th scope="col">Principal</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {(records ?? []).map((r, i) => {
            const key = keys[i] ?? String(i);
            return <AuditRow key={key} record={r} open={open.has(key)} onToggle={(now) => toggle(key, now)} principalName={names.get(str(r['principalId']).toLowerCase())} />;
          })}
        </tbody>
      </table>
      {records && records.length === 0 && <p class="muted">No records.</p>}
    </section>
  );
}
