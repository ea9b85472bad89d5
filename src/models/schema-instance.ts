import { isSchemaObject, numberKeyword, propertiesOf, requiredOf, resolveRef, schemaList, typesOf, type Schema } from './json-schema.js';
import type { Rng } from './rng.js';
import { SLOTS } from './vocabulary.js';

/** Past this depth the generator takes the shortest way out (empty arrays, null, the first plain branch). */
const SHALLOW_DEPTH = 6;
/** A schema that cannot end (a required property that refers back to itself forever) stops here. */
const MAX_DEPTH = 24;
const WORDS: readonly string[] = [...(SLOTS['N'] ?? []), ...(SLOTS['A'] ?? [])];

export interface InstanceOptions {
  /** Strict mode: every property is present (OpenAI requires them all to be listed as required). */
  readonly strict: boolean;
}

/**
 * A deterministic JSON value valid against `schema` (the structured-outputs
 * subset: objects, arrays, strings with formats and lengths, numbers within
 * bounds, booleans, null, enum, const, anyOf/oneOf, allOf of objects, `$ref`),
 * drawn from `rng` so that the same request gives the same value. Strings
 * are words from the simulator's vocabulary. `pattern` is not honoured.
 */
export function schemaInstance(schema: unknown, rng: Rng, options: InstanceOptions): unknown {
  return new InstanceWriter(schema, rng, options).value(schema, 0);
}

class InstanceWriter {
  constructor(
    private readonly root: unknown,
    private readonly rng: Rng,
    private readonly options: InstanceOptions,
  ) {}

  value(node: unknown, depth: number): unknown {
    if (node === true || node === undefined) return this.phrase();
    if (!isSchemaObject(node)) return null;
    if (depth > MAX_DEPTH) return null;
    const ref = node['$ref'];
    if (typeof ref === 'string') return this.value(resolveRef(this.root, ref), depth + 1);
    if ('const' in node) return node['const'];
    const enumValues = node['enum'];
    if (Array.isArray(enumValues) && enumValues.length > 0) return this.rng.pick(enumValues);
    const branches = schemaList(node, 'anyOf') ?? schemaList(node, 'oneOf');
    if (branches !== undefined) return this.value(this.branch(branches, depth), depth + 1);
    const allOf = schemaList(node, 'allOf');
    if (allOf !== undefined) return this.value(this.merge(node, allOf), depth + 1);

    switch (this.type(node, depth)) {
      case 'object':
        return this.object(node, depth);
      case 'array':
        return this.array(node, depth);
      case 'integer':
        return this.integer(node);
      case 'number':
        return this.number(node);
      case 'boolean':
        return this.rng.chance(0.5);
      case 'null':
        return null;
      default:
        return this.string(node);
    }
  }

  /** One of the listed types (null rarely, and never when deep), or the type the keywords imply. */
  private type(node: Schema, depth: number): string {
    const types = typesOf(node);
    const concrete = types.filter((t) => t !== 'null');
    if (types.includes('null') && (concrete.length === 0 || depth >= SHALLOW_DEPTH || this.rng.chance(0.2))) return 'null';
    if (concrete.length > 0) return this.rng.pick(concrete);
    if (propertiesOf(node) !== undefined) return 'object';
    if (node['items'] !== undefined || node['prefixItems'] !== undefined) return 'array';
    return 'string';
  }

  /** A branch of anyOf/oneOf; deep down, the first one that does not lead further in. */
  private branch(branches: readonly unknown[], depth: number): unknown {
    if (depth < SHALLOW_DEPTH) return this.rng.pick(branches);
    const leaf = branches.find((b) => isSchemaObject(b) && b['$ref'] === undefined && !typesOf(b).some((t) => t === 'object' || t === 'array'));
    return leaf ?? branches[0];
  }

  /** allOf of object schemas as one object schema (properties and required joined). */
  private merge(node: Schema, parts: readonly unknown[]): Schema {
    const properties: Record<string, unknown> = {};
    const required: string[] = [];
    let merged: Record<string, unknown> = {};
    for (const raw of parts) {
      let part = raw;
      for (let hops = 0; isSchemaObject(part) && typeof part['$ref'] === 'string' && hops < 8; hops++) {
        part = resolveRef(this.root, part['$ref'] as string);
      }
      if (!isSchemaObject(part)) continue;
      merged = { ...merged, ...part };
      Object.assign(properties, propertiesOf(part) ?? {});
      required.push(...requiredOf(part));
    }
    const { allOf: _allOf, ...rest } = node;
    return { ...merged, ...rest, properties: { ...properties, ...(propertiesOf(node) ?? {}) }, required: [...required, ...requiredOf(node)] };
  }

  private object(node: Schema, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const properties = propertiesOf(node) ?? {};
    const required = new Set(requiredOf(node));
    for (const [key, sub] of Object.entries(properties)) {
      const wanted = this.options.strict || required.has(key) || (depth < SHALLOW_DEPTH && this.rng.chance(0.5));
      if (wanted) out[key] = this.value(sub, depth + 1);
    }
    // A required name with no schema of its own: any short phrase will do.
    for (const key of required) if (!(key in out)) out[key] = this.phrase();
    return out;
  }

