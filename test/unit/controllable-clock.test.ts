import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ControllableClock } from '../../src/shared/clock.js';
import { parseDuration } from '../../src/cli/duration.js';

test('a controllable clock: offset, frozen, resumed; every move is announced', () => {
  let base = 1_000_000;
  const clock = new ControllableClock({ now: () => base });
  let moves = 0;
  clock.onMove(() => moves++);
  assert.equal(clock.now(), 1_000_000);
  clock.advance(5000);
  base += 10;
  assert.deepEqual(clock.state(), { now: 1_005_010, offsetMs: 5000, frozen: false });
  clock.set(2_000_000, true);
  base += 10;
  assert.deepEqual(clock.state(), { now: 2_000_000, offsetMs: 2_000_000 - base, frozen: true });
  clock.advance(1000);
  assert.equal(clock.now(), 2_001_000);
  clock.set(3_000_000, false);
  base += 10;
  assert.equal(clock.now(), 3_000_010, 'flows from the time set');
  clock.resume();
  assert.deepEqual(clock.state(), { now: base, offsetMs: 0, frozen: false });
  assert.equal(moves, 5);
});

test('durations as people write them', () => {
  assert.equal(parseDuration('30s', 'd'), 30_000);
  assert.equal(parseDuration('2h', 'd'), 7_200_000);
  assert.equal(parseDuration('1h30m', 'd'), 5_400_000);
  assert.equal(parseDuration('7d', 'd'), 604_800_000);
  assert.equal(parseDuration('500ms', 'd'), 500);
  for (const bad of ['', '2', 'h', '0s', '1.5h', '-1h', '2 h', 'soon']) assert.throws(() => parseDuration(bad, '--for'), { message: `--for must be a duration such as 30s, 90m, 2h, 1h30m or 7d (got '${bad}').` });
});
