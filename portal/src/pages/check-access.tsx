import { useState } from 'preact/hooks';
import { API, call, list, pick, str, type Json } from '../api.js';
import { nameOf, roleDefinitions } from '../arm.js';
import { ErrorBox } from '../components/error-box.js';
import { useAction } from '../components/use-action.js';
import { useLoad } from '../components/use-load.js';
import { loadMembers } from '../members.js';
import { href } from '../router.js';
import { MemberPicker } from './members.js';
import { Verdict } from './verdict.js';

type Kind = 'dataAction' | 'action';

/** Common questions; any other action or data action can be typed. */
const PRESETS: readonly { label: string; kind: Kind; value: string }[] = [
  { label: 'Chat completions (data)', kind: 'dataAction', value: 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action' },
  { label: 'Embeddings (data)', kind: 'dataAction', value: 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/embeddings/action' },
  { label: 'List keys', kind: 'action', value: 'Microsoft.CognitiveServices/accounts/listKeys/action' },
  { label: 'Create role assignments', kind: 'action', value: 'Microsoft.Authorization/roleAssignments/write' },
];
const OTHER = String(PRESETS.length);

/**
 * Check access: pick a principal (the same picker as Add role assignment) to see the role assignments that
 * apply to it here, then ask whether it may do one thing and why (POST {scope}/providers/Keyless/checkAccess,
 * what `keyless role check` asks).
 */
export function CheckAccess({ scope }: { scope: string }) {
  const members = useLoad(loadMembers, []);
  const [memberId, setMemberId] = useState('');
  const [preset, setPreset] = useState('0');
  const [otherKind, setOtherKind] = useState<Kind>('action');
  const [otherValue, setOtherValue] = useState('');
  const { error, run } = useAction();
  const [answer, setAnswer] = useState<Json | undefined>(undefined);
  const question = preset === OTHER ? { kind: otherKind, value: otherValue.trim() } : PRESETS[Number(preset)];
  const pickMember = (id: string) => {
    setMemberId(id);
    setAnswer(undefined);
  };
  const check = async (event: Event) => {
    event.preventDefault();
    if (question === undefined) return;
    setAnswer(undefined);
    await run(async () => setAnswer(await call('POST', `${scope}/providers/Keyless/checkAccess`, API.keyless, { principalId: memberId, [question.kind]: question.value })));
  };
  return (
    <div>
      <form class="card wide" onSubmit={(e) => void check(e)} aria-labelledby="check-title">
        <h3 id="check-title">Check access</h3>
        <ErrorBox error={members.error ?? error} />
        {members.loading && <p aria-live="polite">Loading members…</p>}
        {members.data && <MemberPicker idPrefix="check" members={members.data} value={memberId} onChange={pickMember} />}
        {memberId !== '' && <HeldHere scope={scope} principalId={memberId} />}
        <label for="check-action">Permission</label>
        <select id="check-action" value={preset} onChange={(e) => setPreset((e.target as HTMLSelectElement).value)}>
          {PRESETS.map((p, i) => (
            <option key={p.value} value={String(i)}>
              {p.label}: {p.value}
            </option>
          ))}
          <option value={OTHER}>Another action or data action…</option>
        </select>
        {preset === OTHER && (
          <div class="inline-form">
            <label>
              Kind
              <select value={otherKind} onChange={(e) => setOtherKind((e.target as HTMLSelectElement).value as Kind)}>
                <option value="action">Action (control plane)</option>
                <option value="dataAction">Data action</option>
              </select>
            </label>
            <label>
              Action
              <input value={otherValue} onInput={(e) => setOtherValue((e.target as HTMLInputElement).value)} placeholder="Microsoft.CognitiveServices/accounts/read" required />
            </label>
          </div>
        )}
        <div class="actions">
          <button type="submit" disabled={memberId === '' || question === undefined || question.value === ''}>
            Check access
          </button>
        </div>
      </form>
      {answer && <Verdict answer={answer} />}
    </div>
  );
}

/** The principal's role assignments that apply at this scope (here or inherited), as Azure's Check access lists them. */
function HeldHere({ scope, principalId }: { scope: string; principalId: string }) {
  const state = useLoad(async () => {
    const [assignments, roles] = await Promise.all([
      call('GET', `${scope}/providers/Microsoft.Authorization/roleAssignments?$filter=${encodeURIComponent(`assignedTo('${principalId}')`)}`, API.authorization).then(list),
      roleDefinitions(),
    ]);
    return { assignments: assignments.filter((a) => appliesAt(str(pick(a, 'properties', 'scope')), scope)), roles };
  }, [scope, principalId]);
  const roleName = (id: string) => str(pick(state.data?.roles.find((r) => str(r['id']).toLowerCase() === id.toLowerCase()), 'properties', 'roleName')) || nameOf(id);
  return (
    <section aria-labelledby="held-title" class="held">
      <h4 id="held-title">Role assignments that apply here</h4>
      <ErrorBox error={state.error} />
      {state.data && state.data.assignments.length === 0 && <p class="muted small">None: this principal holds no role at or above this scope.</p>}
      {state.data && state.data.assignments.length > 0 && (
        <ul>
          {state.data.assignments.map((a) => {
            const at = str(pick(a, 'properties', 'scope'));
            return (
              <li key={str(a['id'])}>
                <strong>{roleName(str(pick(a, 'properties', 'roleDefinitionId')))}</strong> at{' '}
                {at.toLowerCase() === scope.toLowerCase() ? 'this scope' : <a href={href.iam(at)}>{at} (inherited)</a>}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** An assignment at `at` applies at `scope` when `at` is the scope or one of its parents. */
function appliesAt(at: string, scope: string): boolean {
  const a = at.toLowerCase().replace(/\/+$/, '');
  const s = scope.toLowerCase();
  return s === a || s.startsWith(`${a}/`) || a === '';
}
