/** ESM throughout: run with `node --experimental-vm-modules` (see the `test` script). */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // Sources import each other by their compiled names: .js, and .cjs for the one CommonJS module (.cts),
  // named exactly so dependencies' own .cjs files are left alone.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1', '^(\\./wait-on-loader)\\.cjs$': '$1.cts' },
  moduleFileExtensions: ['ts', 'cts', 'js', 'mjs', 'cjs', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
    '^.+\\.cts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  testTimeout: 60_000,
  // Tests start real servers; two at a time keeps a 2-core machine responsive.
  maxWorkers: 2,
};
