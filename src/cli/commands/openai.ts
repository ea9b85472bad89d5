/** `keyless openai …`: Azure OpenAI accounts (Microsoft.CognitiveServices/accounts), their keys and identities. */
import type { Command } from 'commander';
import type { Json } from '../arm.js';
import { API_VERSIONS, TYPES, asObject, pick, resourcePath } from '../arm.js';
import { nounCommand, run, withNoWait } from '../context.js';
import { parseBoolean, parseKeyName, parseTags } from '../flags.js';
import { createIdentityBlock } from '../identity-block.js';
import { printResult } from '../output.js';
import { putAndWait, type WaitFlag } from '../long-running.js';
import type { GroupAndName, ResourceKind } from '../resources.js';
import { getResource, groupColumn, leaf, locationColumn, nameColumn, patchResource, printOne, registerReadAndDelete, subscriptionOf } from '../resources.js';
import { ASSIGN_IDENTITY_HELP } from './host.js';
import { identitySelection, registerHostIdentityCommands } from './host-identity.js';
import { registerCatalogCommands } from './openai-catalog.js';
import { registerDeploymentCommands } from './openai-deployment.js';
import { registerDeletedAccountCommands } from './openai-deleted.js';
import { networkProperties, registerNetworkRuleCommands, withNetworkFlags, type NetworkFlags } from './openai-network.js';

export const ACCOUNT_KIND: ResourceKind = {
  type: TYPES.account,
  apiVersion: API_VERSIONS.cognitive,
  columns: [
    nameColumn,
    groupColumn,
    locationColumn,
    { header: 'Endpoint', value: (r) => pick(r, 'properties', 'endpoint') },
    { header: 'DisableLocalAuth', value: (r) => pick(r, 'properties', 'disableLocalAuth') },
  ],
};

type CreateFlags = GroupAndName & WaitFlag & {
  location?: string;
  sku: string;
  kind: string;
  customDomain?: string;
  disableLocalAuth?: boolean;
  tags?: string[];
  assignIdentity?: string[] | boolean;
};

export function registerOpenAiCommands(program: Command): void {
  const openai = nounCommand(program, 'openai', 'Azure OpenAI accounts, keys and deployments.');

  withNoWait(leaf(openai, 'create', 'Create or update an Azure OpenAI account.'))
    .requiredOption('-g, --resource-group <name>', 'resource group')
    .requiredOption('-n, --name <name>', 'account name')
    .option('-l, --location <location>', "location (default: the group's)")
    .option('--sku <sku>', 'SKU name', 'S0')
    .option('--kind <kind>', 'account kind', 'OpenAI')
    .option('--custom-domain <subdomain>', 'custom subdomain name')
    .option('--disable-local-auth <bool>', 'true to refuse API keys (Entra ID only)', parseBoolean)
    .option('--tags <tags...>', 'space-separated KEY=VALUE tags')
    .option('--assign-identity [identities...]', ASSIGN_IDENTITY_HELP)
    .action(
      run(async (ctx, o: CreateFlags) => {
        const properties: Json = {};
        if (o.disableLocalAuth !== undefined) properties['disableLocalAuth'] = o.disableLocalAuth;
        if (o.customDomain !== undefined) properties['customSubDomainName'] = o.customDomain;
        const body: Json = { kind: o.kind, sku: { name: o.sku }, properties };
        if (o.location !== undefined) body['location'] = o.location;
        const tags = parseTags(o.tags);
        if (tags !== undefined) body['tags'] = tags;
        const selection = identitySelection(ctx, o.assignIdentity, o.resourceGroup);
        if (selection) body['identity'] = createIdentityBlock(selection);
        const path = resourcePath(subscriptionOf(ctx), o.resourceGroup, TYPES.account, o.name);
        const account = await putAndWait(ctx.client(), path, ACCOUNT_KIND.apiVersion, body, o);
        if (account) printOne(ctx, ACCOUNT_KIND, account);
      }),
    );

  withNetworkFlags(
    leaf(openai, 'update', 'Change an account (PATCH with only what is given).')
      .requiredOption('-g, --resource-group <name>', 'resource group')
      .requiredOption('-n, --name <name>', 'account name')
      .option('--disable-local-auth <bool>', 'true to refuse API keys (Entra ID only)', parseBoolean)
      .option('--tags <tags...>', 'space-separated KEY=VALUE tags (replaces them)'),
  ).action(
    run(async (ctx, o: GroupAndName & NetworkFlags & { disableLocalAuth?: boolean; tags?: string[] }) => {
      const body: Json = {};
      const properties = await networkProperties(o, () => getResource(ctx, ACCOUNT_KIND, o.resourceGroup, o.name));
      if (o.disableLocalAuth !== undefined) properties['disableLocalAuth'] = o.disableLocalAuth;
      if (Object.keys(properties).length > 0) body['properties'] = properties;
      const tags = parseTags(o.tags);
      if (tags !== undefined) body['tags'] = tags;
      printOne(ctx, ACCOUNT_KIND, await patchResource(ctx, ACCOUNT_KIND, o.resourceGroup, o.name, body));
    }),
  );

  registerReadAndDelete(openai, ACCOUNT_KIND, 'Azure OpenAI account', 'As in Azure it is soft-deleted: kept 48 hours with its keys and deployments (openai list-deleted, recover), its name held until then (openai purge frees it).');
  registerDeletedAccountCommands(openai, ACCOUNT_KIND.columns);
  registerKeyCommands(openai);
  registerNetworkRuleCommands(openai, ACCOUNT_KIND);
  registerHostIdentityCommands(openai, ACCOUNT_KIND, 'Azure OpenAI account');
  registerDeploymentCommands(openai);
  registerCatalogCommands(openai);
}

const KEY_COLUMNS = [
  { header: 'Key1', value: (k: Json) => k['key1'] },
  { header: 'Key2', value: (k: Json) => k['key2'] },
];

/** `openai keys list|regenerate`: the account's two API keys. */
function registerKeyCommands(openai: Command): void {
  const keys = nounCommand(openai, 'keys', 'API keys of an account.');
  const accountPath = (sub: string, o: GroupAndName): string => resourcePath(sub, o.resourceGroup, TYPES.account, o.name);

  leaf(keys, 'list', 'Show both API keys.')
    .requiredOption('-g, --resource-group <name>', 'resource group')
    .requiredOption('-n, --name <name>', 'account name')
    .action(
      run(async (ctx, o: GroupAndName) => {
        const res = await ctx.client().request('POST', `${accountPath(subscriptionOf(ctx), o)}/listKeys`, API_VERSIONS.cognitive);
        const k = asObject(res.body);
        printResult(ctx, k, [k], KEY_COLUMNS);
      }),
    );

  leaf(keys, 'regenerate', 'Replace one API key with a new value.')
    .requiredOption('-g, --resource-group <name>', 'resource group')
    .requiredOption('-n, --name <name>', 'account name')
    .requiredOption('--key-name <name>', 'key1 or key2', parseKeyName)
    .action(
      run(async (ctx, o: GroupAndName & { keyName: 'Key1' | 'Key2' }) => {
        const path = `${accountPath(subscriptionOf(ctx), o)}/regenerateKey`;
        const res = await ctx.client().request('POST', path, API_VERSIONS.cognitive, { keyName: o.keyName });
        const k = asObject(res.body);
        printResult(ctx, k, [k], KEY_COLUMNS);
      }),
    );
}
