/**
 * A long-running operation on a resource, as Azure Resource Manager reports
 * it (the RPC's operation resource): the work is simulated, so an operation
 * is due to finish at a set time and is finished by whichever instance sees
 * it due first.
 */
export interface AsyncOperation {
  /** A GUID, the last segment of the operation's URL. */
  readonly id: string;
  readonly action: OperationAction;
  /** The resource's ARM id, as stored. */
  readonly resourceId: string;
  /** Its lowercased key in the resources context. */
  readonly resourceKey: string;
  /** The location in the operation's URL: the resource's (a deployment's is its account's). */
  readonly location: string;
  readonly status: OperationStatus;
  /** ISO 8601 times, from the product clock. */
  readonly startTime: string;
  readonly dueTime: string;
  /** When it finished (its due time: the simulated work ended then), or null while it runs. */
  readonly endTime: string | null;
  /** Why it failed; null unless status is Failed or Canceled. */
  readonly error: OperationError | null;
}

/** `purge`: a soft-deleted account's (its resource id is the deletedAccounts id, its key the account's). */
export type OperationAction = 'create' | 'delete' | 'purge';

/** The RPC's terminal values (Succeeded, Failed, Canceled) and the in-progress one ARM's providers commonly report. */
export type OperationStatus = 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';

export interface OperationError {
  readonly code: string;
  readonly message: string;
}

/** The provisioningState a resource shows while an operation on it runs (Azure's Cognitive Services words). */
export const RUNNING_STATE: Readonly<Record<OperationAction, string>> = { create: 'Creating', delete: 'Deleting', purge: 'Deleting' };

export const isTerminal = (status: OperationStatus): boolean => status !== 'InProgress';
