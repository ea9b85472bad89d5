import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FaultBoard, FaultService, parseFaultSpec } from '../../src/faults/index.js';
import { describeEachDialect, type Core } from '../fixtures/core.js';
import { TestClock } from '../fixtures/test-clock.js';

/**
 * Faults are an entity in the change log: added through one instance, every
 * other instance's board injects them once it has caught up; a fault spent
 * by --times on one instance is removed for all; --for runs on the clock.
 */
describeEachDialect('faults', (open) => {
  describe('through the change log', () => {
    let a: Core;
    let b: Core;
    const clock = new TestClock();
    before(async () => {
      a = await open({ clock });
      b = await open({ join: a, clock });
    });
    after(async () => {
      await b?.close();
      await a?.close();
    });

    test('added on one instance, injected by the other; spent there, removed for both', async () => {
      const serviceA = new FaultService(a.store, a.model, clock);
      const serviceB = new FaultService(b.store, b.model, clock);
      const boardB = new FaultBoard(b.model, clock, (id) => void serviceB.clear([id]));
      const fault = await serviceA.add(parseFaultSpec({ surface: 'data-plane', deployment: 'chat', status: 429, retryAfterSeconds: 2, times: 2 }));
      assert.deepEqual(fault.effect, { kind: 'status', status: 429, retryAfterSeconds: 2 });

      assert.equal(boardB.take('data-plane', undefined, undefined, 'chat'), undefined, 'not before the other instance has caught up');
      await b.model.catchUp();
      assert.equal(boardB.take('data-plane', undefined, undefined, 'other'), undefined, 'another deployment');
      assert.equal(boardB.take('imds', 'chat', undefined, undefined), undefined, 'another surface');
      assert.equal(boardB.take('data-plane', undefined, undefined, 'chat')?.id, fault.id);
      assert.equal(boardB.take('data-plane', undefined, undefined, 'chat')?.id, fault.id);
      assert.equal(boardB.take('data-plane', undefined, undefined, 'chat'), undefined, 'spent after --times 2');

      // The spending instance removed it; the first sees the removal once caught up.
      for (let i = 0; i < 50 && serviceB.list().length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(serviceB.list(), []);
      await a.model.catchUp();
      assert.deepEqual(serviceA.list(), []);
    });

    test('--for ends on the clock; a host and a client id are compared in any case', async () => {
      const service = new FaultService(a.store, a.model, clock);
      const board = new FaultBoard(a.model, clock, () => undefined);
      const timed = await service.add(parseFaultSpec({ surface: 'imds', host: 'VM-1', clientId: 'ABC', delayMs: 10, forMs: 30_000 }));
      assert.equal(timed.host, 'vm-1');
      assert.equal(board.take('imds', 'vm-1', 'abc', undefined)?.id, timed.id);
      assert.equal(board.take('imds', 'Vm-1', 'AbC', undefined)?.id, timed.id);
      assert.equal(board.take('imds', 'vm-1', 'other', undefined), undefined);
      clock.advance(30_000);
      assert.equal(board.take('imds', 'vm-1', 'abc', undefined), undefined, 'over');
      assert.deepEqual(await service.clear(), [timed.id]);
    });
  });
});
