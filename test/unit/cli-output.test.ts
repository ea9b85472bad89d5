import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderAutoTable, renderColouredJson, renderJson, renderTsv } from '../../src/cli/output.js';
import { hoistGlobalOptions } from '../../src/cli/global-options.js';
import { applyQuery, parseQuery } from '../../src/cli/query.js';

const line = (...args: string[]): string[] => hoistGlobalOptions(['node', 'keyless', ...args]).slice(2);

test('global options move from before the command words to the end of the line', () => {
  assert.deepEqual(line('-o', 'tsv', 'group', 'list'), ['group', 'list', '-o', 'tsv']);
  assert.deepEqual(line('group', '--output=json', 'list', '--query', '[].name'), ['group', 'list', '--output=json', '--query', '[].name']);
  assert.deepEqual(line('--data', '/d', 'openai', 'keys', 'list', '-n', 'a', '-g', 'g'), ['openai', 'keys', 'list', '-n', 'a', '-g', 'g', '--data', '/d']);
  assert.deepEqual(line('--only-show-errors', 'group', 'show', '-n', 'g'), ['group', 'show', '-n', 'g', '--only-show-errors']);
  // Already on the leaf: unchanged.
  assert.deepEqual(line('group', 'list', '-o', 'json', '--query', 'length(@)'), ['group', 'list', '-o', 'json', '--query', 'length(@)']);
  // After `--`, everything is the command's own.
  assert.deepEqual(line('-o', 'json', 'run', '--as', 'app', '--', 'node', 'x.js', '-o', 'tsv'), ['run', '--as', 'app', '-o', 'json', '--', 'node', 'x.js', '-o', 'tsv']);
});

test('tsv: a line per item, values in key order (query order with a query), None, True, list lengths', () => {
  const rows = [
    { name: 'b', id: '/x/b', enabled: true, tags: null, list: [1, 2, 3], nested: { a: 1 } },
    { name: 'a', id: '/x/a', enabled: false, tags: null, list: [], nested: {} },
  ];
  assert.equal(renderTsv(rows, false), 'True\t/x/b\t3\tb\t\tNone\nFalse\t/x/a\t0\ta\t\tNone\n');
  assert.equal(renderTsv({ name: 'n', id: 'i' }, true), 'n\ti\n');
  assert.equal(renderTsv('principal-id', true), 'principal-id\n');
  assert.equal(renderTsv(['a', 'b'], true), 'a\nb\n');
  assert.equal(renderTsv(true, true), 'true\n');
  assert.equal(renderTsv(null, true), 'None\n');
  assert.equal(renderTsv([], true), '');
});

test('a queried table: scalar values of each object under capitalised keys, scalars under Result', () => {
  assert.equal(renderAutoTable([{ name: 'a', location: 'eastus', tags: {} }, { name: 'bb', location: 'westus' }]), 'Name  Location\n----  --------\na     eastus\nbb    westus\n');
  assert.equal(renderAutoTable(['x', 'y']), 'Result\n------\nx\ny\n');
  assert.equal(renderAutoTable({ principalId: 'p' }), 'PrincipalId\n-----------\np\n');
  assert.equal(renderAutoTable([]), '');
});

test('jsonc is the json with keys, strings and literals coloured', () => {
  const value = { name: 'a "quoted" name', count: 2, ok: true, none: null, list: ['x'] };
  const coloured = renderColouredJson(value);
  const ESC = '\u001b';
  assert.equal(coloured.split(ESC).map((part, i) => (i === 0 ? part : part.replace(/^\[\d+m/, ''))).join(''), renderJson(value));
  assert.ok(coloured.includes(`${ESC}[94m"name"${ESC}[0m: ${ESC}[32m"a \\"quoted\\" name"${ESC}[0m`));
  assert.ok(coloured.includes(`${ESC}[95mtrue${ESC}[0m`));
  assert.ok(coloured.includes(`${ESC}[95m2${ESC}[0m`));
});

test('queries are JMESPath: compiled when read, applied to the JSON result', () => {
  const data = [{ name: 'a', identity: { principalId: 'p1' } }, { name: 'b', identity: null }];
  assert.deepEqual(applyQuery(parseQuery('[].name'), data), ['a', 'b']);
  assert.deepEqual(applyQuery(parseQuery("[?name=='a'].identity.principalId | [0]"), data), 'p1');
  assert.deepEqual(applyQuery(parseQuery('[].{n: name, p: identity.principalId}'), data), [{ n: 'a', p: 'p1' }, { n: 'b', p: null }]);
  assert.throws(() => parseQuery('[?name=='), { message: "invalid jmespath_type value: '[?name=='" });
  assert.throws(() => applyQuery(parseQuery('nosuch(@)'), data), /Unknown function: nosuch\(\)/);
});
