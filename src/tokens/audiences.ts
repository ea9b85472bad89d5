/**
 * The token audiences each surface accepts, in one place. Compared exactly
 * (a token's `aud` is what the caller asked for), so every name is listed
 * with and without its trailing slash.
 */
export type AudienceSurface = 'arm' | 'graph' | 'dataPlane';

export const COGNITIVE_SERVICES = 'https://cognitiveservices.azure.com';
/** Azure's control-plane resources; ARM also accepts Keyless's own origins (as Azure Stack does its own). */
export const ARM_RESOURCES: readonly string[] = ['https://management.azure.com', 'https://management.core.windows.net'];
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';

/** The resources Keyless issues tokens for (the control plane's and the data plane's). */
export const ISSUED_RESOURCES: readonly string[] = [COGNITIVE_SERVICES, ...ARM_RESOURCES];

const withSlash = (bases: Iterable<string>): Set<string> => {
  const out = new Set<string>();
  for (const base of bases) {
    out.add(base);
    out.add(`${base}/`);
  }
  return out;
};

const DATA_PLANE: ReadonlySet<string> = withSlash([COGNITIVE_SERVICES]);
/** Per set of own origins (replaced whenever the names are rebound), so a request never builds a set. */
const byOrigins = new WeakMap<ReadonlySet<string>, Map<AudienceSurface, ReadonlySet<string>>>();

/**
 * The audiences `surface` accepts. `ownOrigins` are Keyless's HTTPS origins
 * (KeylessNames.origins), accepted by the control plane and Graph; the data
 * plane accepts only Cognitive Services.
 */
export function audiencesFor(surface: AudienceSurface, ownOrigins: ReadonlySet<string> = new Set()): ReadonlySet<string> {
  if (surface === 'dataPlane') return DATA_PLANE;
  let cached = byOrigins.get(ownOrigins);
  if (cached === undefined) {
    cached = new Map();
    byOrigins.set(ownOrigins, cached);
  }
  let audiences = cached.get(surface);
  if (audiences === undefined) {
    const arm = withSlash([...ownOrigins, ...ARM_RESOURCES]);
    audiences = surface === 'arm' ? arm : new Set([...arm, ...withSlash([GRAPH_RESOURCE])]);
    cached.set(surface, audiences);
  }
  return audiences;
}
