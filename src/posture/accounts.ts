import { KEY_NAMES } from '../keys/index.js';
import { allowsKeys, openToEveryAddress, RESOURCE_TYPES, type Resource } from '../resources/index.js';
import { disableLocalAuthAction, regenerateKeyAction } from './actions.js';
import { command, groupAndName } from './commands.js';
import { daysSince, type PostureInput } from './input.js';
import type { Finding } from './model.js';

/** Azure OpenAI accounts: keys allowed, keys old or never regenerated, network open to every address. */
export function accountFindings(input: PostureInput): Finding[] {
  const findings: Finding[] = [];
  const keysByAccount = new Map(input.keys.map((k) => [`${k.accountKey}|${k.keyName}`, k]));
  for (const account of input.resources) {
    if (account.type !== RESOURCE_TYPES.account) continue;
    const where = groupAndName(account.id);
    if (allowsKeys(account)) {
      findings.push({
        code: 'KeyAuthenticationEnabled',
        severity: 'medium',
        resource: account.id,
        summary: `account '${account.name}' accepts API keys (disableLocalAuth is false)`,
        why: 'a key is a bearer secret with no identity and no expiry: whoever copies it calls every deployment until it is regenerated, and the audit cannot say who it was',
        fix: [command('openai', 'update', ...where, '--disable-local-auth', 'true')],
        action: disableLocalAuthAction(account.id, account.name),
      });
      findings.push(...keyAgeFindings(input, account, keysByAccount));
    }
    if (openToEveryAddress(account)) {
      findings.push({
        code: 'NetworkOpenToAll',
        severity: 'medium',
        resource: account.id,
        summary: `account '${account.name}' may be called from any address (publicNetworkAccess Enabled, no default Deny)`,
        why: 'a leaked key or token works from anywhere; network rules limit a leak to the addresses you trust',
        fix: [command('openai', 'network-rule', 'add', ...where, '--ip-address', 'ADDRESS_OR_CIDR')],
      });
    }
  }
  return findings;
}

/** Keys are judged only while the account accepts them: a disabled key opens nothing. */
function keyAgeFindings(input: PostureInput, account: Resource, keys: ReadonlyMap<string, { createdAt: string; generation: number }>): Finding[] {
  const findings: Finding[] = [];
  for (const keyName of KEY_NAMES) {
    const key = keys.get(`${account.key}|${keyName}`);
    if (key === undefined) continue;
    const age = daysSince(key.createdAt, input.now);
    const fix = [command('openai', 'keys', 'regenerate', ...groupAndName(account.id), '--key-name', keyName)];
    const action = regenerateKeyAction(account.id, account.name, keyName);
    if (age > input.maxKeyAgeDays) {
      findings.push({
        code: 'KeyOlderThanMaxAge',
        severity: 'medium',
        resource: account.id,
        summary: `${keyName} of account '${account.name}' is ${age} days old (more than ${input.maxKeyAgeDays})`,
        why: 'the older a key, the more places it has been copied to; regenerating it ends every copy you do not know about',
        fix,
        action,
      });
    } else if (key.generation <= 1) {
      findings.push({
        code: 'KeyNeverRegenerated',
        severity: 'low',
        resource: account.id,
        summary: `${keyName} of account '${account.name}' has never been regenerated (${age} days old)`,
        why: 'a rotation that has never been rehearsed is one that breaks apps on the day it is needed',
        fix,
        action,
      });
    }
  }
  return findings;
}
