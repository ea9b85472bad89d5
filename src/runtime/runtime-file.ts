import fs from 'node:fs';
import path from 'node:path';
import { StartupError } from '../shared/errors.js';
import { writeFileAtomic } from './data-dir.js';

/** What a running server publishes so the CLI can find and trust it. */
export type RuntimeInfo = {
  pid: number;
  startedAt: string;
  dataDir: string;
  baseUrl: string;
  port: number;
  identityUrl: string;
  identityPort: number;
  host: string;
  tenantId: string;
  subscriptionId: string;
  /**
   * The CA file that vouches for the listener's certificate (Keyless's own
   * CA, or a --tls-cert chain that ends in its root). Absent when the chain
   * comes from a CA outside it, which clients must already trust.
   */
  caPath?: string;
  /** The name the listener's certificate is checked against when the CLI connects to it directly; absent: localhost. */
  serverName?: string;
};

export const RUNTIME_FILE_NAME = 'runtime.json';

const OPTIONAL_STRING_FIELDS = ['caPath', 'serverName'] as const satisfies readonly (keyof RuntimeInfo)[];

const STRING_FIELDS = [
  'startedAt',
  'dataDir',
  'baseUrl',
  'identityUrl',
  'host',
  'tenantId',
  'subscriptionId',
] as const satisfies readonly (keyof RuntimeInfo)[];

export function runtimeFilePath(dir: string): string {
  return path.join(dir, RUNTIME_FILE_NAME);
}

/** Atomic and 0600: the file names the tenant and the CA the CLI will trust. */
export function writeRuntimeFile(dir: string, info: RuntimeInfo): void {
  writeFileAtomic(runtimeFilePath(dir), JSON.stringify(info, null, 2) + '\n', 0o600);
}

/**
 * Returns undefined when no server has published a runtime file. A file that
 * exists but is malformed is an error, so the CLI never guesses.
 */
export function readRuntimeFile(dir: string): RuntimeInfo | undefined {
  const file = runtimeFilePath(dir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StartupError('RuntimeFileUnreadable', `Cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? err}); check its permissions`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!isRuntimeInfo(parsed)) {
    throw new StartupError(
      'RuntimeFileInvalid',
      `Runtime file ${file} is malformed; if Keyless is not running, delete it and start again`,
    );
  }
  return parsed;
}

/** Removes the runtime file only when it was written by `pid`; a newer server keeps its file. */
export function removeRuntimeFile(dir: string, pid: number): boolean {
  const file = runtimeFilePath(dir);
  let recorded: unknown;
  try {
    recorded = (JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: unknown } | null)?.pid;
  } catch {
    return false;
  }
  if (recorded !== pid) return false;
  fs.rmSync(file, { force: true });
  return true;
}

export function isRuntimeInfo(value: unknown): value is RuntimeInfo {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    isPid(v['pid']) &&
    isPort(v['port']) &&
    isPort(v['identityPort']) &&
    STRING_FIELDS.every((k) => typeof v[k] === 'string') &&
    OPTIONAL_STRING_FIELDS.every((k) => v[k] === undefined || typeof v[k] === 'string')
  );
}

/**
 * True when a process with this pid exists. EPERM means it exists but
 * belongs to someone else, which still counts as alive.
 */
export function isProcessAlive(pid: number): boolean {
  // pid 0 and negatives address process groups, never a single process.
  if (!isPid(pid)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isPid(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
}

function isPort(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 65535;
}
