/**
 * Writes the README's generated sections (check catalogue, troubleshooting, inputs) from the metadata.
 * `--check` writes nothing and exits 1 when README.md is out of date, for CI.
 *
 * README.md is resolved from the working directory rather than from this file's location: `npm run docs`
 * always runs in the package root, and the path then does not depend on where tsc emits this script
 * (build/scripts/ today) or on running it uncompiled.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { updateDocSections } from '../src/report/catalogue.js';

const USAGE = 'usage: node build/scripts/generate-docs.js [--check]';

function generateDocs(args: readonly string[]): number {
  const unknown = args.filter((arg) => arg !== '--check');
  if (unknown.length) throw new Error(`Unknown argument ${unknown.map((a) => JSON.stringify(a)).join(', ')}. ${USAGE}`);
  const readme = path.resolve(process.cwd(), 'README.md');
  const current = readReadme(readme);
  const updated = updateDocSections(current);
  if (updated === current) {
    console.log(`${readme} is up to date.`);
    return 0;
  }
  if (args.includes('--check')) {
    console.error('README.md is out of date: run npm run docs');
    return 1;
  }
  writeFileSync(readme, updated);
  console.log(`Updated the generated sections of ${readme}.`);
  return 0;
}

function readReadme(readme: string): string {
  try {
    return readFileSync(readme, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read ${readme} (${(error as Error).message}). Run this from the repository root: npm run docs`);
  }
}

try {
  process.exitCode = generateDocs(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
