import { CHECKS } from '../../src/checks/index.js';
import { ANNOTATIONS_PER_KIND, formatServersAnnotations } from '../../src/report/annotations.js';
import { COMMENT_LIMIT, formatServersComment } from '../../src/report/comment.js';
import { formatServersConsole } from '../../src/report/console.js';
import { formatServersJunit } from '../../src/report/junit.js';
import { formatServersOutputs } from '../../src/report/outputs.js';
import { buildServersReport, type Report } from '../../src/report/report.js';
import { formatServersSarif } from '../../src/report/sarif.js';
import { formatServersSummary } from '../../src/report/summary.js';
import { parallelismFor } from '../../src/run-many.js';
import { findingOf, reportWith } from '../helpers/reports.js';

function named(name: string, report: Report): Report {
  return { ...report, target: { ...report.target, name } };
}

const passing = named('files', reportWith([findingOf('tools.list', 'warning')]));
const failing = named(
  'weather',
  reportWith([findingOf('config.missing-env', 'error')], { server: undefined, surface: { tools: [], resources: [], resourceTemplates: [], prompts: [] } }),
);
const modern = named(
  'search',
  reportWith([], { server: { name: 'search', version: '2.0.0', protocolVersion: '2026-07-28', capabilities: {}, era: 'modern' } as Report['server'] }),
);
const run = buildServersReport([passing, failing, modern], 4200);

describe('reporters of a many-server run', () => {
  it('print one row per server, with the era when the report has one, and one verdict naming the failed', () => {
    const text = formatServersConsole(run);
    expect(text).toMatch(/^ {2}Server {3}Transport {2}Era {5}Verdict {2}Errors {2}Warnings {2}Time$/m);
    expect(text).toMatch(/^ {2}files {4}stdio {6}[ ]{8}✓ PASS {3}0 {7}1 {9}1\.5 s$/m);
    expect(text).toMatch(/^ {2}search {3}stdio {6}modern {2}✓ PASS/m);
    expect(text).toContain('=== weather ===');
    expect(text.trimEnd().split('\n').at(-1)).toBe('mcp-preflight: FAIL, 3 servers (failed: weather), 1 error, 1 warning (4.2 s)');
  });

  it('give the summary and the comment the same table, and each server its findings', () => {
    const summary = formatServersSummary(run);
    expect(summary).toContain('## ❌ MCP preflight: FAIL — 1 of 3 servers failed, 1 error, 1 warning');
    expect(summary).toContain('| weather | stdio |  | ❌ fail | 1 | 0 | 1.5 s |');
    expect(summary).toContain('| search | stdio | modern | ✅ pass | 0 | 0 | 1.5 s |');
    expect(summary.indexOf('### ❌ weather')).toBeLessThan(summary.indexOf('**`config.missing-env`**'));
    const comment = formatServersComment(run, { serverKey: 'abc' });
    expect(comment.startsWith('<!-- mcp-preflight:abc -->')).toBe(true);
    expect(comment).toContain('| weather | stdio |  | ❌ fail | 1 | 0 | 1.5 s |');
    expect(comment).toContain('### ❌ weather');
  });

  it("keep a comment of many servers with many findings under GitHub's limit, each server keeping a share", () => {
    const long = (name: string) =>
      named(name, reportWith(Array.from({ length: 300 }, (_, i) => findingOf('tools.list', 'warning', { message: `${'x'.repeat(250)} ${i}` }))));
    const comment = formatServersComment(buildServersReport(['a', 'b', 'c', 'd', 'e', 'f'].map(long), 1), { serverKey: 'k' });
    expect(comment.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    for (const name of ['a', 'f']) expect(comment).toContain(`### ✅ ${name}`);
    expect(comment).toContain('that do not fit in a comment');
  });

  it('write a SARIF run per server, each with its own category, a repeated name numbered', () => {
    const sarif = formatServersSarif([passing, failing, named('files', modern)], CHECKS, { fallbackLocation: { file: 'mcp.json', startLine: 1 } });
    expect(sarif.runs.map((r) => r.automationDetails?.id)).toEqual(['mcp-preflight/files/', 'mcp-preflight/weather/', 'mcp-preflight/files-2/']);
    expect(sarif.runs[1].results?.map((r) => r.ruleId)).toEqual(['config.missing-env']);
  });

  it('write a JUnit testsuite per server, with the totals on testsuites', () => {
    const xml = formatServersJunit(run.servers, run.timings.totalMs);
    expect(xml.match(/<testsuite /g)).toHaveLength(3);
    expect(xml).toMatch(/<testsuites name="mcp-preflight" tests="7" failures="1" errors="0" skipped="3" time="4.200">/);
    expect(xml).toContain('<testsuite name="weather: ');
  });

  it('share the annotation budget across servers, errors first, each titled with its server', () => {
    const noisy = (name: string) => named(name, reportWith(Array.from({ length: 8 }, (_, i) => findingOf(`tools.check-${i}`, 'warning'))));
    const annotations = formatServersAnnotations([noisy('a'), failing, noisy('b')]);
    expect(annotations[0]).toMatchObject({ severity: 'error', title: 'weather: config.missing-env' });
    const warnings = annotations.filter((a) => a.severity === 'warning');
    expect(warnings).toHaveLength(ANNOTATIONS_PER_KIND);
    expect(warnings.at(-1)?.title).toBe('7 more warnings');
    expect(warnings.at(-1)?.message).toContain('b: tools.check-7');
  });

  it('keep the step outputs meaningful: the worst result, summed counts, one value per server', () => {
    expect(formatServersOutputs(run.servers)).toMatchObject({
      result: 'fail',
      errors: '1',
      warnings: '1',
      tools: '4',
      'server-name': 'demo,,search',
      'protocol-version': '2025-11-25,,2026-07-28',
    });
  });

  it('verify at most as many servers at once as there are cores, fewer with max-parallel', () => {
    expect(parallelismFor(undefined, 4)).toBe(4);
    expect(parallelismFor(2, 4)).toBe(2);
    expect(parallelismFor(16, 4)).toBe(4);
  });
});
