import type { Estate, TargetAccount } from './estate.js';
import { tokenExpiry, tokenLifetime, type HeldKey, type HeldToken, type Holdings } from './holdings.js';
import { refusal, type Outsider, type OutsiderAnswer } from './outsider.js';

/** One thing the attacker tried, and what came of it. */
export interface Attempt {
  readonly attempt: string;
  readonly target: string;
  readonly worked: boolean;
  readonly outcome: string;
  /** How long what worked keeps working; '' for a refusal. */
  readonly lasts: string;
}

const DATA_PLANE_API = '2024-10-21';
const COGNITIVE_SCOPE = 'https://cognitiveservices.azure.com/.default';
const COGNITIVE_RESOURCE = 'https://cognitiveservices.azure.com';
const ARM_GROUPS_API = '2021-04-01';
const ARM_KEYS_API = '2024-10-01';

/**
 * Everything an attacker outside every host can try with what it holds,
 * through Keyless's public surfaces: identity endpoints with a bare client
 * id, the token endpoint with a client secret, each deployment with a key or
 * a token, ARM with a token (and listKeys, which turns a token into keys).
 * What it gains (tokens, keys) is tried in turn, and returned.
 */
export async function attack(outsider: Outsider, estate: Estate, held: Holdings, now: () => number): Promise<{ attempts: Attempt[]; gained: Holdings }> {
  const attempts: Attempt[] = [];
  const keys = [...held.keys];
  const tokens = [...held.tokens];
  if (held.clientId !== undefined) attempts.push(...(await withClientIdAlone(outsider, estate, held.clientId)));
  if (held.secret !== undefined) {
    for (const [label, scope] of [['data-plane token', COGNITIVE_SCOPE], ['control-plane (ARM) token', `${estate.baseUrl}/.default`]] as const) {
      const answer = await outsider.main('POST', `/${encodeURIComponent(estate.tenantId)}/oauth2/v2.0/token`, { 'content-type': 'application/x-www-form-urlencoded' },
        new URLSearchParams({ grant_type: 'client_credentials', client_id: held.secret.appId, client_secret: held.secret.value, scope }).toString());
      const token = (answer.body as { access_token?: unknown } | undefined)?.access_token;
      if (answer.status === 200 && typeof token === 'string') {
        const exp = tokenExpiry(token);
        tokens.push({ value: token, source: `${label} from the secret`, exp });
        attempts.push({ attempt: `get a ${label} with the client secret`, target: 'token endpoint', worked: true, outcome: 'token issued', lasts: `this token ${tokenLifetime(exp, now())}; new ones until the secret is removed` });
      } else {
        attempts.push({ attempt: `get a ${label} with the client secret`, target: 'token endpoint', worked: false, outcome: refusal(answer), lasts: '' });
      }
    }
  }
  for (const token of tokens) {
    const lasts = tokenLifetime(token.exp, now());
    attempts.push(...(await callDeployments(outsider, estate.accounts, { authorization: `Bearer ${token.value}` }, `with the ${token.source}`, lasts)));
    const arm = await withArmToken(outsider, estate, token, lasts);
    attempts.push(...arm.attempts);
    for (const k of arm.keys) if (!keys.some((h) => h.account === k.account && h.keyName === k.keyName && h.value === k.value)) keys.push(k);
  }
  for (const key of keys) {
    attempts.push(...(await callDeployments(outsider, estate.accounts, { 'api-key': key.value }, `with ${key.keyName} of ${key.accountName}`, `until ${key.keyName} of ${key.accountName} is regenerated`)));
  }
  return { attempts, gained: { ...held, keys, tokens } };
}

/** Each deployment of each account, with the given credential headers: chat, or embeddings for an embedding model. */
async function callDeployments(outsider: Outsider, accounts: readonly TargetAccount[], headers: Record<string, string>, how: string, lasts: string): Promise<Attempt[]> {
  const attempts: Attempt[] = [];
  for (const account of accounts) {
    for (const d of account.deployments) {
      const embeddings = /embedding/i.test(d.model);
      const operation = embeddings ? 'embeddings' : 'chat/completions';
      const body = embeddings ? { input: 'leak drill' } : { messages: [{ role: 'user', content: 'leak drill' }], max_tokens: 1 };
      const url = `${account.endpoint.replace(/\/+$/, '')}/openai/deployments/${encodeURIComponent(d.name)}/${operation}?api-version=${DATA_PLANE_API}`;
      const answer = await outsider.main('POST', url, { 'content-type': 'application/json', ...headers }, JSON.stringify(body));
      attempts.push(outcome(`call ${operation} ${how}`, `${account.name}/${d.name}`, answer, lasts));
    }
  }
  return attempts;
}

