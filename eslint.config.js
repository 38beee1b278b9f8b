// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...new Set(builtinModules.flatMap((name) => [name, `node:${name}`]))];

/**
 * One layer's fence: `no-restricted-imports` for the files of `files`, each entry of `rules`
 * forbidding some modules by name (`modules`) and some of Chamber's packages (`packages`: the
 * package name, its subpaths, and relative paths into `packages/<name>/src`).
 * @param {string} files
 * @param {{ modules?: string[], packages?: string[], message: string }[]} rules
 */
function fence(files, rules) {
  return {
    files: [files],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: rules.flatMap(({ modules = [], packages = [], message }) =>
            [...modules, ...packages.map((name) => `@chamber/${name}`)].map((name) => ({ name, message })),
          ),
          patterns: rules
            .filter(({ packages = [] }) => packages.length > 0)
            .map(({ packages = [], message }) => ({
              group: packages.flatMap((name) => [`@chamber/${name}/*`, `**/${name}/src/**`]),
              message,
            })),
        },
      ],
    },
  };
}

const browserRules = [
  { modules: nodeBuiltins, message: 'client/ui run in the browser: no Node builtins.' },
  {
    packages: ['runtime', 'server', 'desktop'],
    message: 'client/ui talk to the runtime only through a transport.',
  },
];

/**
 * Layering (VS Code's common/node/browser split), downward only:
 *
 *   contract ← runtime ← server, desktop        contract ← client ← ui
 *
 * `contract` runs everywhere and imports nothing; `runtime` holds the services and speaks no HTTP
 * itself (OpenCode is reached with undici); `server` and `desktop` are two adapters over it and
 * know nothing of each other; `client` and `ui` run in the browser. `chamber --desktop` loads the
 * desktop host with `import(DESKTOP_MODULE)` (server/src/cli.ts), a module name held in a variable,
 * so the server has no dependency on it and the rule, which sees static imports, needs no exception.
 */
export const layering = [
  {
    files: ['packages/contract/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.{1,2}\\/)',
              message: 'contract must not import anything: it runs in the browser and in Node with no dependencies.',
            },
          ],
        },
      ],
    },
  },
  fence('packages/runtime/src/**/*.ts', [
    {
      modules: ['http', 'https', 'node:http', 'node:https'],
      message: 'runtime speaks no HTTP itself: the server is the HTTP adapter (OpenCode is reached with undici).',
    },
    {
      packages: ['server', 'desktop', 'client', 'ui'],
      message: 'runtime is below its adapters (server, desktop) and knows nothing of the browser side (client, ui).',
    },
  ]),
  fence('packages/server/src/**/*.ts', [
    {
      packages: ['desktop', 'client', 'ui'],
      message:
        'server is one adapter: it does not import the desktop host (the CLI loads it by name for --desktop) or the browser side.',
    },
  ]),
  fence('packages/desktop/src/**/*.ts', [
    {
      packages: ['server', 'client', 'ui'],
      message: 'desktop is one adapter: it does not import the HTTP server or the browser side.',
    },
  ]),
  fence('packages/client/src/**/*.{ts,tsx}', [
    ...browserRules,
    { packages: ['ui'], message: 'client is below ui: the UI uses the client, never the other way round.' },
  ]),
  fence('packages/ui/src/**/*.{ts,tsx}', browserRules),
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', '.bench-cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['packages/client/src/**/*.ts', 'packages/ui/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['packages/ui/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  ...layering,
);
