/** Reading `--deployment` and `--operation`: the account a data-plane call reaches and the data action it needs. */
import { API_VERSIONS, asObject, collectionPath, listValue, pick, TYPES } from './arm.js';
import type { CommandContext } from './context.js';
import { CliError, UsageError } from './errors.js';
import { subscriptionOf } from './resources.js';

const OPENAI = 'Microsoft.CognitiveServices/accounts/OpenAI';

/** Each operation a deployment serves, and the data action the data plane authorizes for it (as src/surfaces/openai/operations.ts does). */
export const OPERATION_DATA_ACTIONS: Readonly<Record<string, string>> = {
  chat: `${OPENAI}/deployments/chat/completions/action`,
  completions: `${OPENAI}/deployments/completions/action`,
  embeddings: `${OPENAI}/deployments/embeddings/action`,
  responses: `${OPENAI}/responses/write`,
  images: `${OPENAI}/images/generations/action`,
  audio: `${OPENAI}/deployments/audio/action`,
};

export interface DeploymentRef {
  /** The account's ARM id: the scope at which the data plane authorizes every call to its deployments. */
  readonly accountId: string;
  readonly deployment: string;
}

/** `account/deployment`, or a data-plane URL such as https://127.0.0.1:8443/accounts/aoai/openai/deployments/chat/chat/completions. */
export function parseDeploymentRef(value: string): { endpointName: string; deployment: string } {
  const v = value.trim();
  if (/^https?:\/\//i.test(v)) {
    let segments: string[];
    try {
      segments = new URL(v).pathname.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
    } catch {
      throw new UsageError(`--deployment '${value}' is not a URL.`);
    }
    const lower = segments.map((s) => s.toLowerCase());
    const account = segments[lower.indexOf('accounts') + 1];
    const deployment = segments[lower.indexOf('deployments') + 1];
    if (lower.includes('accounts') && lower.includes('deployments') && account !== undefined && deployment !== undefined) return { endpointName: account, deployment };
    throw new UsageError(`--deployment '${value}' names no deployment: give its data-plane URL (…/accounts/{account}/openai/deployments/{deployment}/…) or account/deployment.`);
  }
  const parts = v.split('/');
  if (parts.length === 2 && parts.every((p) => p !== '')) return { endpointName: parts[0] as string, deployment: parts[1] as string };
  throw new UsageError(`--deployment '${value}' is neither a data-plane URL nor account/deployment.`);
}

/** The account whose endpoint name (custom subdomain, else its name) is given, and a deployment that exists on it. */
export async function resolveDeployment(ctx: CommandContext, value: string): Promise<DeploymentRef> {
  const { endpointName, deployment } = parseDeploymentRef(value);
  const client = ctx.client();
  const accounts = listValue((await client.request('GET', collectionPath(subscriptionOf(ctx), TYPES.account), API_VERSIONS.cognitive)).body);
  const endpointOf = (a: Record<string, unknown>): string => String(pick(a, 'properties', 'customSubDomainName') ?? a['name']).toLowerCase();
  const account = accounts.find((a) => endpointOf(a) === endpointName.toLowerCase());
  if (account === undefined) throw new CliError(`No Azure OpenAI account has the endpoint name '${endpointName}'.`);
  const accountId = String(account['id']);
  const found = asObject((await client.request('GET', `${accountId}/deployments/${encodeURIComponent(deployment)}`, API_VERSIONS.cognitive)).body);
  return { accountId, deployment: String(found['name'] ?? deployment) };
}
