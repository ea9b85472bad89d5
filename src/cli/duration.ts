import { UsageError } from './errors.js';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration as people write it: `30s`, `2h`, `1h30m`, `500ms`, `7d` → milliseconds (> 0). */
export function parseDuration(text: string, flag: string): number {
  const parts = /^(?:\d+(?:ms|s|m|h|d))+$/.test(text) ? text.match(/\d+(?:ms|s|m|h|d)/g) ?? [] : [];
  let ms = 0;
  for (const part of parts) {
    const [, amount = '', unit = ''] = /^(\d+)(ms|s|m|h|d)$/.exec(part) ?? [];
    ms += Number(amount) * (UNIT_MS[unit] ?? 0);
  }
  if (parts.length === 0 || ms <= 0 || !Number.isSafeInteger(ms)) {
    throw new UsageError(`${flag} must be a duration such as 30s, 90m, 2h, 1h30m or 7d (got '${text}').`);
  }
  return ms;
}
