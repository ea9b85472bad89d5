import type { Resource } from './model.js';
import { resourceErrors } from './errors.js';

/**
 * An account's network rules, as Azure stores them: `properties.publicNetworkAccess`
 * and `properties.networkAcls`. The one home of the rule "may this address
 * call this account": the data plane asks `networkRefusal()` before it judges
 * any credential; ARM validates (`parseNetworkProperties`) and renders them.
 */
export type PublicNetworkAccess = 'Enabled' | 'Disabled';
export type NetworkRuleAction = 'Allow' | 'Deny';
export type NetworkBypass = 'None' | 'AzureServices';

export interface NetworkAcls {
  readonly defaultAction: NetworkRuleAction;
  /** Stored and shown when given; Keyless has no trusted Azure services, so it changes nothing. */
  readonly bypass?: NetworkBypass;
  readonly ipRules: readonly { readonly value: string }[];
  /** Always empty: Keyless has no virtual networks (a rule for one is refused when written). */
  readonly virtualNetworkRules: readonly never[];
}

/** Azure's limit: "Each Azure AI services resource supports up to 100 IP network rules". */
export const MAX_IP_RULES = 100;

/** Why an address may not call an account (for the answer and the audit; never for anything else). */
export type NetworkRefusal =
  | { readonly kind: 'publicNetworkAccessDisabled'; readonly reason: string }
  | { readonly kind: 'firewall'; readonly reason: string };

// Validation (ARM writes)

/**
 * The network properties of an account PUT or PATCH body, validated and
 * normalised (enum values in Azure's case). A property not given (or null)
 * is undefined: a PATCH keeps the stored one, a PUT drops it.
 */
export function parseNetworkProperties(given: Readonly<Record<string, unknown>>): {
  publicNetworkAccess: PublicNetworkAccess | undefined;
  networkAcls: NetworkAcls | undefined;
} {
  return { publicNetworkAccess: parsePublicNetworkAccess(given['publicNetworkAccess']), networkAcls: parseNetworkAcls(given['networkAcls']) };
}

function parsePublicNetworkAccess(value: unknown): PublicNetworkAccess | undefined {
  if (value === undefined || value === null) return undefined;
  return enumValue<PublicNetworkAccess>(value, ['Enabled', 'Disabled'], 'properties.publicNetworkAccess');
}

function parseNetworkAcls(value: unknown): NetworkAcls | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw resourceErrors.invalidContent("The 'properties.networkAcls' property must be an object.");
  const acls = value as Record<string, unknown>;
  // Absent, the default action is Allow: the rules then have no effect, as Azure documents ("set the default rule to deny, or network rules have no effect").
  const defaultAction = acls['defaultAction'] === undefined || acls['defaultAction'] === null
    ? 'Allow'
    : enumValue<NetworkRuleAction>(acls['defaultAction'], ['Allow', 'Deny'], 'properties.networkAcls.defaultAction');
  const bypass = acls['bypass'] === undefined || acls['bypass'] === null ? undefined : enumValue<NetworkBypass>(acls['bypass'], ['None', 'AzureServices'], 'properties.networkAcls.bypass');
  const ipRules = parseIpRules(acls['ipRules']);
  const vnet = acls['virtualNetworkRules'];
  if (vnet !== undefined && vnet !== null && (!Array.isArray(vnet) || vnet.length > 0)) {
    throw resourceErrors.invalidContent(
      "Keyless has no virtual networks: 'properties.networkAcls.virtualNetworkRules' must be empty. Allow addresses with 'ipRules' instead.",
    );
  }
  return bypass === undefined ? { defaultAction, ipRules, virtualNetworkRules: [] } : { defaultAction, bypass, ipRules, virtualNetworkRules: [] };
}

