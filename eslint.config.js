// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...new Set(builtinModules.flatMap((name) => [name, `node:${name}`]))];
const serverSidePackages = ['@chamber/runtime', '@chamber/server', '@chamber/desktop'];

/**
 * Layering (VS Code's common/node/browser split): `contract` runs everywhere and imports
 * nothing; `client` and `ui` run in the browser and may not reach Node or the server side.
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
  {
    files: ['packages/client/src/**/*.{ts,tsx}', 'packages/ui/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'client/ui run in the browser: no Node builtins.' })),
            ...serverSidePackages.map((name) => ({
              name,
              message: 'client/ui talk to the runtime only through a transport.',
            })),
          ],
          patterns: [
            {
              group: [
                '@chamber/runtime/*',
                '@chamber/server/*',
                '@chamber/desktop/*',
                '**/runtime/src/**',
                '**/server/src/**',
                '**/desktop/src/**',
              ],
              message: 'client/ui talk to the runtime only through a transport.',
            },
          ],
        },
      ],
    },
  },
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
