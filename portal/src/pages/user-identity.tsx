import { API, call, list, pick, str, type Json } from '../api.js';
import { subscriptionId, typeLabel } from '../arm.js';
import { CopyButton } from '../components/copy-button.js';
import { ErrorBox } from '../components/error-box.js';
import { useLoad } from '../components/use-load.js';
import { userAssignedOf } from '../identity-actions.js';
import { sameId } from '../kinds.js';
import { href } from '../router.js';
import { IdentityFederatedCredentials } from './federated-credentials.js';

/**
 * A user-assigned identity's Overview: its ids, the resources it is attached to (the identity blocks of
 * ARM's generic resource list, as `az resource list` shows them) and its federated credentials
 * (list, add, delete: `identity federated-credential`).
 */
export function UserIdentityOverview({ identity }: { identity: Json }) {
  const id = str(identity['id']);
  const attached = useLoad(async () => {
    const resources = list(await call('GET', `/subscriptions/${await subscriptionId()}/resources`, API.groups));
    return resources.filter((r) => userAssignedOf(r).some(([userId]) => sameId(userId, id)));
  }, [id]);
  const facts: [string, string][] = [
    ['Client ID', str(pick(identity, 'properties', 'clientId'))],
    ['Object (principal) ID', str(pick(identity, 'properties', 'principalId'))],
    ['Tenant ID', str(pick(identity, 'properties', 'tenantId'))],
  ];
  return (
    <div class="panel">
      <dl class="facts">
        {facts.map(([label, value]) => (
          <>
            <dt key={`${label}-t`}>{label}</dt>
            <dd key={`${label}-d`}>
              <code>{value}</code> <CopyButton value={value} label={label} />
            </dd>
          </>
        ))}
        <dt>Location</dt>
        <dd>{str(identity['location'])}</dd>
      </dl>
      <h2>Associated resources</h2>
      <ErrorBox error={attached.error} />
      {attached.data?.length === 0 && <p class="muted">Not attached to any resource.</p>}
      {attached.data && attached.data.length > 0 && (
        <table class="attached">
          <caption class="visually-hidden">Resources this identity is attached to</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Resource group</th>
            </tr>
          </thead>
          <tbody>
            {attached.data.map((r) => (
              <tr key={str(r['id'])}>
                <td>
                  <a href={href.resource(str(r['id']), 'identity')}>{str(r['name'])}</a>
                </td>
                <td>{typeLabel(str(r['type'])).label}</td>
                <td>{/\/resourceGroups\/([^/]+)/i.exec(str(r['id']))?.[1]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <IdentityFederatedCredentials identityId={id} />
    </div>
  );
}