function parseIpRules(value: unknown): { value: string }[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw resourceErrors.invalidContent("The 'properties.networkAcls.ipRules' property must be an array of { \"value\": \"<IPv4 address or CIDR range>\" }.");
  if (value.length > MAX_IP_RULES) throw resourceErrors.tooManyIpRules(value.length, MAX_IP_RULES);
  return value.map((rule: unknown) => {
    const v = typeof rule === 'object' && rule !== null && !Array.isArray(rule) ? (rule as Record<string, unknown>)['value'] : undefined;
    if (typeof v !== 'string') {
      throw resourceErrors.invalidContent("Each entry of 'properties.networkAcls.ipRules' must be an object with a string 'value' (an IPv4 address or CIDR range).");
    }
    if (parseIpRule(v) === undefined) throw resourceErrors.invalidIpRule(v);
    return { value: v };
  });
}

/** Azure's enum values compare in any case; the stored value is Azure's spelling. */
function enumValue<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  const found = typeof value === 'string' ? allowed.find((a) => a.toLowerCase() === value.toLowerCase()) : undefined;
  if (found === undefined) {
    throw resourceErrors.invalidContent(`The value '${String(value)}' of '${path}' is not valid. Allowed values: ${allowed.join(', ')}.`);
  }
  return found;
}

/**
 * An ipRule's value as Azure accepts it: an IPv4 address (`124.56.78.91`) or
 * a CIDR range (`124.56.78.0/24`), in dotted decimal without leading zeros.
 * Azure refuses the prefixes /31 and /32 ("Small address ranges that use /31
 * or /32 prefix sizes aren't supported. Configure these ranges by using
 * individual IP address rules."). Returns the network and mask, or undefined.
 */
export function parseIpRule(value: string): { readonly network: number; readonly mask: number } | undefined {
  const slash = value.indexOf('/');
  const address = ipv4At(value, 0, slash === -1 ? value.length : slash);
  if (address < 0) return undefined;
  if (slash === -1) return { network: address, mask: 0xffffffff };
  const prefixText = value.slice(slash + 1);
  if (!/^(0|[1-9][0-9]?)$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > 30) return undefined;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { network: (address & mask) >>> 0, mask };
}

/**
 * The IPv4 address in `text[from, to)` as an unsigned 32-bit number, or -1.
 * Reads characters one by one: the data plane calls it for every request to
 * an account with rules, and it allocates nothing.
 */
function ipv4At(text: string, from: number, to: number): number {
  let result = 0;
  let octet = -1;
  let digits = 0;
  let dots = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (octet < 0 || dots === 3) return -1;
      result = result * 256 + octet;
      octet = -1;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return -1; // a leading zero
      octet = octet < 0 ? c - 48 : octet * 10 + (c - 48);
      if (octet > 255) return -1;
      digits++;
    } else return -1;
  }
  if (dots !== 3 || octet < 0) return -1;
  return result * 256 + octet;
}

const MAPPED_PREFIX = '::ffff:';

/**
 * The caller's IPv4 address as a number, from the TCP peer's address as node
 * gives it: `127.0.0.2`, or IPv4-mapped IPv6 (`::ffff:127.0.0.2`) on a
 * dual-stack socket. Any other IPv6 address is -1: it matches no ipRule.
 */
export function callerIpv4(remoteAddress: string | undefined): number {
  if (remoteAddress === undefined) return -1;
  const n = remoteAddress.length;
  if (n > MAPPED_PREFIX.length && remoteAddress.charCodeAt(0) === 58 /* : */) {
    for (let i = 0; i < MAPPED_PREFIX.length; i++) {
      if ((remoteAddress.charCodeAt(i) | 0x20) !== (MAPPED_PREFIX.charCodeAt(i) | 0x20)) return -1;
    }
    return ipv4At(remoteAddress, MAPPED_PREFIX.length, n);
  }
  return ipv4At(remoteAddress, 0, n);
}

