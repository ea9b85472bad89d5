import { compileCondition, type CompiledCondition } from './condition.js';
import type { ActionKind, Permission, RequestAttributes } from './model.js';

/*
 * Azure's action-pattern matching: case-insensitive, and `*` stands for any run
 * of characters (including none, and including '/') wherever it appears.
 * One refinement: a whole "/*\/" segment may also vanish, so that the built-in
 * Managed Identity Operator pattern "Microsoft.ManagedIdentity/userAssignedIdentities/*\/assign/action"
 * grants "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action", which it does in
 * Azure (it is the role Azure's docs and error fixes prescribe for that action). *(inferred)*
 * Patterns are compiled once into literal-segment matchers and cached, so the
 * hot path only does string comparisons on an action lowercased once per call.
 */

/** A compiled pattern; `test` expects an already lowercased action. */
export interface CompiledPattern {
  readonly test: (loweredAction: string) => boolean;
}

const patternCache = new Map<string, CompiledPattern>();
/** Custom roles bring patterns of their own: the cache is bounded, and cleared wholesale when full (a miss only recompiles). */
const PATTERN_CACHE_LIMIT = 10_000;

const MATCH_ALL: CompiledPattern = { test: () => true };

/** The pattern itself plus each variant with one or more "/*\/" segments collapsed to "/". */
function variants(lowered: string): string[] {
  const at = lowered.indexOf('/*/');
  if (at < 0) return [lowered];
  const head = lowered.slice(0, at);
  const rest = variants(lowered.slice(at + 2)); // each starts with '/'
  const out: string[] = [];
  for (const tail of rest) out.push(`${head}/*${tail}`, `${head}${tail}`);
  return out;
}

function compileUncached(pattern: string): CompiledPattern {
  const globs = variants(pattern.toLowerCase()).map(compileGlob);
  const [only] = globs;
  if (globs.length === 1 && only !== undefined) return only;
  return { test: (a) => globs.some((g) => g.test(a)) };
}

/** A plain glob where '*' matches any run of characters. */
function compileGlob(lowered: string): CompiledPattern {
  if (!lowered.includes('*')) return { test: (a) => a === lowered };
  const parts = lowered.split('*');
  const prefix = parts[0] ?? '';
  const suffix = parts[parts.length - 1] ?? '';
  const middle = parts.slice(1, -1).filter((p) => p.length > 0);
  if (prefix === '' && suffix === '' && middle.length === 0) return MATCH_ALL;
  const minLength = prefix.length + suffix.length + middle.reduce((n, p) => n + p.length, 0);
  return {
    test(a: string): boolean {
      if (a.length < minLength || !a.startsWith(prefix) || !a.endsWith(suffix)) return false;
      // Leftmost placement of each literal between the anchored ends is enough for '*'-only globs.
      let at = prefix.length;
      const end = a.length - suffix.length;
      for (const part of middle) {
        const found = a.indexOf(part, at);
        if (found < 0 || found + part.length > end) return false;
        at = found + part.length;
      }
      return true;
    },
  };
}

/** Returns the cached matcher for a pattern, compiling it on first use. */
export function compilePattern(pattern: string): CompiledPattern {
  let compiled = patternCache.get(pattern);
  if (compiled === undefined) {
    compiled = compileUncached(pattern);
    if (patternCache.size >= PATTERN_CACHE_LIMIT) patternCache.clear();
    patternCache.set(pattern, compiled);
  }
  return compiled;
}

/** Whether one action pattern (e.g. "Microsoft.CognitiveServices/*\/read") matches an action. */
export function matchesAction(pattern: string, action: string): boolean {
  return compilePattern(pattern).test(action.toLowerCase());
}

interface CompiledPermission {
  readonly actions: readonly CompiledPattern[];
  readonly notActions: readonly CompiledPattern[];
  readonly dataActions: readonly CompiledPattern[];
  readonly notDataActions: readonly CompiledPattern[];
  readonly condition: CompiledCondition | undefined;
}

/** Permissions are immutable values, so their compiled form is kept alongside them. */
const permissionCache = new WeakMap<Permission, CompiledPermission>();

function compilePermission(p: Permission): CompiledPermission {
  let compiled = permissionCache.get(p);
  if (compiled === undefined) {
    compiled = {
      actions: p.actions.map(compilePattern),
      notActions: p.notActions.map(compilePattern),
      dataActions: p.dataActions.map(compilePattern),
      notDataActions: p.notDataActions.map(compilePattern),
      condition: p.condition === undefined ? undefined : compileCondition(p.condition),
    };
    permissionCache.set(p, compiled);
  }
  return compiled;
}

function anyMatch(patterns: readonly CompiledPattern[], loweredAction: string): boolean {
  for (const p of patterns) if (p.test(loweredAction)) return true;
  return false;
}

/** Hot-path form of {@link permissionGrants}: the action must already be lowercased. */
export function permissionGrantsLowered(permission: Permission, kind: ActionKind, loweredAction: string, attributes?: RequestAttributes): boolean {
  const c = compilePermission(permission);
  // Control-plane and data-plane lists never mix: a data action is only granted by dataActions.
  const listed =
    kind === 'dataAction'
      ? anyMatch(c.dataActions, loweredAction) && !anyMatch(c.notDataActions, loweredAction)
      : anyMatch(c.actions, loweredAction) && !anyMatch(c.notActions, loweredAction);
  return listed && (c.condition === undefined || c.condition(loweredAction, attributes));
}

/** Whether the block's condition (if any) refuses an action its lists grant; for explanations. */
export function conditionRefuses(permission: Permission, loweredAction: string, attributes?: RequestAttributes): boolean {
  const c = compilePermission(permission);
  return c.condition !== undefined && !c.condition(loweredAction, attributes);
}

/**
 * Whether a permission block grants an action of the given kind:
 * it is in actions (resp. dataActions) and not in notActions (resp. notDataActions).
 */
export function permissionGrants(permission: Permission, kind: ActionKind, action: string, attributes?: RequestAttributes): boolean {
  return permissionGrantsLowered(permission, kind, action.toLowerCase(), attributes);
}
