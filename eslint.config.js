// ESLint: typescript-eslint's recommended rules, and the import boundaries of the architecture.
import path from 'node:path';
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Modules that others may reach only through their index.ts: the core contexts, the store and each surface.
 * A deep import (`../directory/service.js`) from outside the module is an error; `../directory/index.js` is fine.
 */
const MODULES = [
  'src/directory', 'src/resources', 'src/tokens', 'src/rbac', 'src/keys', 'src/audit', 'src/models', 'src/quotas', 'src/store', 'src/upstreams', 'src/posture', 'src/faults', 'src/operations', 'src/sign-in',
  ...readdirSync('src/surfaces', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `src/surfaces/${d.name}`),
];

function directories(dir) {
  return [dir, ...readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).flatMap((d) => directories(`${dir}/${d.name}`))];
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One no-restricted-imports block per source folder: the relative spelling of every other module's insides. */
const boundaries = directories('src').map((dir) => {
  const patterns = MODULES.filter((module) => dir !== module && !dir.startsWith(`${module}/`)).map((module) => {
    let rel = path.posix.relative(dir, module);
    if (!rel.startsWith('.')) rel = `./${rel}`;
    return {
      regex: `^${escape(rel)}/(?!index\\.js$).+`,
      message: `Import ${module.slice(4)} through its index.js: other modules' insides are not part of their contract.`,
    };
  });
  return { files: [`${dir}/*.ts`], rules: { 'no-restricted-imports': ['error', { patterns }] } };
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // The web portal runs in the browser (bundled by portal/build.mjs, which runs in node).
    files: ['portal/src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
  },
  {
    // Tests and benchmarks read loosely typed JSON answers.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  ...boundaries,
);
