/*
 * ARM scope helpers. Azure compares scopes case-insensitively and a role
 * assignment applies at its scope and everything beneath it, so authorization
 * needs the chain of ancestors of a requested scope:
 *   resource (and each parent resource) → resource group → subscription → root "/".
 */

/** Cleans a scope without changing its case: one leading slash, no empty segments, no trailing slash. */
export function canonicalScope(scope: string): string {
  const segments = scope.trim().split('/').filter((s) => s.length > 0);
  return `/${segments.join('/')}`;
}

/** The comparison form of a scope: canonical and lowercased. */
export function normalizeScope(scope: string): string {
  return canonicalScope(scope).toLowerCase();
}

interface Chain {
  readonly list: readonly string[];
  readonly set: ReadonlySet<string>;
}

/*
 * Requests hit a small set of scopes (accounts, deployments) repeatedly, so the
 * parsed chains are cached. The cache is cleared wholesale when full: simple,
 * bounded, and a miss only costs one re-parse.
 */
const CHAIN_CACHE_LIMIT = 10_000;
const chainCache = new Map<string, Chain>();

/** Segment counts at which an ARM hierarchy level ends, shallowest first. */
function levelEnds(segments: readonly string[]): number[] {
  const ends: number[] = [];
  let i = 0;
  if (segments[0] === 'subscriptions' && segments.length >= 2) {
    i = 2;
    ends.push(i);
    if (segments[2] === 'resourcegroups' && segments.length >= 4) {
      i = 4;
      ends.push(i);
    }
  }
  // Each "providers/{namespace}/{type}/{name}" starts a resource; each further "{type}/{name}" is a child resource.
  while (i < segments.length) {
    const step = segments[i] === 'providers' ? 4 : 2;
    if (i + step > segments.length) break;
    i += step;
    ends.push(i);
  }
  return ends;
}

function buildChain(normalized: string): Chain {
  const segments = normalized.split('/').filter((s) => s.length > 0);
  const list: string[] = [normalized];
  const ends = levelEnds(segments);
  for (let k = ends.length - 1; k >= 0; k--) {
    const end = ends[k] ?? 0;
    if (end >= segments.length) continue; // that level is the scope itself
    list.push(`/${segments.slice(0, end).join('/')}`);
  }
  if (normalized !== '/') list.push('/');
  return { list, set: new Set(list) };
}

function chainOf(scope: string): Chain {
  let chain = chainCache.get(scope);
  if (chain === undefined) {
    chain = buildChain(normalizeScope(scope));
    if (chainCache.size >= CHAIN_CACHE_LIMIT) chainCache.clear();
    chainCache.set(scope, chain);
  }
  return chain;
}

/**
 * The scope itself and every ancestor, nearest first, ending with the root "/", all normalized.
 * For ".../resourceGroups/RG/providers/Microsoft.CognitiveServices/accounts/A/deployments/D":
 * itself, ".../accounts/a", "/subscriptions/s/resourcegroups/rg", "/subscriptions/s", "/".
 */
export function ancestorsOrSelf(scope: string): readonly string[] {
  return chainOf(scope).list;
}

/** Same as {@link ancestorsOrSelf}, as a set for constant-time membership checks on the hot path. */
export function ancestorSet(scope: string): ReadonlySet<string> {
  return chainOf(scope).set;
}

/** Whether `scope` is `ancestor` or lies beneath it (case-insensitive). */
export function isWithinScope(scope: string, ancestor: string): boolean {
  return chainOf(scope).set.has(normalizeScope(ancestor));
}
