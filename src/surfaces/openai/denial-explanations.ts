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

/** Why a bearer token was refused, in words an operator can act on, and what gets a good one. */
const TOKEN_REFUSALS: Readonly<Record<string, string>> = {
  TokenExpired: 'the token has expired (its exp is past): the client must get a new one (the credential classes renew by themselves; a token pasted into a variable does not)',
  TokenNotYetValid: 'the token is not valid yet (its nbf is in the future): the clocks of its issuer and of Keyless disagree',
  TokenIssuedInFuture: 'the token says it was issued in the future (iat): the clocks of its issuer and of Keyless disagree',
  TokenAudienceInvalid: 'the token was issued for another audience: the data plane takes tokens for https://cognitiveservices.azure.com (scope https://cognitiveservices.azure.com/.default)',
  TokenIssuerInvalid: "the token's issuer is not this Keyless's authority (a token of another tenant, authority or instance)",
  TokenSignatureInvalid: "the token's signature does not verify: it was altered, or signed by a key that is not this authority's",
  TokenUnknownKey: "the token was signed by a key this authority no longer publishes (an emergency signing-key rotation revoked it, or it comes from elsewhere)",
  TokenPrincipalDeleted: 'the principal the token was issued to has been deleted since',
  TokenMalformed: 'the bearer value is not a JWT',
  TokenAlgorithmNotAllowed: 'the token is not signed with RS256, the only algorithm the authority uses',
  TokenCriticalHeader: 'the token names a critical header extension (crit) the verifier does not understand',
};

export function tokenExplanation(account: Resource, failure: string): DenialExplanation {
  const why = TOKEN_REFUSALS[failure] ?? `the token was refused (${failure})`;
  // No command fixes a token: the caller's own credential must get a new one (for scope https://cognitiveservices.azure.com/.default).
  return { explanation: `the bearer token sent to account ${account.id} is refused: ${why}`, fix: undefined };
}

export function noCredentialExplanation(account: Resource, malformed: boolean): DenialExplanation {
  const what = malformed ? 'the Authorization header is not "Bearer <token>"' : 'the request carries neither an api-key header nor an Authorization: Bearer token';
  return {
    explanation: `the call to account ${account.id} is refused: ${what}; send a Microsoft Entra token of a principal holding a data role (keyless role check shows which)${allowsKeysText(account)}`,
    fix: undefined,
  };
}

function allowsKeysText(account: Resource): string {
  return account.properties['disableLocalAuth'] === true ? '' : `, or one of the account's keys (keyless openai keys list ${accountFlags(account)})`;
}
