/**
 * Every file `npm run docs` generates, with what it holds now and what the metadata says it should hold:
 * the README's generated sections, action.yml's inputs and outputs, the configuration schema, and one page
 * per check under docs/checks/ with their index. A page for a check that no longer exists is stale too.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CHECKS } from '../src/checks/index.js';
import type { Check } from '../src/checks/types.js';
import { CONFIG_SCHEMA } from '../src/config-schema.js';
import { updateActionMetadata } from '../src/report/action-metadata.js';
import { updateDocSections } from '../src/report/catalogue.js';
import { CHECK_DOCS_DIR, CHECK_DOCS_INDEX, checkPagePath, formatCheckIndex, formatCheckPage } from '../src/report/check-pages.js';

export const SCHEMA_FILE = 'schema/mcp-preflight.config.schema.json';

export interface DocFile {
  /** Relative to the repository root, with forward slashes. */
  file: string;
  /** Undefined when the file does not exist. */
  current?: string;
  /** Undefined when the file should not exist (a page of a removed check). */
  updated?: string;
}

/** The generated files under `root`, in a stable order. */
export function planDocs(root: string, checks: readonly Check[] = CHECKS): DocFile[] {
  const read = (file: string) => {
    const full = path.join(root, file);
    return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
  };
  const fromTemplate = (file: string, update: (text: string) => string): DocFile => {
    const current = read(file);
    if (current === undefined)
      throw new Error(`Cannot read ${file} in ${root}: it holds the hand-written parts. Run this from the repository root: npm run docs`);
    return { file, current, updated: withFile(file, () => update(current)) };
  };
  const generated = (file: string, updated: string): DocFile => ({ file, current: read(file), updated });

  const pages = [
    generated(`${CHECK_DOCS_DIR}/${CHECK_DOCS_INDEX}`, formatCheckIndex(checks)),
    ...checks.map((check) => generated(checkPagePath(check.meta.id), formatCheckPage(check))),
  ];
  const expected = new Set(pages.map((page) => page.file));
  const dir = path.join(root, CHECK_DOCS_DIR);
  const orphans = existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => name.endsWith('.md'))
        .map((name) => `${CHECK_DOCS_DIR}/${name}`)
        .filter((file) => !expected.has(file))
        .sort()
        .map((file) => ({ file, current: read(file) }))
    : [];
  return [
    fromTemplate('README.md', updateDocSections),
    fromTemplate('action.yml', (text) => updateActionMetadata(text)),
    generated(SCHEMA_FILE, `${JSON.stringify(CONFIG_SCHEMA, null, 2)}\n`),
    ...pages,
    ...orphans,
  ];
}

export function isStale(doc: DocFile): boolean {
  return doc.current !== doc.updated;
}

/** Why a file is stale, for the message of `--check`. */
export function staleness(doc: DocFile): string {
  if (doc.updated === undefined) return `${doc.file} documents no current check (delete it)`;
  if (doc.current === undefined) return `${doc.file} is missing`;
  return `${doc.file} differs from what the metadata generates`;
}

const USAGE = 'usage: node build/scripts/generate-docs.js [--check]';

/**
 * `npm run docs [-- --check]` in `root`: writes (or, with `--check`, only compares) every generated file,
 * deleting pages of checks that no longer exist. Returns the exit code; `log` and `error` get the messages.
 */
export function generateDocs(args: readonly string[], root: string, out: { log: (line: string) => void; error: (line: string) => void }): number {
  const unknown = args.filter((arg) => arg !== '--check');
  if (unknown.length) throw new Error(`Unknown argument ${unknown.map((a) => JSON.stringify(a)).join(', ')}. ${USAGE}`);
  const docs = planDocs(root);
  const stale = docs.filter(isStale);
  if (!stale.length) {
    out.log(`The ${docs.length} generated documents are up to date.`);
    return 0;
  }
  if (args.includes('--check')) {
    out.error(`Out of date; run npm run docs and commit the result:\n${stale.map((doc) => `  ${staleness(doc)}`).join('\n')}`);
    return 1;
  }
  for (const doc of stale) {
    const file = path.join(root, doc.file);
    if (doc.updated === undefined) {
      rmSync(file);
      out.log(`Deleted ${doc.file}.`);
    } else {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, doc.updated);
      out.log(`Updated ${doc.file}.`);
    }
  }
  return 0;
}

/** Names the file in an error from its generator (a README marker missing, action.yml not YAML). */
function withFile(file: string, generate: () => string): string {
  try {
    return generate();
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(message.includes(file) ? message : `${file}: ${message}`);
  }
}
