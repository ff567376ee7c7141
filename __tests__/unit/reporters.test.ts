import { ANNOTATIONS_PER_KIND, formatAnnotations } from '../../src/report/annotations.js';
import { formatConsole } from '../../src/report/console.js';
import { formatOutputs } from '../../src/report/outputs.js';
import { formatSummary } from '../../src/report/summary.js';
import { findingOf as finding, reportWith } from '../helpers/reports.js';

describe('annotations', () => {
  it('keeps one per finding, titled by the check id, with the fix', () => {
    const [annotation] = formatAnnotations([finding('launch.exited', 'error')]);
    expect(annotation).toMatchObject({ severity: 'error', title: 'launch.exited', message: 'launch.exited went wrong\n\nFix: fix launch.exited' });
  });

  it("summarises the overflow past GitHub's limit in the last slot of each kind", () => {
    const errors = Array.from({ length: 14 }, (_, i) => finding(`area.e${i}`, 'error'));
    const warnings = Array.from({ length: 10 }, (_, i) => finding(`area.w${i}`, 'warning'));
    const annotations = formatAnnotations([...errors, ...warnings]);
    const errorAnnotations = annotations.filter((a) => a.severity === 'error');
    expect(errorAnnotations).toHaveLength(ANNOTATIONS_PER_KIND);
    expect(errorAnnotations.at(-1)).toMatchObject({ title: '5 more errors' });
    expect(errorAnnotations.at(-1)?.message).toContain('area.e9, area.e10, area.e11, area.e12, area.e13');
    expect(annotations.filter((a) => a.severity === 'warning')).toHaveLength(10);
    expect(annotations.some((a) => a.title === '0 more warnings')).toBe(false);
  });
});

describe('job summary', () => {
  it('shows the server card, the checks table and the findings grouped by severity', () => {
    const summary = formatSummary(reportWith([finding('tools.list', 'error'), finding('startup.slow', 'warning')]));
    expect(summary).toContain('## ❌ MCP preflight: FAIL — 1 error, 1 warning');
    expect(summary).toContain('| Server | demo 1.2.3 |');
    expect(summary).toContain('| Tools / resources / templates / prompts | 2 / 0 / 0 / 0 |');
    expect(summary).toContain('| `tools.list` | tools/list answers | ✅ pass | 12 ms |');
    expect(summary).toContain('#### Errors (1)');
    expect(summary).toContain('#### Warnings (1)');
    expect(summary).toContain('> **Fix:** fix tools.list');
  });

  it('neutralises server-controlled HTML and mentions', () => {
    const summary = formatSummary(
      reportWith([], { server: { name: '<img src=x onerror=alert(1)>', version: '@admin', protocolVersion: '2025-11-25', capabilities: {} } }),
    );
    expect(summary).not.toContain('<img');
    expect(summary).toContain('&lt;img');
    expect(summary).not.toMatch(/@admin/);
  });

  it("stays far below GitHub's 1 MiB limit with thousands of findings", () => {
    const many = Array.from({ length: 5000 }, (_, i) => finding(`tools.e${i}`, 'error', { message: 'x'.repeat(5000) }));
    const summary = formatSummary(reportWith(many));
    expect(Buffer.byteLength(summary)).toBeLessThan(512 * 1024);
    expect(summary).toContain('…and 4900 more in the JSON report.');
  });
});

describe('console and outputs', () => {
  it('prints one line per check and the verdict', () => {
    const text = formatConsole(reportWith([finding('tools.list', 'error', { message: 'first line\nsecond line' })]));
    expect(text).toContain('Server: demo 1.2.3 over stdio, protocol 2025-11-25');
    expect(text).toMatch(/✓ tools\.list\s+tools\/list answers {2}\(12 ms\)/);
    expect(text).toMatch(/- deploy\.failed\s+The deploy command succeeds$/m);
    expect(text).toContain('  ERROR [tools.list] first line\n    second line\n    Fix: fix tools.list');
    expect(text).toMatch(/mcp-preflight: FAIL, 1 error \(1\.5 s\)$/);
  });

  it('turns the report into the documented step outputs', () => {
    expect(formatOutputs(reportWith([finding('a.b', 'warning')]), { report: '/tmp/r.json', junit: '/tmp/j.xml' })).toEqual({
      result: 'pass',
      errors: '0',
      warnings: '1',
      'protocol-version': '2025-11-25',
      era: '',
      'server-name': 'demo',
      'server-version': '1.2.3',
      tools: '2',
      resources: '0',
      prompts: '0',
      report: '/tmp/r.json',
      sarif: '',
      junit: '/tmp/j.xml',
    });
  });
});
