import { allowsKeys, type Resource } from '../../resources/index.js';
import type { KeyService } from '../../keys/index.js';
import type { KeyName } from '../../keys/index.js';
import type { DirectoryService } from '../../directory/index.js';
import { TokenRejectedError } from '../../tokens/index.js';
import type { VerifiedToken } from '../../tokens/index.js';
import type { VerifiedTokenCache } from './verified-tokens.js';
import { dataPlaneErrors } from './errors.js';
import { localAuthExplanation, noCredentialExplanation, tokenExplanation, wrongKeyExplanation } from './denial-explanations.js';
import { bearerToken } from '../http/index.js';

export type Caller =
  | { readonly kind: 'key'; readonly keyName: KeyName }
  | { readonly kind: 'token'; readonly token: VerifiedToken };

export interface AuthenticateDeps {
  readonly keys: KeyService;
  readonly tokens: VerifiedTokenCache;
  readonly directory: DirectoryService;
}

/**
 * Who is calling an account: one of its two keys (`api-key`), or a verified
 * Entra token (`Authorization: Bearer`). With an `api-key` the key alone
 * decides and `Authorization` is not read, as in Azure (clients send both on
 * purpose: docs/compatibility.md, "Both credentials"). `bearerMayBeKey` is for
 * the v1 API, where the openai package sends an API key as a bearer token.
 */
export function authenticate(
  headers: Record<string, string | string[] | undefined>,
  account: Resource,
  deps: AuthenticateDeps,
  bearerMayBeKey: boolean,
): Caller {
  const apiKey = headers['api-key'];
  const authorization = headers['authorization'];
  if (typeof apiKey === 'string') return byKey(apiKey, account, deps);
  if (typeof authorization === 'string') {
    const value = bearerToken(authorization);
    if (value === undefined) throw dataPlaneErrors.invalidToken('malformed Authorization header').explain(noCredentialExplanation(account, true));
    if (bearerMayBeKey && value.split('.').length !== 3) return byKey(value, account, deps);
    let token: VerifiedToken;
    try {
      token = deps.tokens.verify(value);
    } catch (error) {
      if (error instanceof TokenRejectedError) throw dataPlaneErrors.invalidToken(error.failure).explain(tokenExplanation(account, error.failure));
      throw error;
    }
    return { kind: 'token', token };
  }
  throw dataPlaneErrors.invalidKey('no credential').explain(noCredentialExplanation(account, false));
}

function byKey(presented: string, account: Resource, deps: AuthenticateDeps): Caller {
  // Azure refuses any key once local authentication is off, valid or not.
  if (!allowsKeys(account)) throw dataPlaneErrors.localAuthDisabled().explain(localAuthExplanation(account));
  const match = deps.keys.match(presented);
  if (!match || match.accountKey !== account.key) throw dataPlaneErrors.invalidKey(match ? 'key of another account' : 'unknown key').explain(wrongKeyExplanation(account, match !== undefined));
  return { kind: 'key', keyName: match.keyName };
}
