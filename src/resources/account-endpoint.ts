import type { Resource } from './model.js';

/** The name in an account's endpoint path (`/accounts/{name}/`): its custom subdomain, else its name; unique across Keyless. */
export function accountEndpointName(account: Resource): string {
  const custom = account.properties['customSubDomainName'];
  return (typeof custom === 'string' ? custom : account.name).toLowerCase();
}
