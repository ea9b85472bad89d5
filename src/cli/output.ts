/** Printing results: pretty JSON, or a plain aligned table with az-style headers. */

export type OutputFormat = 'json' | 'table';

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

/** Prints one result in the chosen format; a table always gets rows (a single object is one row). */
export function printResult<T>(format: OutputFormat, json: unknown, rows: readonly T[], columns: readonly Column<T>[]): void {
  process.stdout.write(format === 'json' ? renderJson(json) : renderTable(rows, columns));
}
