import type { FixAction } from './actions.js';

/** Posture: what is loose in a subscription, ranked, each with why it matters and the commands that fix it. */

/** `high`: access someone could use or gain today; `medium`: a standing weakness; `low`: hygiene. */
export type Severity = 'high' | 'medium' | 'low';

export const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low'];

/** The stable codes of the findings (documented in docs/how-to/posture-and-leak-drills.md). */
export type FindingCode =
  | 'KeyAuthenticationEnabled'
  | 'KeyOlderThanMaxAge'
  | 'KeyNeverRegenerated'
  | 'NetworkOpenToAll'
  | 'ApplicationUsesClientSecret'
  | 'CredentialExpired'
  | 'CredentialExpiringSoon'
  | 'PrivilegedRoleHeldByWorkload'
  | 'DataRoleBroaderThanAccount'
  | 'OrphanedRoleAssignment'
  | 'UnattachedUserAssignedIdentity'
  | 'CustomRoleWildcardDataActions'
  | 'HostEscalationPath';

/** One step of an escalation path through a host: who may act as it, and what its identity then holds. */
export interface EscalationPath {
  /** Object id of the principal that may act as the host. */
  readonly principal: string;
  /** The role assignment that lets it (listIdentityEnvironment on the host). */
  readonly via: { readonly role: string; readonly scope: string; readonly assignmentId: string };
  /** ARM id of the web app or VM. */
  readonly host: string;
  /** Object id of the host's identity, and whether it is the system-assigned one or a user-assigned identity (its ARM id). */
  readonly identity: { readonly principalId: string; readonly kind: 'SystemAssigned' | 'UserAssigned'; readonly resourceId: string | null };
  /** What the identity holds. */
  readonly role: { readonly name: string; readonly scope: string; readonly assignmentId: string };
}

export interface Finding {
  readonly code: FindingCode;
  readonly severity: Severity;
  /** ARM id of the resource (account, identity, host, role assignment), or the object id of a principal. */
  readonly resource: string;
  /** What is loose, in one line. */
  readonly summary: string;
  /** Why it matters. */
  readonly why: string;
  /** The commands that fix it, in order (`keyless …`); a placeholder is in CAPITALS. */
  readonly fix: readonly string[];
  /** Set when the fix is one API call (the commands' effect, as data a client can send after a confirmation). */
  readonly action?: FixAction;
  /** Set on HostEscalationPath: principal → host → identity → role. */
  readonly path?: EscalationPath;
}

export interface PostureReport {
  readonly subscriptionId: string;
  readonly generatedAt: string;
  readonly maxKeyAgeDays: number;
  readonly summary: Readonly<Record<Severity, number>>;
  /** Highest severity first, then by resource. */
  readonly value: readonly Finding[];
}

export const DEFAULT_MAX_KEY_AGE_DAYS = 90;
export const MAX_KEY_AGE_DAYS_LIMIT = 3650;
/** Secrets and certificates expiring within this many days are reported. */
export const EXPIRY_WARNING_DAYS = 30;
