/** One Keyless instance as the membership table records it. */
export interface InstanceRecord {
  readonly id: string;
  /** The origin it serves on (its HTTPS base URL). */
  readonly address: string;
  /** ISO time it started. */
  readonly startedAt: string;
  /** Its last heartbeat, in the database's clock (ms since the epoch). */
  readonly heartbeatMs: number;
  /** The last change-log revision it has applied to its read model. */
  readonly appliedRevision: number;
  /** Keyless's version it runs. */
  readonly version: string;
}

/** An instance as `keyless cluster status` shows it: its record, and what follows from it at `nowMs`. */
export interface InstanceStatus extends InstanceRecord {
  /** Whether it is in the cluster: its last heartbeat is younger than the lease. */
  readonly live: boolean;
  /** Milliseconds since its last heartbeat. */
  readonly heartbeatAgeMs: number;
  /** Revisions it has not applied yet. */
  readonly lag: number;
  /** Whether this is the instance that answered. */
  readonly self: boolean;
}

export interface ClusterStatus {
  /** The newest committed revision. */
  readonly revision: number;
  readonly leaseMs: number;
  readonly instances: readonly InstanceStatus[];
}

/** The lease when `--lease` is not given: an instance silent for longer is out, and fences itself. */
export const DEFAULT_LEASE_MS = 5000;
