import { useState } from 'preact/hooks';
import { API, call, str, type Json } from '../api.js';
import { servicePrincipals } from '../arm.js';
import { ErrorBox } from '../components/error-box.js';
import { useLoad } from '../components/use-load.js';
import { MemberSelect } from './members.js';

/** Common questions; any other action or data action can be typed. */
const PRESETS: readonly { label: string; kind: 'dataAction' | 'action'; value: string }[] = [
  { label: 'Chat completions (data)', kind: 'dataAction', value: 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action' },
  { label: 'Embeddings (data)', kind: 'dataAction', value: 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/embeddings/action' },
  { label: 'List keys', kind: 'action', value: 'Microsoft.CognitiveServices/accounts/listKeys/action' },
  { label: 'Create role assignments', kind: 'action', value: 'Microsoft.Authorization/roleAssignments/write' },
];

/** Check access: what a principal may do at this scope, and why (POST {scope}/providers/Keyless/checkAccess, as `keyless role check`). */
export function CheckAccess({ scope }: { scope: string }) {
  const members = useLoad(servicePrincipals, []);
  const [memberId, setMemberId] = useState('');
  const [preset, setPreset] = useState(0);
  const [error, setError] = useState<unknown>(undefined);
  const [answer, setAnswer] = useState<Json | undefined>(undefined);
  const question = PRESETS[preset] ?? PRESETS[0];
  const check = async (event: Event) => {
    event.preventDefault();
    if (question === undefined) return;
    setError(undefined);
    setAnswer(undefined);
    try {
      setAnswer(await call('POST', `${scope}/providers/Keyless/checkAccess`, API.keyless, { principalId: memberId, [question.kind]: question.value }));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div>
      <form class="card" onSubmit={(e) => void check(e)} aria-labelledby="check-title">
        <h3 id="check-title">Check access</h3>
        <ErrorBox error={members.error ?? error} />
        <label for="check-member">Member</label>
        <MemberSelect id="check-member" members={members.data ?? []} value={memberId} onChange={setMemberId} />
        <label for="check-action">Permission</label>
        <select id="check-action" value={String(preset)} onChange={(e) => setPreset(Number((e.target as HTMLSelectElement).value))}>
          {PRESETS.map((p, i) => (
            <option key={p.value} value={String(i)}>
              {p.label}: {p.value}
            </option>
          ))}
        </select>
        <div class="actions">
          <button type="submit" disabled={memberId === ''}>
            Check access
          </button>
        </div>
      </form>
      {answer && <Verdict answer={answer} />}
    </div>
  );
}

function Verdict({ answer }: { answer: Json }) {
  const allowed = answer['allowed'] === true;
  const granted = (answer['grantedBy'] as Json[] | undefined) ?? [];
  const notGranted = (answer['notGrantedBy'] as Json[] | undefined) ?? [];
  const fix = answer['fix'] as Json | null | undefined;
  const principal = (answer['principal'] as Json | undefined) ?? {};
  return (
    <div class={`verdict ${allowed ? 'allowed' : 'denied'}`} role="status" aria-live="polite">
      <p class="verdict-line">
        <strong>{allowed ? 'Allowed' : 'Denied'}</strong>: {str(principal['displayName'] ?? principal['id'])} · {str(answer['action'])}
      </p>
      {[...granted.map((g) => ({ g, effect: `Granted by ${str(g['roleName'])}`, why: `matches '${str(g['matchedPattern'])}'` })), ...notGranted.map((g) => ({ g, effect: `Not granted by ${str(g['roleName'])}`, why: str(g['reason']) }))].map(
        ({ g, effect, why }) => (
          <p key={str(g['roleAssignmentId'])} class="small">
            {effect} at <code>{str(g['roleAssignmentScope'])}</code>: {why}
          </p>
        ),
      )}
      {!allowed && granted.length === 0 && notGranted.length === 0 && <p class="small">No role assignment at or above this scope.</p>}
      {!allowed && fix && (
        <p class="small">
          Fix: the narrowest built-in role is <strong>{str(fix['roleName'])}</strong>: <code>{str(fix['command'])}</code>
        </p>
      )}
    </div>
  );
}
