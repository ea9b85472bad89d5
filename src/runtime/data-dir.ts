import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { StartupError } from '../shared/errors.js';

/**
 * Where Keyless keeps its state: `$KEYLESS_DATA` if set, else
 * `${XDG_DATA_HOME:-$HOME/.local/share}/keyless`. The result is absolute so
 * the runtime file and messages always name the same folder.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env['KEYLESS_DATA'];
  if (explicit) return path.resolve(explicit);
  // The XDG spec says relative values must be ignored.
  const xdg = env['XDG_DATA_HOME'];
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'keyless');
  const home = env['HOME'] || os.homedir();
  return path.join(home, '.local', 'share', 'keyless');
}

/**
 * A top-level file in the data folder is treated as secret when its name,
 * split on `.`, `-` and `_`, has a part equal to `key`, `keys`, `kek`,
 * `secret` or `secrets` (e.g. `ca-key.pem`, `kek`, `db.secret`), or when the
 * caller names it explicitly. Token matching keeps `keyless.lock` and
 * `keyless.db` out of the rule.
 */
const SECRET_TOKENS = new Set(['key', 'keys', 'kek', 'secret', 'secrets']);

export function isSecretFileName(name: string): boolean {
  return name
    .toLowerCase()
    .split(/[.\-_]/)
    .some((part) => SECRET_TOKENS.has(part));
}

export interface PrepareDataDirOptions {
  /** Extra file names (relative to the folder) that must not be readable by others. */
  readonly secretNames?: readonly string[];
}

/**
 * Creates the data folder (mode 0700) or checks an existing one. Refuses with
 * `DataDirInsecure` when the folder or a secret file in it is open to other
 * users, and with `DataDirUnusable` when it is not a writable directory.
 */
export function prepareDataDir(dir: string, options: PrepareDataDirOptions = {}): void {
  const abs = path.resolve(dir);
  let stat = statOrUndefined(abs);
  if (stat === undefined) {
    try {
      fs.mkdirSync(abs, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw new StartupError(
        'DataDirUnusable',
        `Cannot create data folder ${abs} (${errorCode(err)}); check the parent folder's permissions or pick another folder with --data`,
      );
    }
    stat = fs.statSync(abs);
  }

  if (!stat.isDirectory()) {
    throw new StartupError(
      'DataDirUnusable',
      `Data folder ${abs} exists but is not a directory; remove it or pick another folder with --data`,
    );
  }

  // POSIX modes carry no meaning on Windows, so the permission checks stop there.
  if (process.platform !== 'win32') {
    checkOwnerAndMode(abs, stat);
    checkSecretFiles(abs, options.secretNames ?? []);
  }

  try {
    fs.accessSync(abs, fs.constants.W_OK | fs.constants.X_OK);
  } catch {
    throw new StartupError(
      'DataDirUnusable',
      `Data folder ${abs} is not writable by this user; fix its permissions (chmod 700 ${abs}) or pick another folder with --data`,
    );
  }
}

function checkOwnerAndMode(dir: string, stat: fs.Stats): void {
  const uid = process.getuid?.();
  // Another user owning the folder could read keys regardless of its mode.
  if (uid !== undefined && uid !== 0 && stat.uid !== uid) {
    throw new StartupError(
      'DataDirInsecure',
      `Data folder ${dir} belongs to another user (uid ${stat.uid}); use a folder you own with --data`,
    );
  }
  if ((stat.mode & 0o077) !== 0) {
    throw new StartupError(
      'DataDirInsecure',
      `Data folder ${dir} is accessible by other users (mode ${octal(stat.mode)}); run "chmod 700 ${dir}" or pick another folder with --data`,
    );
  }
}

function checkSecretFiles(dir: string, extraNames: readonly string[]): void {
  const names = new Set(fs.readdirSync(dir).filter(isSecretFileName));
  for (const name of extraNames) names.add(name);
  for (const name of names) {
    const file = path.join(dir, name);
    const stat = statOrUndefined(file);
    if (stat === undefined || !stat.isFile()) continue;
    if ((stat.mode & 0o077) !== 0) {
      throw new StartupError(
        'DataDirInsecure',
        `Secret file ${file} is accessible by other users (mode ${octal(stat.mode)}); run "chmod 600 ${file}"`,
      );
    }
  }
}

/**
 * Replaces `file` so readers see either the old or the new content, never a
 * partial one: write a temp file in the same folder (created with `mode`, so
 * secrets are never briefly world-readable), fsync, then rename over.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode: number): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined = fs.openSync(tmp, 'wx', mode);
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
  } catch (err) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  syncDir(dir);
}

/** Makes the rename durable; not every platform lets a directory be fsynced. */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** A file's text, or undefined when it does not exist (any other failure throws). */
export function readFileIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

function statOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw new StartupError('DataDirUnusable', `Cannot inspect ${p} (${errorCode(err)}); check its permissions`);
  }
}

function errorCode(err: unknown): string {
  return (err as NodeJS.ErrnoException | undefined)?.code ?? String(err);
}

function octal(mode: number): string {
  return '0' + (mode & 0o777).toString(8);
}
