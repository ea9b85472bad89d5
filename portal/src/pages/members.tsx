import { str, type Json } from '../api.js';

/** The member picker: every service principal (applications, managed identities of web apps, VMs and accounts, user-assigned identities). */
export function MemberSelect({ id, members, value, onChange }: { id: string; members: readonly Json[]; value: string; onChange: (objectId: string) => void }) {
  return (
    <select id={id} value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)} required>
      <option value="">Select a member…</option>
      {[...members]
        .sort((a, b) => str(a['displayName']).localeCompare(str(b['displayName'])))
        .map((m) => (
          <option key={str(m['id'])} value={str(m['id'])}>
            {str(m['displayName'])} ({str(m['servicePrincipalType'] ?? 'ServicePrincipal')}, {str(m['appId'])})
          </option>
        ))}
    </select>
  );
}
