import { findModel } from './catalog.js';

/**
 * The `model` Azure answers for a deployment of `name` at `version`: dated
 * versions carry the date (gpt-4o 2024-08-06 → `gpt-4o-2024-08-06`,
 * gpt-4o-mini 2024-07-18 → `gpt-4o-mini-2024-07-18`, gpt-4 turbo-2024-04-09 →
 * `gpt-4-turbo-2024-04-09`), other versions the name alone (gpt-35-turbo 0125
 * → `gpt-35-turbo`, text-embedding-3-small 1 → `text-embedding-3-small`), and
 * text-embedding-ada-002 answers `ada`. Sources and inferences: docs/compatibility.md.
 */
export function answeredModelName(name: string, version: string): string {
  const canonical = findModel(name, version)?.name ?? name;
  if (canonical === 'text-embedding-ada-002') return 'ada';
  return /\d{4}-\d{2}-\d{2}$/.test(version) ? `${canonical}-${version}` : canonical;
}
