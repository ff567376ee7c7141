import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CHECKS } from '../../src/checks/index.js';
import type { Check } from '../../src/checks/types.js';
import { INPUTS } from '../../src/inputs.js';
import { OUTPUTS } from '../../src/report/outputs.js';
import {
  DOC_SECTIONS,
  formatCatalogue,
  formatInputsTable,
  formatOutputsTable,
  formatTroubleshooting,
  replaceSection,
  updateDocSections,
} from '../../src/report/catalogue.js';
import { formatCheckPage } from '../../src/report/check-pages.js';
import { ROOT } from '../helpers/servers.js';

/** The cells of every body row of the Markdown tables in `markdown`, split on unescaped pipes. */
function tableRows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[-|]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    )
    .filter((cells) => !['Check', 'Finding', 'Input', 'Output'].includes(cells[0]));
}

function rowOf(markdown: string, id: string): string[] | undefined {
  return tableRows(markdown).find((cells) => cells[0].includes(`\`${id}\``));
}

function fakeCheck(id: string, extra: Partial<Check['meta']> = {}, stage: Check['stage'] = 'session'): Check {
  return { meta: { id, title: id, severity: 'warning', description: 'd', why: 'w', fix: 'f', ...extra }, stage, run: () => [] };
}

describe('check metadata', () => {
  it('gives every check a unique id of the form area.name', () => {
    const ids = CHECKS.map((check) => check.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+\.[a-z-]+$/);
  });

  it.each(CHECKS.map((check) => [check.meta.id, check.meta] as const))('documents %s with a description, a why and a fix', (_id, meta) => {
    expect(meta.description.trim()).not.toBe('');
    expect(meta.why.trim()).not.toBe('');
    expect(meta.fix.trim()).not.toBe('');
  });
});

describe('formatCatalogue', () => {
  const catalogue = formatCatalogue(CHECKS);

  it.each(CHECKS.map((check) => [check.meta.id, check.meta] as const))('lists %s with its default severity', (id, meta) => {
    const cells = rowOf(catalogue, id);
    expect(cells).toBeDefined();
    expect(cells?.[1]).toBe(meta.severity);
    expect(cells?.[2]).toBe(meta.since ?? '—');
  });

  it('groups the checks by area, in the order the registry runs them', () => {
    const areas = [...new Set(CHECKS.map((check) => check.meta.id.split('.')[0]))];
    const headings = catalogue.split('\n').filter((line) => line.startsWith('### '));
    expect(headings).toEqual(areas.map((area) => `### ${area}`));
  });

  it("links the id to the check's page, and marks a check without a revision", () => {
    const text = formatCatalogue([fakeCheck('spec.linked', { since: '2025-06-18', specUrl: 'https://example.test/spec' }), fakeCheck('spec.unlinked')]);
    expect(rowOf(text, 'spec.linked')?.slice(0, 3)).toEqual(['[`spec.linked`](docs/checks/spec.linked.md)', 'warning', '2025-06-18']);
    expect(rowOf(text, 'spec.unlinked')?.slice(0, 3)).toEqual(['[`spec.unlinked`](docs/checks/spec.unlinked.md)', 'warning', '—']);
  });

  it('escapes pipes and newlines so a cell cannot break its row', () => {
    const text = formatCatalogue([fakeCheck('pipe.cell', { description: 'run `a | b`\nthen c', fix: 'x|y' })]);
    expect(rowOf(text, 'pipe.cell')).toEqual(['[`pipe.cell`](docs/checks/pipe.cell.md)', 'warning', '—', 'run `a \\| b` then c', 'x\\|y']);
  });
});

describe('formatCheckPage', () => {
  const stageOf = (check: Check) => formatCheckPage(check).match(/^Stage: (.*)$/m)?.[1];

  it('says when a session check runs among the others: in the pool, late, or alone', () => {
    expect(stageOf(fakeCheck('x.pooled'))).toMatch(/, beside the other session checks\.$/);
    expect(stageOf({ ...fakeCheck('x.late'), runs: 'late' })).toMatch(/, after the other session checks, beside the other late ones/);
    expect(stageOf({ ...fakeCheck('x.alone'), runs: 'alone' })).toMatch(/, alone, after every other session check\.$/);
    expect(stageOf(fakeCheck('x.start', {}, 'startup'))).toMatch(/^Runs on what was recorded while the server was brought up/);
  });
});

describe('formatTroubleshooting', () => {
  const table = formatTroubleshooting(CHECKS);

  it('holds every start-up and cleanup check with its cause (not its impact) and fix, and no session check', () => {
    const expected = CHECKS.filter((check) => ['startup', 'cleanup'].includes(check.stage)).map(({ meta }) => [
      `[\`${meta.id}\`](docs/checks/${meta.id}.md)`,
      meta.cause,
      meta.fix,
    ]);
    const unescape = (cells: string[]) => cells.map((cell) => cell.replace(/\\\|/g, '|'));
    expect(tableRows(table).map(unescape)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
  });

  it('includes cleanup checks, which explain a red job after a green gate', () => {
    const text = formatTroubleshooting([fakeCheck('teardown.x', {}, 'cleanup'), fakeCheck('tools.x', {}, 'session')]);
    expect(tableRows(text).map((cells) => cells[0])).toEqual(['[`teardown.x`](docs/checks/teardown.x.md)']);
  });
});

describe('formatInputsTable', () => {
  it.each(INPUTS.map((input) => [input.name, input] as const))('lists %s with its description and default', (name, input) => {
    const cells = rowOf(formatInputsTable(INPUTS), name);
    const expectedDefault = 'default' in input ? `\`${input.default}\`` : '—';
    expect(cells).toEqual([`\`${name}\``, input.description, expectedDefault]);
  });
});

describe('formatOutputsTable', () => {
  it('lists every output of src/report/outputs.ts with its description, in order', () => {
    expect(tableRows(formatOutputsTable(OUTPUTS))).toEqual(OUTPUTS.map((output) => [`\`${output.name}\``, output.description]));
  });
});

describe('README sections', () => {
  const readme = ['# Title', '', '<!-- inputs:start -->', 'stale', '<!-- inputs:end -->', '', 'After.', ''].join('\n');

  it('replaces only the text between the markers', () => {
    expect(replaceSection(readme, 'inputs', 'fresh')).toBe(
      ['# Title', '', '<!-- inputs:start -->', '', 'fresh', '', '<!-- inputs:end -->', '', 'After.', ''].join('\n'),
    );
  });

  it('is idempotent, so a second run changes nothing', () => {
    const once = replaceSection(readme, 'inputs', 'fresh');
    expect(replaceSection(once, 'inputs', 'fresh')).toBe(once);
  });

  it('names a missing marker', () => {
    expect(() => replaceSection(readme, 'catalogue', 'x')).toThrow('README.md is missing the marker "<!-- catalogue:start -->".');
    expect(() => replaceSection(readme.replace('<!-- inputs:end -->', ''), 'inputs', 'x')).toThrow('"<!-- inputs:end -->"');
  });

  it('refuses an end marker before its start marker', () => {
    const swapped = '<!-- inputs:end -->\n<!-- inputs:start -->\n';
    expect(() => replaceSection(swapped, 'inputs', 'x')).toThrow('must come after the start marker');
  });

  it('uses the marker names the README is written with', () => {
    expect(Object.keys(DOC_SECTIONS).sort()).toEqual(['catalogue', 'inputs', 'outputs', 'troubleshooting']);
  });

  it('README.md is up to date with the metadata (run `npm run docs` if not)', () => {
    const current = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(updateDocSections(current)).toBe(current);
  });
});
