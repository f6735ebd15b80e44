// Run from the project root: `npm run lint`. The base path is the project root (one level up).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export default tseslint.config(
  { basePath: root },
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'tools/**',
      'coverage/**',
      'reports/**',
      '.stryker-tmp*/**',
      'test/generated/**',
      'sdk/index.ts',
      'web/console/src/generated.ts',
      'test/bench/peer/**',
      'web/console/dist/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: path.join(root, 'tsconfig.json') })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // Function is the type TypeORM and type-graphql take for classes and resolvers.
      '@typescript-eslint/no-unsafe-function-type': 'off',
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Short functions: over 80 lines (blank lines and comments not counted), split into named helpers.
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }],
    },
  },
  {
    // Tests' describe blocks and migrations are long by nature; generated code is ignored above.
    files: ['**/*.test.ts', 'src/db/migrations/**'],
    rules: { 'max-lines-per-function': 'off' },
  },
  {
    // The request kernel stands below the modules: it imports none of them.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/modules', '**/modules/**'], message: 'src/core imports no module.' }] },
      ],
    },
  },
  {
    // SQL lives in the modules' query files (`<module>.queries.ts`, docs/architecture.md); in
    // every module, the kernel and the HTTP routes call them.
    // The kernel's and the HTTP routes' statements are in `src/core/jobs.queries.ts` and
    // `src/http/health.queries.ts`.
    files: ['src/modules/**/*.ts', 'src/core/**/*.ts', 'src/http/**/*.ts'],
    // signal-log.ts holds the watermark's shared fragments; live-notifications.ts LISTENs on a
    // connection of its own, outside any EntityManager.
    ignores: [
      '**/*.queries.ts',
      '**/*.test.ts',
      'src/modules/signals/signal-log.ts',
      'src/modules/notifications/live-notifications.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.name=/^query(Rows|Prepared)$/]',
          message: "SQL goes in the module's *.queries.ts, as a named function with typed rows.",
        },
        {
          selector: "CallExpression[callee.property.name='query']",
          message: "SQL goes in the module's *.queries.ts, as a named function with typed rows.",
        },
      ],
    },
  },
  {
    // Tests read loosely typed JSON answers of the API.
    files: ['test/**/*.ts', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
