import type { AuditLog } from '../../audit/index.js';
import type { ControllableClock } from '../../shared/clock.js';
import type { FaultService } from '../../faults/index.js';
import type { ClusterStatus } from '../../cluster/index.js';
import type { SigningKeyRotation } from '../../tokens/index.js';
import type { WorkloadIssuer } from '../../tokens/index.js';
import type { ArmAccess, ArmCall, ArmPipelineDeps } from '../arm/index.js';

export interface AdminDeps extends ArmPipelineDeps {
  readonly audit: AuditLog;
  readonly rotation: SigningKeyRotation;
  readonly workload: WorkloadIssuer;
  /** The instances sharing the database (the membership table). */
  readonly cluster: { status(): Promise<ClusterStatus> };
  /** The product's time, and its controls when `keyless up --clock controllable` (else undefined). */
  readonly now: () => number;
  readonly clock: ControllableClock | undefined;
  readonly faults: FaultService;
}

/** An operator operation: the call has passed ARM's pipeline and the subscription check; the operation authorizes itself. */
export type AdminOperation = (call: ArmCall, deps: AdminDeps, access: ArmAccess) => Promise<unknown>;
