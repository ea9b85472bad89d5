/**
 * The resources (token audiences) Keyless can issue tokens for, as Entra
 * knows resource principals. Compared in any case and without one trailing slash; the `aud`
 * claim keeps the form the caller asked for.
 */
export class KnownResources {
  private readonly known = new Set<string>();

  constructor(resources: Iterable<string>) {
    for (const resource of resources) this.known.add(normalise(resource));
  }

  add(resource: string): void {
    this.known.add(normalise(resource));
  }

  has(resource: string): boolean {
    return this.known.has(normalise(resource));
  }
}

/** Case-insensitive, with or without one trailing slash; nothing looser (spaces or runs of slashes are other names). */
const normalise = (resource: string): string => resource.toLowerCase().replace(/\/$/, '');

export { COGNITIVE_SERVICES } from './audiences.js';
