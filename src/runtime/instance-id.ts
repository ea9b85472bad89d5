import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { readFileIfExists, writeFileAtomic } from './data-dir.js';

const FILE_NAME = 'instance-id.json';

/**
 * This data folder's instance id in the cluster's membership table, kept
 * across restarts: a process killed without leaving (SIGKILL, a crash) and
 * started again on the same folder takes its own row back, instead of leaving
 * a silent row that writes would wait for until its lease ran out. One
 * process at a time uses a data folder (lock.ts). The id is bound to the
 * folder's path and the host's name: a folder copied elsewhere (a second
 * instance seeded from the first, a volume restored on another host) gets an
 * id of its own, since two instances sharing one would not wait for each other.
 */
export function instanceId(dataDir: string): string {
  const file = path.join(dataDir, FILE_NAME);
  const here = { dir: path.resolve(dataDir), host: os.hostname() };
  const stored = parse(readFileIfExists(file));
  if (stored !== undefined && stored.dir === here.dir && stored.host === here.host) return stored.id;
  const id = randomUUID();
  writeFileAtomic(file, `${JSON.stringify({ id, ...here })}\n`, 0o600);
  return id;
}

function parse(text: string | undefined): { id: string; dir: string; host: string } | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    const { id, dir, host } = value;
    return typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id) && typeof dir === 'string' && typeof host === 'string' ? { id, dir, host } : undefined;
  } catch {
    return undefined;
  }
}
