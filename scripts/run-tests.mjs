#!/usr/bin/env node
// Runs every compiled test file (dist/test/**/*.test.js) with node's test runner,
// passes its output through, and ends with one plain summary line.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) out.push(...findTests(file));
    else if (name.endsWith('.test.js')) out.push(file);
  }
  return out;
}

const filter = process.argv.slice(2);
// tsc never deletes: a compiled test whose source was moved or removed is not run.
const hasSource = (file) => existsSync(file.replace(/^dist[\\/]/, '').replace(/\.js$/, '.ts'));
const files = findTests('dist/test')
  .filter(hasSource)
  .filter((f) => filter.length === 0 || filter.some((part) => f.includes(part)))
  .sort();
if (files.length === 0) {
  console.error('no test files found under dist/test (run `npm run build` first)');
  process.exit(1);
}

// Files the test processes of this run share (test/fixtures/data-dir-template.ts); removed when the run ends.
const cache = mkdtempSync(join(tmpdir(), 'keyless-test-run-'));
const child = spawn(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=2', ...files], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, KEYLESS_TEST_CACHE: cache },
});
// The runner's own summary ("ℹ pass N" …) may come before a long failure list: remember each count as it passes.
const counts = {};
let partial = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  const lines = (partial + chunk.toString()).split('\n');
  partial = lines.pop() ?? '';
  for (const line of lines) {
    const match = /^ℹ (pass|fail|cancelled|skipped) (\d+)$/.exec(line.trim());
    if (match) counts[match[1]] = Number(match[2]);
  }
});
child.on('close', (code) => {
  rmSync(cache, { recursive: true, force: true });
  const count = (name) => counts[name] ?? 0;
  console.log(`${count('pass')} passed, ${count('fail') + count('cancelled')} failed, ${count('skipped')} skipped`);
  process.exit(code ?? 1);
});
