import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A built file of the portal, read once. */
export interface PortalFile {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
}

/** The only files served, by their name under /portal/ ('' is the page itself). */
const FILES: Readonly<Record<string, { file: string; contentType: string }>> = {
  '': { file: 'index.html', contentType: 'text/html; charset=utf-8' },
  'app.js': { file: 'app.js', contentType: 'text/javascript; charset=utf-8' },
  'app.css': { file: 'app.css', contentType: 'text/css; charset=utf-8' },
  'favicon.svg': { file: 'favicon.svg', contentType: 'image/svg+xml' },
};

/** Where `npm run build` writes the bundle: dist/portal, beside dist/src (this file is dist/src/surfaces/portal/files.js). */
export const PORTAL_DIST = fileURLToPath(new URL('../../../portal/', import.meta.url));

/** The built files, or undefined when the portal was not built (then the listener says so instead of failing to start). */
export function loadPortalFiles(dir: string = PORTAL_DIST): ReadonlyMap<string, PortalFile> | undefined {
  try {
    const files = new Map<string, PortalFile>();
    for (const [name, { file, contentType }] of Object.entries(FILES)) {
      const body = readFileSync(`${dir}${file}`);
      files.set(name, { body, contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` });
    }
    return files;
  } catch {
    return undefined;
  }
}
