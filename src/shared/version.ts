import { createRequire } from 'node:module';

/** Keyless's version, from its package.json (dist/src/shared → the package root). */
export const KEYLESS_VERSION: string = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;
