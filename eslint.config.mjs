// Lint: typescript-eslint's recommended rules, plus the engine boundary:
// electron/engine/ is pure Node and may not import electron or GUI code (of electron/shared/ only
// the pure formatter shared/format.ts, which every layer uses).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['build/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'renderer/dist/**', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['electron/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'The engine is pure Node: it must not import electron.' },
            {
              group: ['**/main/**', '**/preload/**', '**/renderer/**', '**/helper/**', '**/cli/**'],
              message: 'The engine must not import code from main, preload, helper, cli or renderer.',
            },
            {
              group: ['**/shared/**', '!**/shared/format.js'],
              message: 'The engine may import only shared/format.js from electron/shared/ (the one size and speed formatter, pure).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'bench/**/*.mjs', '*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' } },
  },
);
