import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { StartupError } from '../shared/errors.js';
import { writeFileAtomic } from '../runtime/data-dir.js';

export const KEK_FILE = 'kek';

/**
 * The key-encryption key seals every secret at rest (signing keys, the
 * digest pepper, account keys). Sources, first match wins: --kek-file,
 * KEYLESS_KEK (base64 of 32 bytes), DIR/kek (created on first start).
 */
export function loadKek(dataDir: string, kekFile: string | undefined, env: NodeJS.ProcessEnv = process.env): Buffer {
  if (kekFile !== undefined) return decode(readSecretFile(kekFile), `the key-encryption key file ${kekFile}`);
  const fromEnv = env['KEYLESS_KEK'];
  if (fromEnv !== undefined && fromEnv !== '') return decode(fromEnv, 'KEYLESS_KEK');
  const file = path.join(dataDir, KEK_FILE);
  if (!fs.existsSync(file)) writeFileAtomic(file, `${randomBytes(32).toString('base64')}\n`, 0o600);
  return decode(readSecretFile(file), `the key-encryption key file ${file}`);
}

function readSecretFile(file: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new StartupError('KekUnreadable', `Cannot read the key-encryption key file ${file}.`);
  }
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    throw new StartupError('KekInsecure', `The key-encryption key file ${file} is readable by others; run: chmod 600 ${file}`);
  }
  return fs.readFileSync(file, 'utf8');
}

function decode(text: string, source: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new StartupError('KekInvalid', `${source} must be 32 bytes, base64-encoded (e.g. openssl rand -base64 32).`);
  return key;
}
