import { API_VERSIONS, pick, resourcePath, subscriptionPath } from '../arm.js';
import type { CommandContext } from '../context.js';
import { appPath, findApplication, graph } from '../graph.js';
import type { Attempt } from './attack.js';
import type { Holdings } from './holdings.js';

/** One remediation step: the command a user would run, and the same through the API. */
export interface RemediationStep {
  readonly command: string;
  readonly why: string;
  apply(ctx: CommandContext): Promise<void>;
}

/**
 * What ends each thing that worked: every key the attacker holds is
 * regenerated; a leaked client secret is removed; a token (held, or issued
 * with the secret) is only ended by an emergency signing-key rotation, which
 * every app then feels (they must get new tokens). A bare client id is not a
 * secret: nothing to do.
 */
export async function planRemediation(ctx: CommandContext, held: Holdings, attempts: readonly Attempt[], leakedKey?: { group: string; account: string; keyName: 'key1' | 'key2' }): Promise<RemediationStep[]> {
  const steps: RemediationStep[] = [];
  const keys = new Map<string, { group: string; account: string; keyName: 'key1' | 'key2' }>();
  if (leakedKey !== undefined) keys.set(`${leakedKey.group}/${leakedKey.account}/${leakedKey.keyName}`.toLowerCase(), leakedKey);
  for (const k of held.keys) keys.set(`${k.group}/${k.accountName}/${k.keyName}`.toLowerCase(), { group: k.group, account: k.accountName, keyName: k.keyName });
  for (const k of keys.values()) {
    steps.push({
      command: `keyless openai keys regenerate -g ${k.group} -n ${k.account} --key-name ${k.keyName}`,
      why: `ends ${k.keyName} of ${k.account} at once`,
      apply: async (c) => {
        const path = `${resourcePath(c.client().runtime.subscriptionId, k.group, 'Microsoft.CognitiveServices/accounts', k.account)}/regenerateKey`;
        await c.client().request('POST', path, API_VERSIONS.cognitive, { keyName: k.keyName === 'key1' ? 'Key1' : 'Key2' });
      },
    });
  }
  if (held.secret !== undefined) {
    const { appId, value } = held.secret;
    const app = await findApplication(ctx, appId);
    const credentials = Array.isArray(app['passwordCredentials']) ? (app['passwordCredentials'] as unknown[]) : [];
    // Graph shows a secret's first three characters: the leaked value's are matched against them.
    for (const c of credentials.filter((c) => pick(c, 'hint') === value.slice(0, 3))) {
      const keyId = String(pick(c, 'keyId'));
      steps.push({
        command: `keyless ad sp credential delete --id ${appId} --key-id ${keyId}`,
        why: 'the secret gets no new tokens',
        apply: async (cc) => void (await graph(cc, 'POST', `${appPath(app)}/removePassword`, { keyId })),
      });
    }
  }
  const tokenWorked = held.tokens.length > 0 || attempts.some((a) => a.worked && a.attempt.startsWith('get a '));
  if (tokenWorked) {
    steps.push({
      command: 'keyless signing-key rotate --emergency',
      why: 'tokens already issued stop working (every app must get new ones)',
      apply: async (c) => void (await c.client().request('POST', `${subscriptionPath(c.client().runtime.subscriptionId)}/providers/Keyless/signingKeys/rotate?emergency=true`, '2026-01-01')),
    });
  }
  return steps;
}
