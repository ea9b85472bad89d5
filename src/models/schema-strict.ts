import { isSchemaObject, propertiesOf, requiredOf, schemaList, typesOf, type Schema } from './json-schema.js';

/** Where in a schema a fault is: OpenAI prints it as a Python tuple, `('properties', 'a', 'items')`. */
export type SchemaContext = readonly (string | number)[];

export interface SchemaFault {
  readonly context: SchemaContext;
  /** The sentence after "In context=(…), ". */
  readonly detail: string;
}

/**
 * The cheap part of OpenAI's strict-mode schema rules, checked depth first
 * in document order: every object lists `additionalProperties: false` and
 * every property in `required`, and every subschema says its `type` (or is a
 * `$ref`, `anyOf`, `enum` or `const`). The first fault found, or undefined.
 */
export function strictSchemaFault(schema: Schema): SchemaFault | undefined {
  return visit(schema, []);
}

/** The root of a function's parameters or a response format must be an object schema. */
export function rootTypeFault(schema: Schema): string | undefined {
  const types = typesOf(schema);
  if (types.length === 1 && types[0] === 'object') return undefined;
  const got = types.length === 0 ? 'None' : types.length === 1 ? types[0] : `[${types.map((t) => `'${t}'`).join(', ')}]`;
  return `schema must be a JSON Schema of 'type: "object"', got 'type: "${got}"'.`;
}

function visit(node: unknown, context: SchemaContext): SchemaFault | undefined {
  if (!isSchemaObject(node)) return undefined;
  const types = typesOf(node);
  const combinator = schemaList(node, 'anyOf') ?? schemaList(node, 'oneOf');
  const typed = types.length > 0 || typeof node['$ref'] === 'string' || combinator !== undefined || 'enum' in node || 'const' in node;
  if (!typed) return { context, detail: "schema must have a 'type' key." };

  if (types.includes('object')) {
    if (node['additionalProperties'] !== false) {
      return { context, detail: "'additionalProperties' is required to be supplied and to be false." };
    }
    const properties = propertiesOf(node) ?? {};
    const required = new Set(requiredOf(node));
    const missing = Object.keys(properties).find((key) => !required.has(key));
    if (missing !== undefined) {
      return {
        context,
        detail: `'required' is required to be supplied and to be an array including every key in properties. Missing '${missing}'.`,
      };
    }
    for (const [key, sub] of Object.entries(properties)) {
      const fault = visit(sub, [...context, 'properties', key]);
      if (fault !== undefined) return fault;
    }
  }
  if (node['items'] !== undefined && !Array.isArray(node['items'])) {
    const fault = visit(node['items'], [...context, 'items']);
    if (fault !== undefined) return fault;
  }
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const list = schemaList(node, keyword) ?? [];
    for (let i = 0; i < list.length; i++) {
      const fault = visit(list[i], [...context, keyword, i]);
      if (fault !== undefined) return fault;
    }
  }
  for (const keyword of ['$defs', 'definitions'] as const) {
    const defs = node[keyword];
    if (!isSchemaObject(defs)) continue;
    for (const [name, sub] of Object.entries(defs)) {
      const fault = visit(sub, [...context, keyword, name]);
      if (fault !== undefined) return fault;
    }
  }
  return undefined;
}

/** A context as Python prints a tuple: `()`, `('items',)`, `('properties', 'a')`. */
export function pythonTuple(context: SchemaContext): string {
  const items = context.map((part) => (typeof part === 'number' ? String(part) : pythonString(part)));
  if (items.length === 1) return `(${items[0]},)`;
  return `(${items.join(', ')})`;
}

function pythonString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`);
  return `${quote}${escaped}${quote}`;
}