/** ARM with a token: read the subscription's groups, and list each account's keys (a token that may is as good as the keys). */
async function withArmToken(outsider: Outsider, estate: Estate, token: HeldToken, lasts: string): Promise<{ attempts: Attempt[]; keys: HeldKey[] }> {
  const auth = { authorization: `Bearer ${token.value}` };
  const attempts: Attempt[] = [];
  const keys: HeldKey[] = [];
  const groups = await outsider.main('GET', `${estate.subscription}/resourcegroups?api-version=${ARM_GROUPS_API}`, auth);
  // ARM lists only what the caller may read: an empty list is a 200 that shows nothing.
  const visible = Array.isArray((groups.body as { value?: unknown } | undefined)?.value) ? ((groups.body as { value: unknown[] }).value.length) : 0;
  const attempt = `list resource groups with the ${token.source}`;
  attempts.push(groups.status === 200
    ? { attempt, target: 'ARM', worked: visible > 0, outcome: visible > 0 ? `worked (200, ${visible} group(s))` : 'sees nothing (200, an empty list)', lasts: visible > 0 ? lasts : '' }
    : outcome(attempt, 'ARM', groups, lasts));
  for (const account of estate.accounts) {
    const answer = await outsider.main('POST', `${account.id}/listKeys?api-version=${ARM_KEYS_API}`, { ...auth, 'content-type': 'application/json' }, '{}');
    attempts.push(outcome(`list the keys with the ${token.source}`, account.name, answer, `${lasts}; the keys until regenerated`));
    const body = answer.body as Record<string, unknown> | undefined;
    if (answer.status === 200 && body !== undefined) {
      for (const keyName of ['key1', 'key2'] as const) {
        const value = body[keyName];
        if (typeof value === 'string') keys.push({ account: account.id, accountName: account.name, group: account.group, keyName, value });
      }
    }
  }
  return { attempts, keys };
}

/** With a client id alone: each identity endpoint without the host secrets an outsider does not have, and the token endpoint without a secret. */
async function withClientIdAlone(outsider: Outsider, estate: Estate, clientId: string): Promise<Attempt[]> {
  const query = (version: string) => `api-version=${version}&resource=${encodeURIComponent(COGNITIVE_RESOURCE)}&client_id=${encodeURIComponent(clientId)}`;
  const tries: [string, string, Promise<OutsiderAnswer>][] = [
    ['get a token from the App Service endpoint without X-IDENTITY-HEADER', 'App Service endpoint', outsider.identity(`/msi/token?${query('2019-08-01')}`)],
    ['get a token from the App Service endpoint with a guessed X-IDENTITY-HEADER', 'App Service endpoint', outsider.identity(`/msi/token?${query('2019-08-01')}`, { 'x-identity-header': '00000000000000000000000000000000' })],
    ['get a token from IMDS without the host\'s path secret', 'IMDS endpoint', outsider.identity(`/metadata/identity/oauth2/token?${query('2018-02-01')}`, { metadata: 'true' })],
    ['get a token with the client id and no credential', 'token endpoint', outsider.main('POST', `/${encodeURIComponent(estate.tenantId)}/oauth2/v2.0/token`, { 'content-type': 'application/x-www-form-urlencoded' },
      new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, scope: COGNITIVE_SCOPE }).toString())],
  ];
  const attempts: Attempt[] = [];
  for (const [attempt, target, pending] of tries) attempts.push(outcome(attempt, target, await pending, 'until the client id is deleted'));
  return attempts;
}

function outcome(attempt: string, target: string, answer: OutsiderAnswer, lasts: string): Attempt {
  const worked = answer.status >= 200 && answer.status < 300;
  return { attempt, target, worked, outcome: worked ? `worked (${answer.status})` : refusal(answer), lasts: worked ? lasts : '' };
}
