/**
 * An account's network rules from the command line: `keyless openai update`'s
 * `--public-network-access`, `--default-action` and `--ip-rules`, and
 * `keyless openai network-rule add|remove|list`, shaped like
 * `az cognitiveservices account network-rule` (IP rules only: Keyless has no
 * virtual networks).
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { Json } from '../arm.js';
import type { CommandContext } from '../context.js';
import { nounCommand, run } from '../context.js';
import type { Column } from '../output.js';
import { printResult } from '../output.js';
import type { GroupAndName, ResourceKind } from '../resources.js';
import { getResource, leaf, patchResource, printOne } from '../resources.js';

export interface NetworkFlags {
  publicNetworkAccess?: string;
  defaultAction?: string;
  ipRules?: string[];
}

/** A flag with a few allowed values, any case, given back in Azure's spelling. */
function choice(allowed: readonly string[]): (value: string) => string {
  return (value) => {
    const found = allowed.find((a) => a.toLowerCase() === value.trim().toLowerCase());
    if (found === undefined) throw new InvalidArgumentError(`allowed values are ${allowed.join(' and ')}, got '${value}'.`);
    return found;
  };
}

/** `openai update`'s network flags. */
export function withNetworkFlags(cmd: Command): Command {
  return cmd
    .option('--public-network-access <value>', 'Enabled or Disabled (Disabled refuses every caller: Keyless has no private endpoints)', choice(['Enabled', 'Disabled']))
    .option('--default-action <action>', 'Allow or Deny: what an address that no --ip-rules entry holds gets', choice(['Allow', 'Deny']))
    .option('--ip-rules <rules...>', 'IPv4 addresses or CIDR ranges that may call when the default action is Deny (replaces them; "" for none)');
}

/**
 * The properties an update's network flags set. networkAcls is written whole,
 * as ARM stores it: the account's own, with what the flags change (so
 * `--ip-rules` alone keeps the default action, and the other way round).
 */
export async function networkProperties(o: NetworkFlags, current: () => Promise<Json>): Promise<Json> {
  const properties: Json = {};
  if (o.publicNetworkAccess !== undefined) properties['publicNetworkAccess'] = o.publicNetworkAccess;
  if (o.defaultAction !== undefined || o.ipRules !== undefined) {
    const acls = aclsOf(await current());
    properties['networkAcls'] = {
      defaultAction: o.defaultAction ?? acls['defaultAction'] ?? 'Allow',
      ...(acls['bypass'] === undefined ? {} : { bypass: acls['bypass'] }),
      ipRules: o.ipRules === undefined ? (acls['ipRules'] ?? []) : ipRules(o.ipRules),
      virtualNetworkRules: [],
    };
  }
  return properties;
}

/** `--ip-rules 1.2.3.4 10.0.0.0/24` (spaces or commas; `""` for none). Each value is ARM's to judge. */
function ipRules(values: readonly string[]): Json[] {
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v.length > 0).map((value) => ({ value }));
}

const aclsOf = (account: Json): Json => {
  const acls = (account['properties'] as Json | undefined)?.['networkAcls'];
  return typeof acls === 'object' && acls !== null ? (acls as Json) : {};
};

const RULE_COLUMNS: readonly Column<Json>[] = [{ header: 'IpAddressOrRange', value: (r) => r['value'] }];

/** `openai network-rule add|remove|list`, as `az cognitiveservices account network-rule`. */
export function registerNetworkRuleCommands(openai: Command, account: ResourceKind): void {
  const rules = nounCommand(openai, 'network-rule', "Manage an account's IP network rules.");
  const target = (cmd: Command): Command => cmd.requiredOption('-g, --resource-group <name>', 'resource group').requiredOption('-n, --name <name>', 'account name');
  const get = (ctx: CommandContext, o: GroupAndName) => getResource(ctx, account, o.resourceGroup, o.name);
  const write = async (ctx: CommandContext, o: GroupAndName, networkAcls: Json) =>
    printOne(ctx, account, await patchResource(ctx, account, o.resourceGroup, o.name, { properties: { networkAcls } }));

  target(leaf(rules, 'add', 'Allow an IPv4 address or CIDR range. As az: on an account without rules this also sets the default action to Deny.'))
    .requiredOption('--ip-address <address>', 'IPv4 address or CIDR range')
    .action(
      run(async (ctx, o: GroupAndName & { ipAddress: string }) => {
        const acls = aclsOf(await get(ctx, o));
        const existing = Array.isArray(acls['ipRules']) ? (acls['ipRules'] as Json[]) : [];
        await write(ctx, o, {
          // az's rule: rules without a default action are made Deny, or the new rule would change nothing.
          defaultAction: acls['defaultAction'] ?? 'Deny',
          ...(acls['bypass'] === undefined ? {} : { bypass: acls['bypass'] }),
          ipRules: [...existing, { value: o.ipAddress }],
          virtualNetworkRules: [],
        });
      }),
    );

  target(leaf(rules, 'remove', 'Remove an IP rule (given exactly as listed). The default action stays as it is.'))
    .requiredOption('--ip-address <address>', 'IPv4 address or CIDR range')
    .action(
      run(async (ctx, o: GroupAndName & { ipAddress: string }) => {
        const current = await get(ctx, o);
        const acls = aclsOf(current);
        if (acls['defaultAction'] === undefined) return printOne(ctx, account, current);
        const existing = Array.isArray(acls['ipRules']) ? (acls['ipRules'] as Json[]) : [];
        await write(ctx, o, { ...acls, ipRules: existing.filter((r) => r['value'] !== o.ipAddress), virtualNetworkRules: [] });
      }),
    );

  target(leaf(rules, 'list', 'Show the network rules (an account without any admits every address: default action Allow).'))
    .action(
      run(async (ctx, o: GroupAndName) => {
        const acls = aclsOf(await get(ctx, o));
        const shown: Json = acls['defaultAction'] === undefined ? { defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] } : acls;
        printResult(ctx, shown, (shown['ipRules'] as Json[] | undefined) ?? [], RULE_COLUMNS);
      }),
    );
}
