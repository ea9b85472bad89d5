import { useRef, useState } from 'preact/hooks';
import { API, call, list, str, type Json } from '../api.js';
import { subscriptionId } from '../arm.js';
import { ErrorBox } from '../components/error-box.js';
import { useLoad } from '../components/use-load.js';
import { FindingCard } from './posture-finding.js';

const SEVERITIES = [
  { id: 'high', label: 'High', hint: 'access someone could use or gain today' },
  { id: 'medium', label: 'Medium', hint: 'a standing weakness' },
  { id: 'low', label: 'Low', hint: 'hygiene' },
] as const;

/** `keyless posture` (GET …/providers/Keyless/posture): findings by severity, each with why, the fix commands, and a Fix button when the fix is one call. */
export function Posture() {
  const state = useLoad(async () => {
    const sub = await subscriptionId();
    return call('GET', `/subscriptions/${sub}/providers/Keyless/posture`, API.keyless);
  }, []);
  const [done, setDone] = useState('');
  const title = useRef<HTMLHeadingElement>(null);
  const findings = state.data ? list(state.data) : [];
  // The fixed finding's card is gone after the refresh: focus goes to the page's heading, and the status says what changed.
  const onFixed = (what: string) => {
    setDone(what);
    state.reload();
    title.current?.focus();
  };
  return (
    <section aria-labelledby="posture-title">
      <h1 id="posture-title" tabIndex={-1} ref={title}>
        Posture
      </h1>
      <p class="muted">
        What is loose in the subscription, as <code>keyless posture</code> reports it
        {state.data ? `, at ${str(state.data['generatedAt']).replace('T', ' ').slice(0, 19)} UTC` : ''}.{' '}
        <button type="button" onClick={() => state.reload()} disabled={state.loading}>
          Refresh
        </button>
      </p>
      <p role="status">{done}</p>
      <ErrorBox error={state.error} />
      {state.data && findings.length === 0 && <p>No findings.</p>}
      {state.data &&
        SEVERITIES.map((s) => {
          const of = findings.filter((f) => f['severity'] === s.id);
          if (of.length === 0) return null;
          return (
            <section key={s.id} aria-labelledby={`severity-${s.id}`} class={`severity severity-${s.id}`}>
              <h2 id={`severity-${s.id}`}>
                {s.label} ({of.length}) <span class="muted small">{s.hint}</span>
              </h2>
              <ul class="findings">
                {of.map((f, i) => (
                  <li key={findingKey(f, i)}>
                    <FindingCard finding={f} id={`finding-${s.id}-${i}`} onFixed={onFixed} />
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
    </section>
  );
}

/** Several findings share a code and a resource (key1 and key2 of one account): the summary tells them apart. */
function findingKey(f: Json, i: number): string {
  return `${str(f['code'])}|${str(f['resource'])}|${str(f['summary'])}|${i}`;
}
