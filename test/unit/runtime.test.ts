import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { StartupError } from '../../src/shared/errors.js';
import { defaultDataDir, isSecretFileName, prepareDataDir, writeFileAtomic } from '../../src/runtime/data-dir.js';
import { acquireLock } from '../../src/runtime/lock.js';
import {
  isProcessAlive,
  readRuntimeFile,
  removeRuntimeFile,
  writeRuntimeFile,
} from '../../src/runtime/runtime-file.js';
import type { RuntimeInfo } from '../../src/runtime/runtime-file.js';

const roots: string[] = [];
after(() => {
  for (const d of roots) fs.rmSync(d, { recursive: true, force: true });
});

/** A fresh 0700 folder under the system temp dir; never the real home. */
function tempRoot(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-rt-'));
  fs.chmodSync(d, 0o700);
  roots.push(d);
  return d;
}

function mode(p: string): number {
  return fs.statSync(p).mode & 0o777;
}

function startupError(code: string, pattern?: RegExp) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof StartupError, `expected StartupError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.doesNotMatch(err.message, /\n/);
    if (pattern) assert.match(err.message, pattern);
    return true;
  };
}

/** A pid that certainly belonged to a process which has exited and been reaped. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const pid = child.pid;
  assert.ok(pid !== undefined);
  await new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return pid;
}

const posix = process.platform !== 'win32';

// ---- defaultDataDir ----

test('defaultDataDir prefers KEYLESS_DATA, then XDG_DATA_HOME, then HOME', () => {
  assert.equal(
    defaultDataDir({ KEYLESS_DATA: '/srv/k', XDG_DATA_HOME: '/x', HOME: '/home/u' }),
    path.resolve('/srv/k'),
  );
  assert.equal(defaultDataDir({ XDG_DATA_HOME: '/x/data', HOME: '/home/u' }), path.join('/x/data', 'keyless'));
  assert.equal(defaultDataDir({ HOME: '/home/u' }), path.join('/home/u', '.local', 'share', 'keyless'));
  // Empty and relative XDG values are ignored, as the XDG spec requires.
  assert.equal(defaultDataDir({ XDG_DATA_HOME: '', HOME: '/home/u' }), path.join('/home/u', '.local', 'share', 'keyless'));
  assert.equal(defaultDataDir({ XDG_DATA_HOME: 'rel', HOME: '/home/u' }), path.join('/home/u', '.local', 'share', 'keyless'));
  assert.equal(defaultDataDir({ KEYLESS_DATA: '', HOME: '/home/u' }), path.join('/home/u', '.local', 'share', 'keyless'));
});

// ---- prepareDataDir ----

test('prepareDataDir creates a missing folder (and parents) with mode 0700', { skip: !posix }, () => {
  const dir = path.join(tempRoot(), 'a', 'keyless');
  prepareDataDir(dir);
  assert.ok(fs.statSync(dir).isDirectory());
  assert.equal(mode(dir), 0o700);
  prepareDataDir(dir); // idempotent on a good folder
});

test('prepareDataDir refuses a folder open to other users', { skip: !posix }, () => {
  const dir = path.join(tempRoot(), 'open');
  fs.mkdirSync(dir, { mode: 0o700 });
  fs.chmodSync(dir, 0o755);
  assert.throws(() => prepareDataDir(dir), startupError('DataDirInsecure', /chmod 700/));
});

test('prepareDataDir refuses a secret file readable by others', { skip: !posix }, () => {
  const dir = path.join(tempRoot(), 'leaky');
  prepareDataDir(dir);
  const secret = path.join(dir, 'ca-key.pem');
  fs.writeFileSync(secret, 'x', { mode: 0o600 });
  fs.chmodSync(secret, 0o644);
  assert.throws(() => prepareDataDir(dir), startupError('DataDirInsecure', /ca-key\.pem.*chmod 600/));
  fs.chmodSync(secret, 0o600);
  prepareDataDir(dir);
});

test('prepareDataDir checks explicitly named secret files too', { skip: !posix }, () => {
  const dir = path.join(tempRoot(), 'named');
  prepareDataDir(dir);
  fs.writeFileSync(path.join(dir, 'keyless.db'), 'x');
  fs.chmodSync(path.join(dir, 'keyless.db'), 0o644);
  prepareDataDir(dir); // not secret by name
  assert.throws(
    () => prepareDataDir(dir, { secretNames: ['keyless.db'] }),
    startupError('DataDirInsecure', /keyless\.db/),
  );
});

test('secret file names are matched by whole name parts', () => {
  for (const name of ['ca-key.pem', 'server-key.pem', 'kek', 'db.secret', 'api_keys.json', 'KEY']) {
    assert.equal(isSecretFileName(name), true, name);
  }
  for (const name of ['keyless.lock', 'keyless.db', 'runtime.json', 'ca.pem', 'monkey.txt']) {
    assert.equal(isSecretFileName(name), false, name);
  }
});

test('prepareDataDir refuses a path that is not a directory', () => {
  const file = path.join(tempRoot(), 'file');
  fs.writeFileSync(file, '');
  assert.throws(() => prepareDataDir(file), startupError('DataDirUnusable', /not a directory/));
});

test('prepareDataDir refuses a folder it cannot write', { skip: !posix || process.getuid?.() === 0 }, () => {
  const dir = path.join(tempRoot(), 'ro');
  fs.mkdirSync(dir, { mode: 0o500 });
  try {
    assert.throws(() => prepareDataDir(dir), startupError('DataDirUnusable', /not writable/));
  } finally {
    fs.chmodSync(dir, 0o700);
  }
});

// ---- writeFileAtomic ----

test('writeFileAtomic creates with the given mode, replaces content and leaves no temp files', { skip: !posix }, () => {
  const dir = tempRoot();
  const file = path.join(dir, 'x-key.pem');
  writeFileAtomic(file, 'one', 0o600);
  assert.equal(fs.readFileSync(file, 'utf8'), 'one');
  assert.equal(mode(file), 0o600);
  writeFileAtomic(file, new TextEncoder().encode('two'), 0o600);
  assert.equal(fs.readFileSync(file, 'utf8'), 'two');
  assert.deepEqual(fs.readdirSync(dir), ['x-key.pem']);
});

// ---- lock ----

test('a second lock on the same folder is refused while the holder lives', () => {
  const dir = tempRoot();
  const lock = acquireLock(dir);
  const lockFile = path.join(dir, 'keyless.lock');
  assert.equal(fs.readFileSync(lockFile, 'utf8').trim(), String(process.pid));
  assert.throws(() => acquireLock(dir), startupError('AlreadyRunning', new RegExp(`pid ${process.pid}.*--data`)));
  lock.release();
  assert.equal(fs.existsSync(lockFile), false);
  lock.release(); // twice is harmless
  acquireLock(dir).release();
});

test('a lock held by a live foreign process is refused', () => {
  const dir = tempRoot();
  // Our parent (the test runner) is alive and is not us.
  fs.writeFileSync(path.join(dir, 'keyless.lock'), `${process.ppid}\n`);
  assert.throws(() => acquireLock(dir), startupError('AlreadyRunning', new RegExp(`pid ${process.ppid}`)));
});

test('a stale lock left by a dead process is taken over', async () => {
  const dir = tempRoot();
  const pid = await deadPid();
  assert.equal(isProcessAlive(pid), false);
  const lockFile = path.join(dir, 'keyless.lock');
  fs.writeFileSync(lockFile, `${pid}\n`);
  const lock = acquireLock(dir);
  assert.equal(fs.readFileSync(lockFile, 'utf8').trim(), String(process.pid));
  lock.release();
  assert.equal(fs.existsSync(lockFile), false);
});

test('a garbage lock file is treated as stale', () => {
  const dir = tempRoot();
  const lockFile = path.join(dir, 'keyless.lock');
  fs.writeFileSync(lockFile, 'not a pid');
  const lock = acquireLock(dir);
  assert.equal(fs.readFileSync(lockFile, 'utf8').trim(), String(process.pid));
  lock.release();
  assert.equal(fs.existsSync(lockFile), false);
});

test('release leaves a lock that another process has since taken', () => {
  const dir = tempRoot();
  const lock = acquireLock(dir);
  const lockFile = path.join(dir, 'keyless.lock');
  fs.writeFileSync(lockFile, `${process.ppid}\n`);
  lock.release();
  assert.equal(fs.readFileSync(lockFile, 'utf8').trim(), String(process.ppid));
});

// ---- runtime file ----

function sampleInfo(dir: string, pid = process.pid): RuntimeInfo {
  return {
    pid,
    startedAt: new Date().toISOString(),
    dataDir: dir,
    baseUrl: 'https://localhost:8443',
    port: 8443,
    identityUrl: 'http://127.0.0.1:8444',
    identityPort: 8444,
    host: '127.0.0.1',
    tenantId: '00000000-0000-0000-0000-000000000001',
    subscriptionId: '00000000-0000-0000-0000-000000000002',
    caPath: path.join(dir, 'ca.pem'),
  };
}

test('runtime file round-trips, is 0600, and is written atomically', () => {
  const dir = tempRoot();
  assert.equal(readRuntimeFile(dir), undefined);
  const info = sampleInfo(dir);
  writeRuntimeFile(dir, info);
  assert.deepEqual(readRuntimeFile(dir), info);
  if (posix) assert.equal(mode(path.join(dir, 'runtime.json')), 0o600);
  writeRuntimeFile(dir, { ...info, port: 9443 });
  assert.equal(readRuntimeFile(dir)?.port, 9443);
  assert.deepEqual(fs.readdirSync(dir), ['runtime.json']);
});

test('a malformed runtime file is reported, not guessed at', () => {
  const dir = tempRoot();
  const file = path.join(dir, 'runtime.json');
  fs.writeFileSync(file, '{ "pid": 1');
  assert.throws(() => readRuntimeFile(dir), startupError('RuntimeFileInvalid', /delete it/));
  const { port: _port, ...missingPort } = sampleInfo(dir);
  fs.writeFileSync(file, JSON.stringify(missingPort));
  assert.throws(() => readRuntimeFile(dir), startupError('RuntimeFileInvalid'));
  fs.writeFileSync(file, JSON.stringify({ ...sampleInfo(dir), pid: '123' }));
  assert.throws(() => readRuntimeFile(dir), startupError('RuntimeFileInvalid'));
});

test('removeRuntimeFile only removes a file naming the given pid', () => {
  const dir = tempRoot();
  writeRuntimeFile(dir, sampleInfo(dir, 424242));
  assert.equal(removeRuntimeFile(dir, process.pid), false);
  assert.ok(readRuntimeFile(dir));
  assert.equal(removeRuntimeFile(dir, 424242), true);
  assert.equal(readRuntimeFile(dir), undefined);
  assert.equal(removeRuntimeFile(dir, 424242), false); // already gone
});

test('isProcessAlive', async () => {
  assert.equal(isProcessAlive(process.pid), true);
  assert.equal(isProcessAlive(await deadPid()), false);
  for (const bad of [0, -1, 1.5, Number.NaN]) assert.equal(isProcessAlive(bad), false);
});
