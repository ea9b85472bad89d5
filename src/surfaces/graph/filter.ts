import { graphErrors } from './errors.js';

export type FilterFields<T> = Readonly<Record<string, (item: T) => string | null>>;

/**
 * The OData `$filter`s Keyless answers: `field eq 'value'` and
 * `startswith(field,'value')` on the given fields, joined by `and`. String
 * comparisons ignore case, as the directory's do; quotes are doubled inside values.
 */
export function parseFilter<T>(filter: unknown, fields: FilterFields<T>): (item: T) => boolean {
  if (filter !== undefined && typeof filter !== 'string') throw graphErrors.badRequest("The query parameter '$filter' must be given once.");
  if (filter === undefined || filter.trim() === '') return () => true;
  const clauses = filter.split(/\s+and\s+/i).map((clause) => parseClause(clause.trim(), fields, filter));
  return (item) => clauses.every((test) => test(item));
}

function parseClause<T>(clause: string, fields: FilterFields<T>, filter: string): (item: T) => boolean {
  const eq = /^(\w+)\s+eq\s+'((?:[^']|'')*)'$/i.exec(clause);
  const starts = /^startswith\(\s*(\w+)\s*,\s*'((?:[^']|'')*)'\s*\)$/i.exec(clause);
  const match = eq ?? starts;
  const field = match?.[1];
  const get = field === undefined ? undefined : Object.entries(fields).find(([name]) => name.toLowerCase() === field.toLowerCase())?.[1];
  if (!match || !get) throw graphErrors.unsupportedQuery(filter);
  const value = (match[2] ?? '').replace(/''/g, "'").toLowerCase();
  return eq
    ? (item) => (get(item) ?? '').toLowerCase() === value
    : (item) => (get(item) ?? '').toLowerCase().startsWith(value);
}
