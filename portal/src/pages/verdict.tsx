import { str, type Json } from '../api.js';

/** Check access's answer: allowed or denied, each assignment there with why it grants or does not, the explanation, and the fix. */
export function Verdict({ answer }: { answer: Json }) {
  const allowed = answer['allowed'] === true;
  const granted = (answer['grantedBy'] as Json[] | undefined) ?? [];
  const notGranted = (answer['notGrantedBy'] as Json[] | undefined) ?? [];
  const fix = answer['fix'] as Json | null | undefined;
  const principal = (answer['principal'] as Json | undefined) ?? {};
  const rows = [
    ...granted.map((g) => ({ g, effect: `Granted by ${str(g['roleName'])}`, why: `matches '${str(g['matchedPattern'])}'` })),
    // The reason starts with "{role} at {scope}: ", which the line already says (the CLI strips it too).
    ...notGranted.map((g) => ({ g, effect: `Not granted by ${str(g['roleName'])}`, why: str(g['reason']).replace(/^[^:]*: /, '') })),
  ];
  return (
    <div class={`verdict ${allowed ? 'allowed' : 'denied'}`} role="status" aria-live="polite">
      <p class="verdict-line">
        <strong>{allowed ? 'Allowed' : 'Denied'}</strong>: {str(principal['displayName'] ?? principal['id'])} · {str(answer['action'])}
      </p>
      {rows.map(({ g, effect, why }) => (
        <p key={str(g['roleAssignmentId'])} class="small">
          {effect} at <code>{str(g['roleAssignmentScope'])}</code>: {why}
        </p>
      ))}
      {!allowed && rows.length === 0 && <p class="small">No role assignment at or above this scope.</p>}
      {answer['explanation'] !== undefined && <p class="small verdict-why">Why: {str(answer['explanation'])}</p>}
      {!allowed && fix && (
        <p class="small">
          Fix: the narrowest built-in role is <strong>{str(fix['roleName'])}</strong>: <code>{str(fix['command'])}</code>
        </p>
      )}
    </div>
  );
}
