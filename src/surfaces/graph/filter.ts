import type { FastifyRequest } from 'fastify';
import { graphErrors } from './errors.js';

/** A filterable field: a single string, or a collection of them (filtered with `any`). */
export type FilterField<T> = ((item: T) => string | null) | { readonly many: (item: T) => readonly string[] };
export type FilterFields<T> = Readonly<Record<string, FilterField<T>>>;

/**
 * The OData `$filter`s Keyless answers: `field eq 'value'` and
 * `startswith(field,'value')` on single-valued fields, and
 * `field/any(c:c eq 'value')` on collections (az's lookup of a service
 * principal by name), joined by `and`. String comparisons ignore case, as
 * the directory's do; quotes are doubled inside values.
 */
export function parseFilter<T>(filter: unknown, fields: FilterFields<T>): (item: T) => boolean {
  if (filter !== undefined && typeof filter !== 'string') throw graphErrors.badRequest("The query parameter '$filter' must be given once.");
  if (filter === undefined || filter.trim() === '') return () => true;
  const clauses = filter.split(/\s+and\s+/i).map((clause) => parseClause(clause.trim(), fields, filter));
  return (item) => clauses.every((test) => test(item));
}

const VALUE = "'((?:[^']|'')*)'";
const EQ = new RegExp(`^(\\w+)\\s+eq\\s+${VALUE}$`, 'i');
const STARTS = new RegExp(`^startswith\\(\\s*(\\w+)\\s*,\\s*${VALUE}\\s*\\)$`, 'i');
/** `names/any(c:c eq 'x')`: the lambda variable is any identifier, used on both sides. */
const ANY = new RegExp(`^(\\w+)/any\\(\\s*(\\w+)\\s*:\\s*(\\w+)\\s+eq\\s+${VALUE}\\s*\\)$`, 'i');

function parseClause<T>(clause: string, fields: FilterFields<T>, filter: string): (item: T) => boolean {
  const field = (name: string | undefined): FilterField<T> | undefined =>
    name === undefined ? undefined : Object.entries(fields).find(([known]) => known.toLowerCase() === name.toLowerCase())?.[1];
  const unquote = (value: string | undefined): string => (value ?? '').replace(/''/g, "'").toLowerCase();
  const any = ANY.exec(clause);
  if (any) {
    const get = field(any[1]);
    if (get === undefined || typeof get === 'function' || any[2] !== any[3]) throw graphErrors.unsupportedQuery(filter);
    const value = unquote(any[4]);
    return (item) => get.many(item).some((v) => v.toLowerCase() === value);
  }
  const eq = EQ.exec(clause);
  const match = eq ?? STARTS.exec(clause);
  const get = field(match?.[1]);
  if (!match || get === undefined || typeof get !== 'function') throw graphErrors.unsupportedQuery(filter);
  const value = unquote(match[2]);
  return eq
    ? (item) => (get(item) ?? '').toLowerCase() === value
    : (item) => (get(item) ?? '').toLowerCase().startsWith(value);
}

/**
 * The key of `…(appId='{appId}')`, Graph's lookup by alternate key, from a
 * route ending in `(appId=*`: lowercased, as Keyless stores application ids.
 */
export function appIdKey(request: FastifyRequest): string {
  const rest = (request.params as Record<string, string>)['*'] ?? '';
  const appId = /^(?:'|%27)([^'%]+)(?:'|%27)\)$/i.exec(rest)?.[1];
  if (appId === undefined) throw graphErrors.badRequest(`Invalid key predicate: appId=${rest}`);
  return appId.toLowerCase();
}
