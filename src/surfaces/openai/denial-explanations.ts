import type { DenialExplanation } from '../../audit/index.js';
import { parseResourceId, type NetworkRefusal, type Resource } from '../../resources/index.js';

/*
 * The data plane's refusals outside RBAC, explained for the audit record
 * (the caller gets Azure's exact body). Built only on the refusal's path.
 * A missing data action is explained by rbac (`permissionDenied` in data-plane.ts).
 */

/** `-g GROUP -n NAME` of an account, as the CLI names it. */
function accountFlags(account: Resource): string {
  const parsed = parseResourceId(account.id);
  return `-g ${parsed?.resourceGroup ?? '?'} -n ${account.name}`;
}

/** The caller's address as a rule would name it (an IPv4 address reached over IPv6 sockets is written plain). */
function ruleAddress(remoteAddress: string | undefined): string | undefined {
  if (remoteAddress === undefined) return undefined;
  return remoteAddress.toLowerCase().startsWith('::ffff:') ? remoteAddress.slice(7) : remoteAddress;
}

export function networkExplanation(account: Resource, refusal: NetworkRefusal, remoteAddress: string | undefined): DenialExplanation {
  if (refusal.kind === 'publicNetworkAccessDisabled') {
    return { explanation: refusal.reason, fix: `keyless openai update ${accountFlags(account)} --public-network-access Enabled` };
  }
  const address = ruleAddress(remoteAddress);
  // Only IPv4 rules exist (as in Azure): an IPv6 caller cannot be let in by a rule.
  const fix = address !== undefined && /^\d{1,3}(\.\d{1,3}){3}$/.test(address) ? `keyless openai network-rule add ${accountFlags(account)} --ip-address ${address}` : undefined;
  return { explanation: refusal.reason, fix };
}

export function localAuthExplanation(account: Resource): DenialExplanation {
  return {
    explanation: `account ${account.id} has key authentication disabled (disableLocalAuth: true): every api-key is refused, valid or not; call with a Microsoft Entra token of a principal holding a data role (keyless role check shows which)`,
    fix: undefined,
  };
}

export function wrongKeyExplanation(account: Resource, anotherAccounts: boolean): DenialExplanation {
  const why = anotherAccounts ? "it is another account's key" : 'it is neither key1 nor key2 of the account (mistyped, or regenerated since it was copied)';
  return { explanation: `the api-key sent to account ${account.id} is refused: ${why}`, fix: `keyless openai keys list ${accountFlags(account)}` };
}
