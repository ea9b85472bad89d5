import type { AuditLog, AuditRecorder } from '../../audit/index.js';
import type { ControllableClock } from '../../shared/clock.js';
import type { FaultService } from '../../faults/index.js';
import type { ClusterStatus } from '../../cluster/index.js';
import type { SigningKeyRotation } from '../../tokens/index.js';
import type { WorkloadIssuer } from '../../tokens/index.js';
import type { SignInService } from '../../sign-in/index.js';
import type { ArmAccess, ArmCall, ArmPipelineDeps } from '../arm/index.js';

export interface AdminDeps extends ArmPipelineDeps {
  readonly audit: AuditLog;
  /** Where drills' start and end, and the admin operations' denials, are recorded. */
  readonly recorder: AuditRecorder;
  readonly rotation: SigningKeyRotation;
  readonly workload: WorkloadIssuer;
  /** The instances sharing the database (the membership table). */
  readonly cluster: { status(): Promise<ClusterStatus> };
  /** The injected clock's time, in ms (posture's key and credential ages). */
  readonly now: () => number;
  /** Keyless's own admin service principal: the CLI signs in with its secret, so posture does not report it. */
  readonly adminObjectId: string;
  /** The product clock's controls when `keyless up --clock controllable` (else undefined). */
  readonly clock: ControllableClock | undefined;
  readonly faults: FaultService;
  /** One-time sign-in codes for the portal (`keyless portal`). */
  readonly signIns: SignInService;
}

/** An operator operation: the call has passed ARM's pipeline and the subscription check; the operation authorizes itself. */
export type AdminOperation = (call: ArmCall, deps: AdminDeps, access: ArmAccess) => Promise<unknown>;
