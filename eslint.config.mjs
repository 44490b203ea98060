// Lint: typescript-eslint's recommended rules, plus the engine's boundaries (ARCHITECTURE.md, "Layers"):
// - electron/engine/ is pure Node and may not import electron or GUI code (of electron/shared/ only
//   the pure modules every layer may use: format.ts and validate.ts);
// - inside the engine no import runs back up a layer (LAYERS, bottom first);
// - outside the engine (cli, main, helper, preload, shared, renderer, e2e) the engine is imported only
//   through its entry, electron/engine/index.js (type-only imports too). Tests may import deep paths.
// electron/test/lint/engine-boundary.test.ts checks that each rule fires.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The engine's layers, bottom first: a folder may import its own layer and the ones before it. */
export const LAYERS = ['io', 'image', 'layout', 'device', 'verify', 'job'];

const PURE_NODE = [
  { group: ['electron', 'electron/*'], message: 'The engine is pure Node: it must not import electron.' },
  {
    group: ['**/main/**', '**/preload/**', '**/renderer/**', '**/helper/**', '**/cli/**'],
    message: 'The engine must not import code from main, preload, helper, cli or renderer.',
  },
  {
    group: ['**/shared/**', '!**/shared/format.js', '!**/shared/validate.js'],
    message: 'Of electron/shared/ the engine may import only the pure modules every layer may use: format.js (sizes and speeds) and validate.js (exact-key validators).',
  },
];

/** Per layer: the pure-Node patterns plus every layer above it (one rule entry per file: flat config replaces, never merges). */
const layerRules = LAYERS.map((layer, i) => {
  const above = LAYERS.slice(i + 1);
  const patterns = [...PURE_NODE];
  if (above.length) {
    patterns.push({
      group: above.flatMap((up) => [`**/${up}/**`, `**/${up}`]),
      message: `Layers run ${LAYERS.join(' → ')}: engine/${layer}/ must not import a layer above it (${above.join(', ')}).`,
    });
  }
  return { files: [`electron/engine/${layer}/**/*.ts`], rules: { 'no-restricted-imports': ['error', { patterns }] } };
});

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
      'no-restricted-imports': ['error', { patterns: PURE_NODE }],
    },
  },
  ...layerRules,
  {
    files: ['electron/{cli,main,helper,preload,shared}/**/*.ts', 'renderer/**/*.{ts,tsx}', 'e2e/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/engine/**', '!**/engine/index.js'],
              message: 'Outside the engine, import it only through its entry: electron/engine/index.js.',
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
