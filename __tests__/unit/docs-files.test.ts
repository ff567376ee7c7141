import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHECKS } from '../../src/checks/index.js';
import { checkPagePath } from '../../src/report/check-pages.js';
import { generateDocs, isStale, planDocs, SCHEMA_FILE } from '../../scripts/docs-files.js';
import { ROOT } from '../helpers/servers.js';

/** A copy of the repository's generated files and their templates, to edit by hand without touching the repository. */
function copyOfDocs(): { root: string; remove: () => void } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'preflight-docs-'));
  for (const file of ['README.md', 'action.yml', SCHEMA_FILE, 'docs/checks']) cpSync(path.join(ROOT, file), path.join(root, file), { recursive: true });
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

function runDocs(root: string, ...args: string[]): { code: number; log: string[]; errors: string[] } {
  const log: string[] = [];
  const errors: string[] = [];
  const code = generateDocs(args, root, { log: (line) => log.push(line), error: (line) => errors.push(line) });
  return { code, log, errors };
}

describe('npm run docs', () => {
  let docs: { root: string; remove: () => void };
  beforeEach(() => {
    docs = copyOfDocs();
  });
  afterEach(() => docs.remove());

  it('finds every generated file of the repository up to date (run `npm run docs` if not)', () => {
    expect(
      planDocs(ROOT)
        .filter(isStale)
        .map((doc) => doc.file),
    ).toEqual([]);
  });

  it('generates a page for every registered check, and the index', () => {
    const files = planDocs(ROOT).map((doc) => doc.file);
    expect(files).toEqual(
      expect.arrayContaining(['README.md', 'action.yml', SCHEMA_FILE, 'docs/checks/README.md', ...CHECKS.map((c) => checkPagePath(c.meta.id))]),
    );
  });

  it('--check passes on the committed files and writes nothing', () => {
    expect(runDocs(docs.root, '--check')).toMatchObject({ code: 0, errors: [] });
  });

  it('--check fails on a hand edit of action.yml, naming the file, and npm run docs repairs it', () => {
    const file = path.join(docs.root, 'action.yml');
    const committed = readFileSync(file, 'utf8');
    writeFileSync(file, committed.replace("  transport:\n    description: 'auto, stdio", "  transport:\n    description: 'edited: auto, stdio"));
    const check = runDocs(docs.root, '--check');
    expect(check.code).toBe(1);
    expect(check.errors.join('\n')).toContain('action.yml differs from what the metadata generates');
    expect(check.errors.join('\n')).not.toContain('README.md');

    expect(runDocs(docs.root)).toMatchObject({ code: 0, log: ['Updated action.yml.'] });
    expect(readFileSync(file, 'utf8')).toBe(committed);
    expect(runDocs(docs.root, '--check').code).toBe(0);
  });

  it('--check names a hand-edited README table, a hand-edited or missing page, and the schema', () => {
    const readme = path.join(docs.root, 'README.md');
    writeFileSync(readme, readFileSync(readme, 'utf8').replace('| `errors` |', '| `errors` (edited) |'));
    const page = path.join(docs.root, checkPagePath(CHECKS[0].meta.id));
    writeFileSync(page, `${readFileSync(page, 'utf8')}\nA note by hand.\n`);
    unlinkSync(path.join(docs.root, checkPagePath(CHECKS[1].meta.id)));
    writeFileSync(path.join(docs.root, SCHEMA_FILE), '{}\n');
    const { code, errors } = runDocs(docs.root, '--check');
    expect(code).toBe(1);
    expect(errors[0].split('\n').slice(1)).toEqual([
      '  README.md differs from what the metadata generates',
      `  ${SCHEMA_FILE} differs from what the metadata generates`,
      `  ${checkPagePath(CHECKS[0].meta.id)} differs from what the metadata generates`,
      `  ${checkPagePath(CHECKS[1].meta.id)} is missing`,
    ]);
  });

  it('treats the page of a check that no longer exists as stale, and deletes it', () => {
    const orphan = path.join(docs.root, 'docs/checks/tools.removed-check.md');
    writeFileSync(orphan, '# `tools.removed-check`\n');
    const check = runDocs(docs.root, '--check');
    expect(check.code).toBe(1);
    expect(check.errors.join('\n')).toContain('docs/checks/tools.removed-check.md documents no current check (delete it)');
    expect(runDocs(docs.root).log).toEqual(['Deleted docs/checks/tools.removed-check.md.']);
    expect(existsSync(orphan)).toBe(false);
  });

  it('names the file whose template it cannot use', () => {
    writeFileSync(path.join(docs.root, 'README.md'), '# No markers\n');
    expect(() => runDocs(docs.root, '--check')).toThrow('README.md is missing the marker');
    cpSync(path.join(ROOT, 'README.md'), path.join(docs.root, 'README.md'));
    unlinkSync(path.join(docs.root, 'action.yml'));
    expect(() => planDocs(docs.root)).toThrow('Cannot read action.yml');
  });

  it('refuses an unknown argument', () => {
    expect(() => runDocs(docs.root, '--chek')).toThrow('Unknown argument "--chek"');
  });
});
