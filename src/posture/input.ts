import type { ClientCertificate, ClientSecret, FederatedCredential, Principal } from '../directory/index.js';
import type { AccountKey } from '../keys/index.js';
import type { ActionKind, Decision, RoleAssignment, RoleDefinition, RoleResolver } from '../rbac/index.js';
import type { Resource } from '../resources/index.js';

/**
 * What posture reads: plain values, so that each rule is a pure function of
 * them and unit tests build one by hand. The server fills it from its read
 * model (`readPostureInput`); `role` and `authorize` are the RBAC context's
 * own, the lookup and decision every request uses, so custom roles count as
 * soon as that lookup knows them.
 */
export interface PostureInput {
  readonly subscriptionId: string;
  /** Milliseconds since the epoch (the injected clock). */
  readonly now: number;
  readonly maxKeyAgeDays: number;
  readonly resources: readonly Resource[];
  /** By object id, lowercased. */
  readonly principals: ReadonlyMap<string, Principal>;
  readonly secrets: readonly ClientSecret[];
  readonly certificates: readonly ClientCertificate[];
  readonly federatedCredentials: readonly FederatedCredential[];
  readonly keys: readonly AccountKey[];
  readonly assignments: readonly RoleAssignment[];
  readonly role: RoleResolver;
  /** Every role definition, built-in and custom (`RoleCatalog.list`). */
  readonly roles: readonly RoleDefinition[];
  readonly authorize: (principalId: string, action: string, kind: ActionKind, scope: string) => Decision;
  /** Principals posture leaves alone (Keyless's own admin, whose secret is the CLI's sign-in), lowercased. */
  readonly exempt: ReadonlySet<string>;
}

export const DAY_MS = 86_400_000;

/** Whole days from `from` (ISO) to `now`. */
export function daysSince(from: string, now: number): number {
  return Math.floor((now - Date.parse(from)) / DAY_MS);
}
