/**
 * Writes the README's generated sections (check catalogue, troubleshooting, inputs) from the metadata,
 * and publishes the configuration file's JSON Schema. `--check` writes nothing and exits 1 when either
 * is out of date, for CI.
 *
 * README.md is resolved from the working directory rather than from this file's location: `npm run docs`
 * always runs in the package root, and the path then does not depend on where tsc emits this script
 * (build/scripts/ today) or on running it uncompiled.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_SCHEMA } from '../src/config-schema.js';
import { updateDocSections } from '../src/report/catalogue.js';

const USAGE = 'usage: node build/scripts/generate-docs.js [--check]';

const SCHEMA_FILE = 'schema/mcp-preflight.config.schema.json';

function generateDocs(args: readonly string[]): number {
  const unknown = args.filter((arg) => arg !== '--check');
  if (unknown.length) throw new Error(`Unknown argument ${unknown.map((a) => JSON.stringify(a)).join(', ')}. ${USAGE}`);
  const readme = path.resolve(process.cwd(), 'README.md');
  const schema = path.resolve(process.cwd(), SCHEMA_FILE);
  const outputs = [
    { file: readme, current: readReadme(readme), updated: '' },
    { file: schema, current: existsSync(schema) ? readFileSync(schema, 'utf8') : '', updated: `${JSON.stringify(CONFIG_SCHEMA, null, 2)}\n` },
  ];
  outputs[0].updated = updateDocSections(outputs[0].current);
  const stale = outputs.filter((o) => o.updated !== o.current);
  if (!stale.length) {
    console.log('README.md and the configuration schema are up to date.');
    return 0;
  }
  if (args.includes('--check')) {
    console.error(`${stale.map((o) => path.relative(process.cwd(), o.file)).join(' and ')} out of date: run npm run docs`);
    return 1;
  }
  for (const output of stale) {
    mkdirSync(path.dirname(output.file), { recursive: true });
    writeFileSync(output.file, output.updated);
    console.log(`Updated ${output.file}.`);
  }
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
