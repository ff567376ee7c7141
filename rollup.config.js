import commonjs from '@rollup/plugin-commonjs';
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

/** Two self-contained bundles: the action and the CLI each run with no node_modules present. */
const bundle = (input, file, banner) => ({
  input,
  output: { file, format: 'es', banner, inlineDynamicImports: true, sourcemap: false },
  plugins: [
    typescript({ tsconfig: './tsconfig.build.json' }),
    // pkce-challenge (used by the SDK) only resolves to its Node build under the "node" condition.
    nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }),
    // .cjs: src/target/wait-on-loader.cts as compiled, whose require() must stay lazy.
    commonjs({ extensions: ['.js', '.cjs', '.cts'], strictRequires: true }),
    // wait-on's dependencies (axios) require JSON files.
    json(),
    // The action's cold start is mostly compiling the bundle: a smaller, ASCII-only source (V8 keeps it
    // as one-byte text) compiles faster. Names are kept so stack traces in bug reports stay readable.
    terser({ format: { ascii_only: true, comments: false }, compress: { passes: 1 }, mangle: false, keep_classnames: true, keep_fnames: true }),
  ],
  onwarn(warning, warn) {
    // Dependencies use `this` at module level and circular imports; neither affects the bundle.
    if (warning.code === 'THIS_IS_UNDEFINED' || warning.code === 'CIRCULAR_DEPENDENCY') return;
    warn(warning);
  },
});

export default [bundle('src/index.ts', 'dist/index.js'), bundle('src/cli.ts', 'dist/cli.js', '#!/usr/bin/env node')];
