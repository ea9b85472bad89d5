import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../runtime/data-dir.js';
import type { ReadModel, Store } from '../store/index.js';
import type { DirectoryService } from '../directory/index.js';

export const ADMIN_CREDENTIAL_FILE = 'admin-credential.json';

export interface AdminCredential {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/**
 * The CLI signs in as the admin service principal with a client secret kept
 * in the data folder (0600). Each data folder gets its own secret, so a
 * second instance on a shared database has its own without reading the
 * first one's files.
 */
export async function ensureAdminCredential(
  dataDir: string,
  store: Store,
  model: ReadModel,
  directory: DirectoryService,
  tenantId: string,
  adminObjectId: string,
): Promise<void> {
  const file = path.join(dataDir, ADMIN_CREDENTIAL_FILE);
  const admin = directory.principal(adminObjectId);
  if (!admin) throw new Error('the admin principal is missing from the directory');
  const existing = readCredential(file);
  if (existing && existing.clientId === admin.appId && existing.tenantId === tenantId) {
    try {
      directory.authenticateClientSecret(existing.clientId, existing.clientSecret);
      return;
    } catch {
      // Expired or removed: mint a new one below.
    }
  }
  const { value, revision } = await store.write((writer) => directory.addClientSecret(writer, adminObjectId, 3650));
  await model.reach(revision);
  const credential: AdminCredential = { tenantId, clientId: admin.appId, clientSecret: value.secret };
  writeFileAtomic(file, `${JSON.stringify(credential, null, 2)}\n`, 0o600);
}

export function readCredential(file: string): AdminCredential | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<AdminCredential>;
    if (typeof parsed.tenantId === 'string' && typeof parsed.clientId === 'string' && typeof parsed.clientSecret === 'string') {
      return { tenantId: parsed.tenantId, clientId: parsed.clientId, clientSecret: parsed.clientSecret };
    }
  } catch {
    // Missing or unreadable: treated as absent.
  }
  return undefined;
}