/** The caller's address as the audit names it: IPv4-mapped IPv6 as plain IPv4. */
export function displayAddress(remoteAddress: string | undefined): string {
  if (remoteAddress === undefined) return 'an unknown address';
  return remoteAddress.toLowerCase().startsWith(MAPPED_PREFIX) && callerIpv4(remoteAddress) >= 0 ? remoteAddress.slice(MAPPED_PREFIX.length) : remoteAddress;
}

// Enforcement (the data plane, per request)

/** An account's rules, parsed once per stored account object. */
interface CompiledRules {
  readonly publicDisabled: boolean;
  /** defaultAction Deny: only ipRules admit. (Allow: every address is admitted, the rules have no effect.) */
  readonly deny: boolean;
  readonly networks: Uint32Array;
  readonly masks: Uint32Array;
  readonly values: readonly string[];
}

/** No rules that refuse anyone: what most accounts have. */
const OPEN: CompiledRules = { publicDisabled: false, deny: false, networks: new Uint32Array(0), masks: new Uint32Array(0), values: [] };

/** Stored accounts are replaced, never changed, when written: a new object gets its rules parsed again. */
const compiledByAccount = new WeakMap<Resource, CompiledRules>();

function compiledRules(account: Resource): CompiledRules {
  let rules = compiledByAccount.get(account);
  if (rules === undefined) {
    rules = compile(account);
    compiledByAccount.set(account, rules);
  }
  return rules;
}

function compile(account: Resource): CompiledRules {
  const publicDisabled = account.properties['publicNetworkAccess'] === 'Disabled';
  const acls = account.properties['networkAcls'] as NetworkAcls | undefined;
  const deny = acls?.defaultAction === 'Deny';
  if (!publicDisabled && !deny) return OPEN;
  const values: string[] = [];
  const networks: number[] = [];
  const masks: number[] = [];
  for (const rule of acls?.ipRules ?? []) {
    const parsed = parseIpRule(rule.value);
    if (parsed === undefined) continue; // validated when written; a value no longer valid admits nobody
    values.push(rule.value);
    networks.push(parsed.network);
    masks.push(parsed.mask);
  }
  return { publicDisabled, deny, networks: Uint32Array.from(networks), masks: Uint32Array.from(masks), values };
}

/**
 * Whether the account refuses a call from `remoteAddress` (the TCP peer's
 * address; a forwarding header is never read), and why. Azure's order:
 * `publicNetworkAccess: Disabled` refuses every caller (Keyless has no
 * private endpoints), addresses in ipRules included; otherwise
 * `defaultAction: Deny` refuses every address that no ipRule holds. Undefined
 * when the call may proceed: for an account without rules that is one
 * WeakMap lookup, with nothing parsed and nothing allocated.
 */
export function networkRefusal(account: Resource, remoteAddress: string | undefined): NetworkRefusal | undefined {
  const rules = compiledRules(account);
  if (rules === OPEN) return undefined;
  if (rules.publicDisabled) {
    return {
      kind: 'publicNetworkAccessDisabled',
      reason: `network rules: publicNetworkAccess is Disabled, so no public address may call (Keyless has no private endpoints); refused ${displayAddress(remoteAddress)}`,
    };
  }
  if (!rules.deny) return undefined;
  const address = callerIpv4(remoteAddress);
  if (address >= 0) {
    const { networks, masks } = rules;
    for (let i = 0; i < networks.length; i++) {
      if (((address & (masks[i] as number)) >>> 0) === networks[i]) return undefined;
    }
  }
  return { kind: 'firewall', reason: `network rules: ${displayAddress(remoteAddress)} matches no ipRule (${listRules(rules.values)}) and networkAcls.defaultAction is Deny` };
}

function listRules(values: readonly string[]): string {
  if (values.length === 0) return 'there are none';
  const shown = values.slice(0, 5).join(', ');
  return values.length > 5 ? `${shown} and ${values.length - 5} more` : shown;
}

/** Whether every address may call the account: public access on, and no default Deny (posture's "open to all"). */
export function openToEveryAddress(account: Resource): boolean {
  return compiledRules(account) === OPEN;
}
