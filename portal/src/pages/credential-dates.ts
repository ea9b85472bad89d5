import { str, type Json } from '../api.js';

/** Whether a secret's or certificate's `endDateTime` has passed (by this browser's clock; the server's may be set ahead by `keyless clock`). */
export function expired(credential: Json, now: number = Date.now()): boolean {
  const end = Date.parse(str(credential['endDateTime']));
  return !Number.isNaN(end) && end <= now;
}

export function day(value: unknown): string {
  return str(value).slice(0, 10);
}
