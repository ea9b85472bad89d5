import { aboveMaximum, belowMinimum, invalidType } from './errors.js';

/** A request body as a plain record; anything else reads as empty. */
export type Body = Readonly<Record<string, unknown>>;

export function asBody(body: unknown): Body {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Body) : {};
}

interface Range {
  readonly min?: number;
  readonly max?: number;
}

/** An optional integer parameter (absent or null → undefined), range-checked. */
export function optionalInteger(body: Body, name: string, range: Range = {}): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidType(name, 'an integer', value);
  checkRange(name, 'integer', value, range);
  return value;
}

/** An optional number parameter (absent or null → undefined), range-checked. */
export function optionalNumber(body: Body, name: string, range: Range = {}): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidType(name, 'a decimal', value);
  checkRange(name, 'decimal', value, range);
  return value;
}

function checkRange(name: string, kind: 'integer' | 'decimal', value: number, range: Range): void {
  if (range.min !== undefined && value < range.min) throw belowMinimum(name, kind, range.min, value);
  if (range.max !== undefined && value > range.max) throw aboveMaximum(name, kind, range.max, value);
}

/** `stream_options.include_usage`, validated. */
export function includeUsage(body: Body): boolean {
  const options = body['stream_options'];
  if (options === undefined || options === null) return false;
  if (typeof options !== 'object' || Array.isArray(options)) throw invalidType('stream_options', 'an object', options);
  const flag = (options as Body)['include_usage'];
  if (flag === undefined || flag === null) return false;
  if (typeof flag !== 'boolean') throw invalidType('stream_options.include_usage', 'a boolean', flag);
  return flag;
}
