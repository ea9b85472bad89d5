import { useState } from 'preact/hooks';
import { call, pick, str, type Json } from '../api.js';
import { Confirm } from '../components/confirm.js';
import { CopyButton } from '../components/copy-button.js';
import { ErrorBox } from '../components/error-box.js';
import { useAction } from '../components/use-action.js';
import { href } from '../router.js';

/** The one API call a finding's `action` describes (docs/how-to/posture-and-leak-drills.md); sent with the session's own token. */
interface FixAction {
  id: string;
  method: string;
  path: string;
  apiVersion: string | null;
  body?: unknown;
  summary: string;
}

function actionOf(finding: Json): FixAction | undefined {
  const a = finding['action'];
  if (typeof a !== 'object' || a === null) return undefined;
  const method = pick(a, 'method');
  const path = pick(a, 'path');
  if (typeof method !== 'string' || typeof path !== 'string') return undefined;
  const apiVersion = pick(a, 'apiVersion');
  return { id: str(pick(a, 'id')), method, path, apiVersion: typeof apiVersion === 'string' ? apiVersion : null, body: pick(a, 'body'), summary: str(pick(a, 'summary')) };
}

/** One finding: what, why, the fix commands (copyable), and Apply fix after a confirmation when the fix is one call. */
export function FindingCard({ finding, id, onFixed }: { finding: Json; id: string; onFixed: (what: string) => void }) {
  const action = actionOf(finding);
  const fix = Array.isArray(finding['fix']) ? (finding['fix'] as unknown[]).map(str) : [];
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useAction();
  const code = str(finding['code']);
  const apply = async (a: FixAction) => {
    setConfirming(false);
    await run(async () => {
      await call(a.method, a.path, a.apiVersion ?? undefined, a.body);
      onFixed(`Fixed ${code}: ${a.summary}`);
    });
  };
  return (
    <article class="finding" aria-labelledby={`${id}-title`} data-code={code}>
      <h3 id={`${id}-title`}>
        <span class={`badge badge-${str(finding['severity'])}`}>{str(finding['severity'])}</span> {code}
      </h3>
      <p id={`${id}-summary`}>{str(finding['summary'])}</p>
      <p class="small">
        Resource: <ResourceRef id={str(finding['resource'])} />
      </p>
      <p class="explanation">
        <strong>Why it matters: </strong>
        {str(finding['why'])}
      </p>
      {fix.length > 0 && (
        <div>
          <strong>Fix{fix.length > 1 ? ' (in order)' : ''}:</strong>
          <ol class="fix-commands">
            {fix.map((c, i) => (
              <li key={i}>
                <code>{c}</code> <CopyButton value={c} label={`fix command ${i + 1} of ${code}`} />
              </li>
            ))}
          </ol>
        </div>
      )}
      <ErrorBox error={error} />
      {action && (
        <button type="button" class="danger" onClick={() => setConfirming(true)} disabled={busy} aria-describedby={`${id}-summary`}>
          {busy ? 'Applying…' : 'Apply fix'}
        </button>
      )}
      {action && (
        <span class="muted small">
          {' '}
          or <code>keyless posture --fix {action.id}</code>
        </span>
      )}
      {action && confirming && (
        <Confirm title={`Apply the fix for ${code}?`} action="Apply fix" onConfirm={() => void apply(action)} onCancel={() => setConfirming(false)}>
          <p>{action.summary}</p>
          <p class="small">
            The portal sends <code>{`${action.method} ${action.path}`}</code> with your session's token, as <code>{fix[0] ?? ''}</code> would.
          </p>
        </Confirm>
      )}
    </article>
  );
}

/** A finding's resource, linked where the portal has a blade: a role assignment to its scope's IAM, any other ARM resource to its own. */
function ResourceRef({ id }: { id: string }) {
  const assignment = /^(\/subscriptions\/.+?)\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/i.exec(id);
  if (assignment?.[1]) {
    return (
      <>
        <code>{id}</code> (<a href={href.iam(assignment[1])}>Access control (IAM) of its scope</a>)
      </>
    );
  }
  if (/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/[^/]+\/[^/]+\/[^/]+$/i.test(id)) {
    return (
      <a href={href.resource(id)}>
        <code>{id}</code>
      </a>
    );
  }
  return <code>{id}</code>;
}
