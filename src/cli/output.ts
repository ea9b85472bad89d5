/** Printing results as az does: JSON (plain or coloured), an aligned table, tab-separated values, or nothing; after `--query`. */
import { applyQuery, type Query } from './query.js';

export type OutputFormat = 'json' | 'jsonc' | 'table' | 'tsv' | 'none';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['json', 'jsonc', 'table', 'tsv', 'none'];

/** How a command prints: the format, and the `--query` to apply first. */
export interface OutputOptions {
  readonly format: OutputFormat;
  readonly query?: Query | undefined;
}

export interface Column<T> {
  readonly header: string;
  readonly value: (row: T) => unknown;
}

/** Columns two spaces apart, a dashed rule under the headers, no trailing spaces. Empty input gives ''. */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  if (rows.length === 0 || columns.length === 0) return '';
  const cells = rows.map((row) => columns.map((c) => cellText(c.value(row))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (values: readonly string[]): string =>
    values.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const out = [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
  return `${out.join('\n')}\n`;
}

/** az renders booleans as True/False and leaves absent values blank. */
export function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return value.replace(/[\r\n\t]+/g, ' ');
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

const COLOURS = { key: '\u001b[94m', string: '\u001b[32m', literal: '\u001b[95m', reset: '\u001b[0m' } as const;

/** `-o jsonc`: the JSON of `-o json`, keys, strings and literals coloured (az's jsonc). */
export function renderColouredJson(value: unknown): string {
  const json = renderJson(value);
  // Tokens of JSON.stringify's own output: a string (a key when a colon follows), or a number, true, false or null.
  return json.replace(/("(?:[^"\\]|\\.)*")(\s*:)?|\b(?:true|false|null)\b|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g, (token, string: string | undefined, colon: string | undefined) => {
    if (string !== undefined) return colon !== undefined ? `${COLOURS.key}${string}${COLOURS.reset}${colon}` : `${COLOURS.string}${string}${COLOURS.reset}`;
    return `${COLOURS.literal}${token}${COLOURS.reset}`;
  });
}

/**
 * `-o tsv`, as az (knack) writes it: one line per item of a list (a single
 * result is one line); an object's values tab-separated, in key order
 * unless a query chose the order; a nested list is written as its length,
 * a nested object as nothing; null as `None`, booleans as `True`/`False`
 * (a bare boolean as `true`/`false`).
 */
export function renderTsv(value: unknown, keepKeyOrder: boolean): string {
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => `${tsvRow(item, keepKeyOrder)}\n`).join('');
}

function tsvRow(item: unknown, keepKeyOrder: boolean): string {
  if (Array.isArray(item)) return item.map(tsvCell).join('\t');
  if (item !== null && typeof item === 'object') {
    const entries = Object.entries(item as Record<string, unknown>);
    if (!keepKeyOrder) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return entries.map(([, v]) => tsvCell(v)).join('\t');
  }
  if (typeof item === 'boolean') return String(item);
  return tsvCell(item);
}

function tsvCell(value: unknown): string {
  if (Array.isArray(value)) return String(value.length);
  if (value !== null && typeof value === 'object') return '';
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

/**
 * A table of whatever a query left, as az builds one: a row per object (one
 * for a single object) with its scalar values, headers from the keys with
 * the first letter upper-cased; scalars under `Result`.
 */
export function renderAutoTable(value: unknown): string {
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) return '';
  if (items.every((item) => item === null || typeof item !== 'object' || Array.isArray(item))) {
    return renderTable(items, [{ header: 'Result', value: (item) => (Array.isArray(item) ? undefined : item) }]);
  }
  const keys: string[] = [];
  for (const item of items) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
    for (const [key, v] of Object.entries(item as Record<string, unknown>)) {
      if ((v === null || typeof v !== 'object') && !keys.includes(key)) keys.push(key);
    }
  }
  const columns = keys.map((key) => ({ header: key.charAt(0).toUpperCase() + key.slice(1), value: (row: unknown) => (row as Record<string, unknown> | null)?.[key] }));
  return renderTable(items, columns);
}

/**
 * Prints one result in the chosen format. `json` is the result's JSON form,
 * what `--query` applies to; a table uses the command's own rows and columns
 * (a single object is one row) unless a query reshaped the result.
 */
export function printResult<T>(output: OutputOptions | OutputFormat, json: unknown, rows: readonly T[], columns: readonly Column<T>[]): void {
  const { format, query } = typeof output === 'string' ? { format: output, query: undefined } : output;
  if (format === 'none') return;
  const result = query === undefined ? json : applyQuery(query, json);
  let text: string;
  switch (format) {
    case 'json':
      text = renderJson(result);
      break;
    case 'jsonc':
      text = colourWanted() ? renderColouredJson(result) : renderJson(result);
      break;
    case 'tsv':
      text = renderTsv(result, query !== undefined);
      break;
    case 'table':
      text = query === undefined ? renderTable(rows, columns) : renderAutoTable(result);
      break;
  }
  process.stdout.write(text);
}

/** As az: colour only on a terminal, and never with NO_COLOR set. */
function colourWanted(): boolean {
  return process.stdout.isTTY === true && (process.env['NO_COLOR'] ?? '') === '';
}
