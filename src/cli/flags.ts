/** Flag value parsers. Commander turns an InvalidArgumentError into a usage error (exit 2). */
import { InvalidArgumentError } from 'commander';
import { UsageError } from './errors.js';

/** `true|false` (also yes/no, 1/0), as az accepts for boolean flags. */
export function parseBoolean(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (['true', 'yes', '1', 'on'].includes(v)) return true;
  if (['false', 'no', '0', 'off'].includes(v)) return false;
  throw new InvalidArgumentError(`expected true or false, got '${value}'.`);
}

/** `key1|key2` (any case) → the ARM keyName `Key1|Key2`. */
export function parseKeyName(value: string): 'Key1' | 'Key2' {
  const v = value.trim().toLowerCase();
  if (v === 'key1') return 'Key1';
  if (v === 'key2') return 'Key2';
  throw new InvalidArgumentError(`allowed values are key1 and key2, got '${value}'.`);
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(`expected a positive whole number, got '${value}'.`);
  }
  return n;
}

/** `--tags k=v k2=v2`; a bare `k` means an empty value; `--tags ""` gives no tags (clears them). */
export function parseTags(values: readonly string[] | undefined): Record<string, string> | undefined {
  if (values === undefined) return undefined;
  const tags: Record<string, string> = {};
  for (const item of values) {
    if (item.trim().length === 0) continue;
    const eq = item.indexOf('=');
    const key = (eq === -1 ? item : item.slice(0, eq)).trim();
    if (key.length === 0) throw new UsageError(`Invalid tag '${item}': expected KEY=VALUE.`);
    tags[key] = eq === -1 ? '' : item.slice(eq + 1);
  }
  return tags;
}

/** An ARM scope or id given on the command line must be a path. */
export function requireArmPath(flag: string, value: string): string {
  const v = value.trim();
  if (!v.startsWith('/')) {
    throw new UsageError(`${flag} '${value}' is not an ARM id; give the full id, e.g. /subscriptions/{subscription}/resourceGroups/{group}.`);
  }
  return v.replace(/\/+$/, '');
}
