/**
 * `npm run docs`: writes every document generated from the metadata (see docs-files.ts): the README's
 * generated sections, action.yml's inputs and outputs, the configuration file's JSON Schema, and
 * docs/checks/. `--check` writes nothing and exits 1 naming each stale file, for CI.
 *
 * Files are resolved from the working directory rather than from this file's location: `npm run docs`
 * always runs in the package root, and the paths then do not depend on where tsc emits this script
 * (build/scripts/ today) or on running it uncompiled.
 */
import { generateDocs } from './docs-files.js';

try {
  process.exitCode = generateDocs(process.argv.slice(2), process.cwd(), { log: console.log, error: console.error });
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
