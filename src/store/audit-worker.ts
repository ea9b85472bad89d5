/*
 * The audit writer thread (see audit-thread.ts): its own SQLite connection to
 * the data folder's database, appending the batches the request thread posts.
 * Each message is { id, values } with AUDIT_COLUMNS.length values per record;
 * each answer is { id } or { id, error }. 'close' closes the connection.
 */
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { sqliteAppender } from './audit-columns.js';

const port = parentPort;
if (port === null) throw new Error('audit-worker runs only as a worker thread');

const database = new BetterSqlite3((workerData as { file: string }).file, { fileMustExist: true });
// The request thread's connection writes too: wait for it rather than fail (it holds the lock for a few ms at most).
database.pragma('busy_timeout = 5000');
// As the request thread's connection (src/store/database.ts): WAL with fsync at checkpoints.
database.pragma('synchronous = NORMAL');
const append = sqliteAppender(database);

port.on('message', (message: { id: number; values: unknown[] } | 'close') => {
  if (message === 'close') {
    database.close();
    port.close();
    return;
  }
  try {
    append(message.values);
    port.postMessage({ id: message.id });
  } catch (error) {
    port.postMessage({ id: message.id, error: String((error as Error).message ?? error) });
  }
});
