/** Reading `--role-definition` as az does: a file or inline JSON, with az's names (`Name`, `Actions`, …) or ARM's. */
import fs from 'node:fs';
import type { Json } from './arm.js';
import { UsageError } from './errors.js';
import { isGuid } from './role-ref.js';

/** What a role definition file says: the role's name, the role it updates (when it names one), and ARM's `properties`. */
export interface RoleDefinitionInput {
  readonly roleName: string;
  /** A GUID or a full role definition id, from `id` (or a GUID `name` beside a `roleName`, as `role definition list` prints them). */
  readonly id: string | undefined;
  readonly properties: Json;
}

/** A path to a JSON file, or the JSON itself. */
export function readRoleDefinition(value: string): RoleDefinitionInput {
  let text = value;
  if (fs.existsSync(value)) {
    try {
      text = fs.readFileSync(value, 'utf8');
    } catch {
      throw new UsageError(`--role-definition: cannot read '${value}'.`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError('--role-definition: not a JSON file nor JSON text.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError('--role-definition: the JSON must be an object.');
  return toInput(parsed as Json);
}

/** az lower-cases each property's first letter, so `Actions` and `actions` are one; an ARM body's `properties` are lifted up. */
function toInput(raw: Json): RoleDefinitionInput {
  const camel: Json = {};
  const nested = raw['properties'];
  const source: Json = typeof nested === 'object' && nested !== null && !Array.isArray(nested) ? { ...raw, ...(nested as Json) } : raw;
  for (const [key, value] of Object.entries(source)) camel[key.slice(0, 1).toLowerCase() + key.slice(1)] = value;

  const name = camel['name'];
  const roleName = typeof camel['roleName'] === 'string' ? camel['roleName'] : name;
  if (typeof roleName !== 'string' || roleName === '') throw new UsageError('please provide role name');
  const id = typeof camel['id'] === 'string' ? camel['id'] : typeof camel['roleName'] === 'string' && typeof name === 'string' && isGuid(name) ? name : undefined;
  const permissions = camel['permissions'] ?? [
    { actions: camel['actions'] ?? [], notActions: camel['notActions'] ?? [], dataActions: camel['dataActions'] ?? [], notDataActions: camel['notDataActions'] ?? [] },
  ];
  const properties: Json = { roleName, description: camel['description'] ?? '', type: 'CustomRole', permissions };
  if (camel['assignableScopes'] !== undefined) properties['assignableScopes'] = camel['assignableScopes'];
  return { roleName, id, properties };
}
