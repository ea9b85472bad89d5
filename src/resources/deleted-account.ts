import type { Resource } from './model.js';
import { parseResourceId } from './arm-id.js';

/**
 * A soft-deleted Cognitive Services account, as Azure keeps one for its
 * retention period: what it was (its deployments included) and when it goes
 * for good. Its keys and the role assignments at its scope stay where they
 * were (keys sealed in the keys context), unused: nothing can reach an
 * account that is not in the resources table. A restore puts it back; a
 * purge, or the end of the retention, removes them all.
 */
export interface DeletedAccount {
  /** The account's key (its lowercased ARM id): Azure keeps one deleted account per name in a group. */
  readonly key: string;
  /** The account as it was when deleted (its system-assigned principal already deleted with it). */
  readonly account: Resource;
  /** Its deployments, as they were. */
  readonly deployments: readonly Resource[];
  /** ISO 8601 times, from the product clock. */
  readonly deletedAt: string;
  readonly purgeAt: string;
}

/** Azure's retention for a deleted Azure AI services account: 48 hours (learn.microsoft.com ai-services/recover-purge-resources). */
export const SOFT_DELETE_RETENTION_MS = 48 * 3600_000;

/** Whether the retention has ended at `now` (epoch ms): the account is then gone, as if purged. */
export function isExpired(deleted: DeletedAccount, now: number): boolean {
  return Date.parse(deleted.purgeAt) <= now;
}

/** The deleted account's ARM id: under the subscription's provider, by location and group, as Azure names it (spelled as the account's id). */
export function deletedAccountId(deleted: DeletedAccount): string {
  const parsed = parseResourceId(deleted.account.id);
  const { location, name } = deleted.account;
  return `/subscriptions/${parsed?.subscriptionId ?? ''}/providers/Microsoft.CognitiveServices/locations/${location}/resourceGroups/${parsed?.resourceGroup ?? ''}/deletedAccounts/${name}`;
}
