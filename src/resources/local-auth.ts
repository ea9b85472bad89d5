import type { Resource } from './model.js';

/**
 * Whether an account accepts its keys: false once `disableLocalAuth` is set.
 * The one home of the rule: ARM's listKeys/regenerateKey and the data plane's
 * `api-key` both ask here, so the two planes cannot drift apart.
 */
export function allowsKeys(account: Resource): boolean {
  return account.properties['disableLocalAuth'] !== true;
}