  private array(node: Schema, depth: number): unknown[] {
    const min = Math.max(0, Math.floor(numberKeyword(node, 'minItems') ?? 0));
    const max = Math.floor(numberKeyword(node, 'maxItems') ?? Number.POSITIVE_INFINITY);
    const prefix = Array.isArray(node['prefixItems']) ? (node['prefixItems'] as unknown[]) : Array.isArray(node['items']) ? (node['items'] as unknown[]) : [];
    const items = Array.isArray(node['items']) ? undefined : node['items'];
    const upper = Math.min(max, Math.max(min, prefix.length) + (depth >= SHALLOW_DEPTH ? 0 : 3));
    const lower = Math.max(min, depth >= SHALLOW_DEPTH ? 0 : Math.min(1, upper));
    const count = this.rng.int(lower, Math.max(lower, upper));
    const unique = node['uniqueItems'] === true;
    const out: unknown[] = [];
    const seen = new Set<string>();
    for (let i = 0, attempts = 0; out.length < count && attempts < count * 20 + 20; attempts++) {
      const sub = i < prefix.length ? prefix[i] : items;
      const value = this.value(sub, depth + 1);
      if (unique) {
        const key = JSON.stringify(value);
        if (seen.has(key)) continue;
        seen.add(key);
      }
      out.push(value);
      i++;
    }
    return out;
  }

  private integer(node: Schema): number {
    const { low, high } = this.bounds(node, 1);
    const step = numberKeyword(node, 'multipleOf');
    if (step !== undefined && Number.isInteger(step) && step > 0) {
      const first = Math.ceil(low / step);
      const last = Math.floor(high / step);
      if (first <= last) return this.rng.int(first, last) * step;
    }
    return this.rng.int(Math.ceil(low), Math.max(Math.ceil(low), Math.floor(high)));
  }

  private number(node: Schema): number {
    const step = numberKeyword(node, 'multipleOf');
    if (step !== undefined && step > 0) {
      const { low, high } = this.bounds(node, step);
      const first = Math.ceil(low / step);
      const last = Math.floor(high / step);
      if (first <= last) return Number((this.rng.int(first, last) * step).toPrecision(12));
    }
    const { low, high } = this.bounds(node, 0.01);
    // Two decimals, as a person would write a quantity; kept inside the bounds.
    const value = Math.round((low + this.rng.next() * (high - low)) * 100) / 100;
    return Math.min(high, Math.max(low, value));
  }

  /** Inclusive bounds from minimum/maximum and their exclusive forms, around 0..100 by default. */
  private bounds(node: Schema, epsilon: number): { low: number; high: number } {
    const exclusiveMin = numberKeyword(node, 'exclusiveMinimum');
    const exclusiveMax = numberKeyword(node, 'exclusiveMaximum');
    let low = numberKeyword(node, 'minimum') ?? (exclusiveMin === undefined ? undefined : exclusiveMin + epsilon);
    let high = numberKeyword(node, 'maximum') ?? (exclusiveMax === undefined ? undefined : exclusiveMax - epsilon);
    if (low === undefined && high === undefined) return { low: 0, high: 100 };
    low ??= Math.min(0, (high ?? 0) - 100);
    high ??= Math.max(100, low + 100);
    return { low, high: Math.max(low, high) };
  }

  private string(node: Schema): string {
    const format = node['format'];
    let text = typeof format === 'string' ? this.formatted(format) : undefined;
    if (text !== undefined) return text;
    text = this.phrase();
    const minLength = numberKeyword(node, 'minLength') ?? 0;
    const maxLength = numberKeyword(node, 'maxLength');
    while (text.length < minLength) text += ` ${this.rng.pick(WORDS)}`;
    if (maxLength !== undefined && text.length > maxLength) text = text.slice(0, Math.max(0, maxLength)).trimEnd();
    while (text.length < minLength) text += 'x';
    return text;
  }

  private phrase(): string {
    const count = this.rng.int(1, 3);
    const words: string[] = [];
    for (let i = 0; i < count; i++) words.push(this.rng.pick(WORDS));
    return words.join(' ');
  }

  /** A value of a string format, or undefined for a format the generator does not know. */
  private formatted(format: string): string | undefined {
    const rng = this.rng;
    const two = (n: number): string => String(n).padStart(2, '0');
    const date = (): string => `${rng.int(2020, 2026)}-${two(rng.int(1, 12))}-${two(rng.int(1, 28))}`;
    const time = (): string => `${two(rng.int(0, 23))}:${two(rng.int(0, 59))}:${two(rng.int(0, 59))}`;
    switch (format) {
      case 'date-time':
        return `${date()}T${time()}Z`;
      case 'date':
        return date();
      case 'time':
        return `${time()}Z`;
      case 'duration':
        return `PT${rng.int(1, 59)}M`;
      case 'email':
        return `${rng.pick(WORDS)}.${rng.pick(WORDS)}@example.com`;
      case 'hostname':
        return `${rng.pick(WORDS)}.example.com`;
      case 'uri':
      case 'url':
        return `https://example.com/${rng.pick(WORDS)}`;
      case 'ipv4':
        return `192.0.2.${rng.int(1, 254)}`;
      case 'ipv6':
        return `2001:db8::${rng.int(1, 0xffff).toString(16)}`;
      case 'uuid':
        return this.uuid();
      default:
        return undefined;
    }
  }

  /** A version-4 UUID from the generator's bits. */
  private uuid(): string {
    const hex = (n: number): string => this.rng.nextUint32().toString(16).padStart(8, '0').slice(0, n);
    const variant = (8 + this.rng.int(0, 3)).toString(16);
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(8)}${hex(4)}`;
  }
}
