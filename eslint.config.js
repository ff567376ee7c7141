import js from '@eslint/js';
import jest from 'eslint-plugin-jest';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'coverage/', 'node_modules/', '.corpus/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Type-aware: the rules that need the compiler (a promise nobody awaits, a promise where a callback
    // belongs, await on a non-promise) run on the shipped code and the scripts.
    files: ['src/**/*.ts', 'src/**/*.cts', 'scripts/**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['__tests__/**/*.ts'],
    ...jest.configs['flat/recommended'],
    rules: {
      ...jest.configs['flat/recommended'].rules,
      // Leak checks (no process left with the test's tag) belong in after-hooks, and a platform-gated test
      // (`onLinux`, `withIpv6`: `it` or `it.skip`) is a test block.
      'jest/no-standalone-expect': ['error', { additionalTestBlockFunctions: ['afterAll', 'afterEach', 'onLinux', 'withIpv6'] }],
    },
  },
  {
    // The promise rules over the tests too: an un-awaited `expect(...).rejects` or server stop passes silently.
    // (The fixture servers' handlers are async by the SDK's API, so require-await stays off here.)
    files: ['__tests__/**/*.ts'],
    ignores: ['__tests__/fixtures/repos/**'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    // The one CommonJS file: its require() is what keeps wait-on out of the action's start-up.
    files: ['src/target/wait-on-loader.cts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
