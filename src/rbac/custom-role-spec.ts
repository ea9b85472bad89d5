import type { Permission } from './model.js';
import { roleDefinitionErrors as errors } from './errors.js';
import { isKnownProvider } from './known-providers.js';
import { canonicalScope } from './scope.js';

/** What a custom role PUT may set, once validated: the properties Azure keeps. */
export interface CustomRoleSpec {
  readonly roleName: string;
  readonly description: string;
  readonly permissions: readonly Permission[];
  readonly assignableScopes: readonly string[];
}

/** An action pattern: provider, then '/'-separated segments of letters, digits, '.', '-', '_' and '*'; or '*' alone. */
const ACTION_SHAPE = /^[A-Za-z0-9._*-]+(\/[A-Za-z0-9._*-]+)*$/;

/**
 * Validates a role definition PUT's `properties` (ARM property names) in
 * Azure's order: the shape of the body, each action and data action, then
 * the assignable scopes, which must lie in `subscriptionId`.
 */
export function parseCustomRoleSpec(properties: Record<string, unknown>, subscriptionId: string): CustomRoleSpec {
  const roleName = properties['roleName'];
  if (typeof roleName !== 'string' || roleName.trim() === '') throw errors.invalidContent("'properties.roleName' must be a non-empty string.");
  const description = properties['description'] ?? '';
  if (typeof description !== 'string') throw errors.invalidContent("'properties.description' must be a string.");
  const type = properties['type'] ?? properties['roleType'];
  if (type !== undefined && type !== null && (typeof type !== 'string' || type.toLowerCase() !== 'customrole')) {
    throw errors.invalidContent("'properties.type' must be 'CustomRole'.");
  }
  const permissions = parsePermissions(properties['permissions']);
  const assignableScopes = parseAssignableScopes(properties['assignableScopes'], subscriptionId);
  return { roleName: roleName.trim(), description, permissions, assignableScopes };
}

function parsePermissions(value: unknown): Permission[] {
  if (!Array.isArray(value) || value.length === 0) throw errors.invalidContent("'properties.permissions' must be an array of at least one permission.");
  return value.map((block, i) => {
    if (typeof block !== 'object' || block === null || Array.isArray(block)) throw errors.invalidContent(`'properties.permissions[${i}]' must be an object.`);
    const b = block as Record<string, unknown>;
    const list = (name: string): string[] => {
      const v = b[name] ?? [];
      if (!Array.isArray(v) || v.some((a) => typeof a !== 'string')) throw errors.invalidContent(`'properties.permissions[${i}].${name}' must be an array of strings.`);
      return v as string[];
    };
    const permission: Permission = { actions: list('actions'), notActions: list('notActions'), dataActions: list('dataActions'), notDataActions: list('notDataActions') };
    for (const a of [...permission.actions, ...permission.notActions]) checkAction(a, 'action');
    for (const a of [...permission.dataActions, ...permission.notDataActions]) checkAction(a, 'dataAction');
    return permission;
  });
}

/** An action's shape, then its provider: Keyless must know it (for data actions, serve its data plane). */
function checkAction(action: string, kind: 'action' | 'dataAction'): void {
  const malformed = kind === 'action' ? errors.invalidAction(action) : errors.invalidDataAction(action);
  if (action === '*') return;
  if (!ACTION_SHAPE.test(action) || !action.includes('/')) throw malformed;
  const provider = action.slice(0, action.indexOf('/'));
  if (provider === '*') return;
  if (provider.includes('*')) throw malformed;
  if (!isKnownProvider(provider, kind)) throw kind === 'action' ? errors.unknownProvider() : malformed;
}

/** The subscription, or a resource group or resource in it; canonical (no trailing slash), each once. */
function parseAssignableScopes(value: unknown, subscriptionId: string): string[] {
  if (!Array.isArray(value) || value.length === 0) throw errors.noAssignableScopes();
  const subscription = `/subscriptions/${subscriptionId}`;
  const scopePattern = new RegExp(
    `^/subscriptions/${subscriptionId.replace(/[^0-9a-z-]/gi, '')}(/resourcegroups/[^/]+(/providers/[^/]+/[^/]+/[^/]+(/[^/]+/[^/]+)*)?)?$`,
    'i',
  );
  const out = new Map<string, string>();
  for (const scope of value) {
    if (typeof scope !== 'string') throw errors.invalidAssignableScope(String(scope), subscription);
    const canonical = canonicalScope(scope);
    if (!scopePattern.test(canonical)) throw errors.invalidAssignableScope(scope, subscription);
    if (!out.has(canonical.toLowerCase())) out.set(canonical.toLowerCase(), canonical);
  }
  return [...out.values()];
}
