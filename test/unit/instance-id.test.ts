import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { instanceId } from '../../src/runtime/instance-id.js';

const folder = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-id-'));

test('a data folder keeps its instance id across restarts', () => {
  const dir = folder();
  const id = instanceId(dir);
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(instanceId(dir), id);
  assert.equal((fs.statSync(path.join(dir, 'instance-id.json')).mode & 0o777), 0o600);
});

test('a copy of the folder elsewhere gets an id of its own (two instances must never share one)', () => {
  const dir = folder();
  const id = instanceId(dir);
  const copy = folder();
  fs.copyFileSync(path.join(dir, 'instance-id.json'), path.join(copy, 'instance-id.json'));
  const other = instanceId(copy);
  assert.notEqual(other, id);
  assert.equal(instanceId(copy), other);
  // The same folder on another host (a restored volume) too.
  const stored = JSON.parse(fs.readFileSync(path.join(dir, 'instance-id.json'), 'utf8'));
  fs.writeFileSync(path.join(dir, 'instance-id.json'), JSON.stringify({ ...stored, host: 'elsewhere' }));
  assert.notEqual(instanceId(dir), id);
});

test('an unreadable id file is replaced', () => {
  const dir = folder();
  fs.writeFileSync(path.join(dir, 'instance-id.json'), 'not json');
  assert.match(instanceId(dir), /^[0-9a-f-]{36}$/);
});
