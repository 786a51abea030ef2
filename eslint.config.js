// Lint: the layer boundaries of the README's Layout table, as code (scripts/lint/boundaries.js).
import tseslint from 'typescript-eslint';
import layers from './scripts/lint/boundaries.js';

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', '.data/**', 'web/.svelte-kit/**', 'web/build/**', 'tests/replay/altered/generated/**', '**/*.d.ts'] },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: 'module' },
    plugins: { tigre: layers, '@typescript-eslint': tseslint.plugin },
    // Editors may run more rules than CI; their disable comments are not errors here.
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: { 'tigre/boundaries': 'error' },
  },
);
