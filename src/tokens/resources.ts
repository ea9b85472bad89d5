/**
 * The resources (token audiences) Keyless can issue tokens for, as Entra
 * knows resource principals. Compared in any case and without one trailing slash; the `aud`
 * claim keeps the form the caller asked for.
 */
export class KnownResources {
  private readonly known = new Set<string>();

  /** `ownOrigin`: whether a resource is Keyless's own ARM audience (its origins, which change with its listeners). */
  constructor(
    resources: Iterable<string>,
    private readonly ownOrigin: (resource: string) => boolean = () => false,
  ) {
    for (const resource of resources) this.known.add(normalise(resource));
  }

  add(resource: string): void {
    this.known.add(normalise(resource));
  }

  has(resource: string): boolean {
    return this.known.has(normalise(resource)) || this.ownOrigin(resource);
  }
}

/** Case-insensitive, with or without one trailing slash; nothing looser (spaces or runs of slashes are other names). */
const normalise = (resource: string): string => resource.toLowerCase().replace(/\/$/, '');

export { COGNITIVE_SERVICES } from './audiences.js';
