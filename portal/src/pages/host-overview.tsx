import { pick, str, type Json } from '../api.js';
import { groupOf, nameOf } from '../arm.js';
import { systemPrincipalOf, userAssignedOf } from '../identity-actions.js';
import { href } from '../router.js';

/** A web app's or VM's Overview: where it runs and which identities its code can get tokens as. */
export function HostOverview({ resource }: { resource: Json }) {
  const id = str(resource['id']);
  const host = str(pick(resource, 'properties', 'defaultHostName'));
  const system = systemPrincipalOf(resource);
  const users = userAssignedOf(resource);
  return (
    <div class="panel">
      <dl class="facts">
        <dt>Location</dt>
        <dd>{str(resource['location'])}</dd>
        {host !== '' && (
          <>
            <dt>Default domain</dt>
            <dd>{host}</dd>
          </>
        )}
        <dt>System assigned identity</dt>
        <dd>{system === undefined ? 'Off' : <code>{system}</code>}</dd>
        <dt>User assigned identities</dt>
        <dd>
          {users.length === 0
            ? 'None'
            : users.map(([userId], i) => (
                <>
                  {i > 0 && ', '}
                  <a key={userId} href={href.resource(userId)}>
                    {nameOf(userId)}
                  </a>
                </>
              ))}
        </dd>
      </dl>
      <p>
        <a href={href.resource(id, 'identity')}>Manage identities</a> · run code as this resource with <code>keyless run -g {groupOf(id)} --as {nameOf(id)} -- &lt;command&gt;</code>
      </p>
    </div>
  );
}
