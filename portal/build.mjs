#!/usr/bin/env node
// Bundles the portal (portal/src → dist/portal/app.js, with its page, styles and icon) for the HTTPS listener to serve under /portal/.
// Type checking is `tsc -p portal` (part of `npm run build`); esbuild only strips types and bundles Preact in.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const out = here('../dist/portal/');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [here('src/main.tsx')],
  outfile: `${out}app.js`,
  bundle: true,
  format: 'esm',
  target: 'es2022',
  platform: 'browser',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
for (const file of ['index.html', 'app.css', 'favicon.svg']) copyFileSync(here(`public/${file}`), `${out}${file}`);
