import type { AuditLog, AuditRecorder } from '../../audit/index.js';
import type { ClusterStatus } from '../../cluster/index.js';
import type { SigningKeyRotation } from '../../tokens/index.js';
import type { WorkloadIssuer } from '../../tokens/index.js';
import type { ArmAccess, ArmCall, ArmPipelineDeps } from '../arm/index.js';

export interface AdminDeps extends ArmPipelineDeps {
  readonly audit: AuditLog;
  /** Where the admin operations' denials are recorded. */
  readonly recorder: AuditRecorder;
  readonly rotation: SigningKeyRotation;
  readonly workload: WorkloadIssuer;
  /** The instances sharing the database (the membership table). */
  readonly cluster: { status(): Promise<ClusterStatus> };
}

/** An operator operation: the call has passed ARM's pipeline and the subscription check; the operation authorizes itself. */
export type AdminOperation = (call: ArmCall, deps: AdminDeps, access: ArmAccess) => Promise<unknown>;
