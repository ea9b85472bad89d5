import type { Clock } from '../shared/clock.js';
import type { ReadModel, Store } from '../store/index.js';
import { AsyncOperations, type OperationOutcome } from './service.js';
import { parseResourceId, resourceEntity, type ResourceService } from '../resources/index.js';
import { NotFoundError } from '../shared/errors.js';

const succeeded: OperationOutcome = { status: 'Succeeded' };

/**
 * The long-running operations of `--async-operations`, with what each action
 * does when it is due: a create has nothing left to do (the resource was
 * written when it started) unless the resource went away meanwhile (its group
 * was deleted); a delete deletes through the resources context, as a
 * synchronous DELETE does (an account's soft delete included); a purge purges
 * the soft-deleted account.
 */
export function openOperations(store: Store, model: ReadModel, clock: Clock, delayMs: number, resources: ResourceService): AsyncOperations {
  const resourceTable = model.table(resourceEntity);
  return new AsyncOperations(
    store,
    model,
    clock,
    delayMs,
    {
      create: async (operation) =>
        resourceTable.has(operation.resourceKey)
          ? succeeded
          : { status: 'Canceled', error: { code: 'OperationCanceled', message: `The resource '${operation.resourceId}' was deleted before its creation finished.` } },
      delete: async (operation) => {
        const parsed = parseResourceId(operation.resourceId);
        if (parsed?.type === undefined || parsed.resourceGroup === undefined) return succeeded;
        try {
          await resources.delete({ type: parsed.type, group: parsed.resourceGroup, names: parsed.names });
        } catch (error) {
          // Its group is gone, and the resource with it.
          if (!(error instanceof NotFoundError)) throw error;
        }
        return succeeded;
      },
      // Already purged (or restored, or expired) meanwhile: nothing is left to purge, which is what was asked.
      purge: async (operation) => {
        await resources.deletedAccounts.purgeKey(operation.resourceKey);
        return succeeded;
      },
    },
    (message) => process.stderr.write(`keyless: ${message}\n`),
  );
}
