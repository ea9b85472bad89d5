import { API_VERSIONS, collectionPath, listValue, pick, subscriptionPath, TYPES } from '../arm.js';
import type { CommandContext } from '../context.js';

/** An account and its deployments, as the operator sees them through ARM: what the drill aims at. */
export interface TargetAccount {
  readonly id: string;
  readonly name: string;
  readonly group: string;
  /** `properties.endpoint`, the URL clients give AzureOpenAI. */
  readonly endpoint: string;
  readonly deployments: readonly { readonly name: string; readonly model: string }[];
}

export interface Estate {
  /** Keyless's public origin, without a trailing slash (ARM's audience is `{baseUrl}/.default`, as the CLI's own). */
  readonly baseUrl: string;
  readonly subscription: string;
  readonly tenantId: string;
  readonly accounts: readonly TargetAccount[];
}

/** Lists the subscription's accounts and deployments with the operator's own sign-in (never the leaked item). */
export async function readEstate(ctx: CommandContext): Promise<Estate> {
  const client = ctx.client();
  const subscription = client.runtime.subscriptionId;
  const listed = listValue((await client.request('GET', collectionPath(subscription, TYPES.account, undefined), API_VERSIONS.cognitive)).body);
  const accounts: TargetAccount[] = [];
  for (const a of listed) {
    const id = String(a['id']);
    const deployments = listValue((await client.request('GET', `${id}/deployments`, API_VERSIONS.cognitive)).body).map((d) => ({
      name: String(d['name']),
      model: String(pick(d, 'properties', 'model', 'name') ?? ''),
    }));
    accounts.push({ id, name: String(a['name']), group: id.split('/')[4] ?? '', endpoint: String(pick(a, 'properties', 'endpoint') ?? ''), deployments });
  }
  return { baseUrl: client.runtime.baseUrl.replace(/\/+$/, ''), subscription: subscriptionPath(subscription), tenantId: client.runtime.tenantId, accounts };
}
