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

export const COGNITIVE_SERVICES = 'https://cognitiveservices.azure.com';
export const ARM_AUDIENCES: readonly string[] = ['https://management.azure.com', 'https://management.core.windows.net'];

/** Data-plane audiences: with or without the trailing slash, as Azure OpenAI accepts. */
export const DATA_PLANE_AUDIENCES: ReadonlySet<string> = new Set([COGNITIVE_SERVICES, `${COGNITIVE_SERVICES}/`]);
