import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'coverage/', 'node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The one CommonJS file: its require() is what keeps wait-on out of the action's start-up.
    files: ['src/target/wait-on-loader.cts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
