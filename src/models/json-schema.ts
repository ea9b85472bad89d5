/**
 * The small part of JSON Schema that structured outputs use (OpenAI's
 * supported subset): reading keywords safely from untrusted schemas and
 * following `$ref`s within the same document.
 */
export type Schema = Readonly<Record<string, unknown>>;

export function isSchemaObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The schema's `type` as a list (absent → empty). */
export function typesOf(schema: Schema): string[] {
  const type = schema['type'];
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === 'string');
  return [];
}

export function propertiesOf(schema: Schema): Readonly<Record<string, unknown>> | undefined {
  const properties = schema['properties'];
  return isSchemaObject(properties) ? properties : undefined;
}

export function requiredOf(schema: Schema): string[] {
  const required = schema['required'];
  return Array.isArray(required) ? required.filter((r): r is string => typeof r === 'string') : [];
}

export function numberKeyword(schema: Schema, name: string): number | undefined {
  const value = schema[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A schema list keyword (`anyOf`, `oneOf`, `allOf`), or undefined. */
export function schemaList(schema: Schema, name: string): readonly unknown[] | undefined {
  const list = schema[name];
  return Array.isArray(list) && list.length > 0 ? list : undefined;
}

/**
 * The target of a local `$ref` (`#`, `#/$defs/X`, `#/definitions/X`, any JSON
 * pointer into the root), or undefined when it does not resolve.
 */
export function resolveRef(root: unknown, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
