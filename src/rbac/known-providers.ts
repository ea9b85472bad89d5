import { BUILTIN_ROLES } from './builtin-roles.js';

/*
 * The resource providers whose actions a custom role may name. Azure checks
 * actions against the providers ARM lists; Keyless knows the providers its
 * built-in roles name, those of the resource types it serves, and its own
 * operator actions (`Keyless/…`). Data actions: only the providers whose data
 * planes Keyless serves (Cognitive Services; the built-ins also name Storage
 * and Compute data actions, which Keyless does not serve).
 */

const SERVED = ['Microsoft.Web', 'Microsoft.Compute', 'Microsoft.ManagedIdentity', 'Microsoft.CognitiveServices', 'Microsoft.Authorization', 'Keyless'];

function providersOf(patterns: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const p of patterns) {
    const provider = p.slice(0, p.indexOf('/') < 0 ? p.length : p.indexOf('/'));
    if (!provider.includes('*')) out.add(provider.toLowerCase());
  }
  return out;
}

const ACTION_PROVIDERS = providersOf([...BUILTIN_ROLES.flatMap((r) => r.permissions.flatMap((p) => [...p.actions, ...p.notActions])), ...SERVED]);
const DATA_ACTION_PROVIDERS = providersOf(['Microsoft.CognitiveServices']);

export function isKnownProvider(provider: string, kind: 'action' | 'dataAction'): boolean {
  return (kind === 'action' ? ACTION_PROVIDERS : DATA_ACTION_PROVIDERS).has(provider.toLowerCase());
}
