import fs from 'node:fs';
import path from 'node:path';
import { StartupError } from '../shared/errors.js';
import { isProcessAlive } from './runtime-file.js';
import { readFileIfExists } from './data-dir.js';

export const LOCK_FILE_NAME = 'keyless.lock';

export interface DataDirLock {
  /** Removes the lock file if it still names this process; safe to call twice. */
  release(): void;
}

/**
 * Makes sure only one server uses a data folder. The lock is a file created
 * with O_EXCL holding our pid; a lock left by a dead process is taken over.
 * Two servers taking over the same stale lock at the same instant could both
 * win; that window is accepted.
 */
export function acquireLock(dir: string): DataDirLock {
  const file = path.join(dir, LOCK_FILE_NAME);
  for (let attempt = 0; attempt < 2; attempt++) {
    if (tryCreate(file)) return makeLock(file);
    const holder = readHolder(file);
    if (holder === undefined) continue; // vanished between create and read: retry
    if (holder !== 'stale' && isProcessAlive(holder)) throw alreadyRunning(holder);
    // Stale: the recorded process is gone (or the file is garbage).
    fs.rmSync(file, { force: true });
  }
  const holder = readHolder(file);
  throw alreadyRunning(typeof holder === 'number' ? holder : undefined);
}

function tryCreate(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o600);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    throw new StartupError('DataDirUnusable', `Cannot create lock file ${file} (${code ?? err}); check the data folder's permissions`);
  }
  try {
    fs.writeFileSync(fd, `${process.pid}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/** The pid in the lock file, 'stale' if unparseable, undefined if the file is gone. */
function readHolder(file: string): number | 'stale' | undefined {
  let text = readFileIfExists(file);
  if (text === '') {
    // Another process may have created the file and not yet written its pid.
    sleepSync(100);
    text = readFileIfExists(file);
  }
  if (text === undefined) return undefined;
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : 'stale';
}

function makeLock(file: string): DataDirLock {
  let released = false;
  return {
    release(): void {
      if (released) return;
      released = true;
      if (readHolder(file) === process.pid) fs.rmSync(file, { force: true });
    },
  };
}

function alreadyRunning(pid: number | undefined): StartupError {
  const who = pid === undefined ? '' : ` (pid ${pid})`;
  return new StartupError(
    'AlreadyRunning',
    `Keyless is already running with this data folder${who}; stop it first or use --data to pick another folder`,
  );
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
