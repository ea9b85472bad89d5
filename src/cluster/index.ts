// The cluster of instances sharing one database: membership, acknowledged writes, fencing.
export { Fence } from './fence.js';
export { Membership, type MembershipOptions } from './membership.js';
export { instancesTable } from './instances-table.js';
export { DEFAULT_LEASE_MS, type ClusterStatus, type InstanceStatus, type InstanceRecord } from './model.js';
