import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { asyncOperationEntity, openOperations, type AsyncOperations } from '../../src/operations/index.js';
import { resourceEntity } from '../../src/resources/index.js';
import { describeEachDialect, type Core } from '../fixtures/core.js';
import { TestClock } from '../fixtures/test-clock.js';

/**
 * Long-running operations live in the database: one started by an instance is
 * finished by another opened later on the same database (a restart, or a
 * second instance), once, on the product clock.
 */
const ACCOUNT = 'Microsoft.CognitiveServices/accounts';

describeEachDialect('long-running operations across instances and restarts', (open, dialect) => {
  const clock = new TestClock();
  let first: Core;
  let second: Core;
  let firstOps: AsyncOperations;
  let secondOps: AsyncOperations;
  before(async () => {
    clock.freeze();
    first = await open({ clock });
    firstOps = openOperations(first.store, first.model, clock, 2000, first.resources);
    await first.resources.putGroup('ops', { location: 'westus' });
    await first.resources.put({ type: ACCOUNT, group: 'ops', names: ['doomed'] }, { kind: 'OpenAI', sku: { name: 'S0' } }, 'put');
  });
  after(async () => {
    await secondOps?.stop();
    await firstOps?.stop();
    await second?.close();
    await first?.close();
  });

  test('a delete recorded by one instance is finished by an instance that opens later, and only once', async () => {
    const address = { type: ACCOUNT, group: 'ops', names: ['doomed'] };
    let id = '';
    await first.resources.delete(address, async (writer, resource) => {
      id = (await firstOps.record(writer, 'delete', resource)).id;
    });
    assert.equal(firstOps.provisioningState(idKeyOf(first, 'doomed')), 'Deleting');

    // As after a restart: a fresh read model on the same database.
    second = await open({ join: first, clock });
    secondOps = openOperations(second.store, second.model, clock, 2000, second.resources);
    assert.equal(secondOps.get(id)?.status, 'InProgress');
    assert.equal(secondOps.provisioningState(idKeyOf(second, 'doomed')), 'Deleting');

    clock.advance(2000);
    // Both instances find it due (at once on PostgreSQL; SQLite has one process at a time): the resource is
    // deleted, the operation finished once, at its due time.
    if (dialect === 'postgres') await Promise.all([secondOps.settleDue(), firstOps.settleDue()]);
    else for (const ops of [secondOps, firstOps]) await ops.settleDue();
    const { value } = await second.store.write(async (writer) => ({
      operation: await writer.get(asyncOperationEntity, id),
      resource: await writer.get(resourceEntity, idKeyOf(second, 'doomed')),
    }));
    assert.equal(value.resource, undefined);
    assert.equal(value.operation?.status, 'Succeeded');
    assert.equal(value.operation?.endTime, value.operation?.dueTime);
    assert.equal(secondOps.inFlight(idKeyOf(second, 'doomed')), undefined);
  });
});

const idKeyOf = (core: Core, name: string): string =>
  `/subscriptions/${core.subscriptionId}/resourcegroups/ops/providers/microsoft.cognitiveservices/accounts/${name}`;
