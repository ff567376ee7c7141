import type { Finding } from '../../src/checks/types.js';
import { ANNOTATIONS_PER_KIND, formatAnnotations } from '../../src/report/annotations.js';
import { formatConsole } from '../../src/report/console.js';
import { formatOutputs } from '../../src/report/outputs.js';
import type { Report } from '../../src/report/report.js';
import { formatSummary } from '../../src/report/summary.js';

function finding(id: string, severity: Finding['severity'], message = `${id} went wrong`): Finding {
  return { id, severity, title: id, message, hint: `fix ${id}` };
}

function reportWith(findings: Finding[], overrides: Partial<Report> = {}): Report {
  return {
    tool: { name: 'mcp-preflight', version: '0.1.0' },
    verdict: findings.some((f) => f.severity === 'error') ? 'fail' : 'pass',
    target: { transport: 'stdio', command: 'node server.js' },
    server: { name: 'demo', version: '1.2.3', protocolVersion: '2025-11-25', capabilities: { tools: {} } },
    surface: { tools: [{ name: 'a' }, { name: 'b' }], resources: [], resourceTemplates: [], prompts: [] },
    checks: [
      { id: 'tools.list', title: 'tools/list answers', status: 'pass', durationMs: 12 },
      { id: 'deploy.failed', title: 'The deploy command succeeds', status: 'skip', durationMs: 0 },
    ],
    findings,
    timings: { startupMs: 800, initializeMs: 20, totalMs: 1500 },
    triage: ['started: yes', 'alive: yes'],
    logs: [],
    ...overrides,
  };
}

describe('annotations', () => {
  it('keeps one per finding, titled by the check id, with the fix', () => {
    const [annotation] = formatAnnotations([finding('launch.exited', 'error')]);
    expect(annotation).toMatchObject({ severity: 'error', title: 'launch.exited', message: 'launch.exited went wrong\n\nFix: fix launch.exited' });
  });

  it('summarises the overflow past GitHub\'s limit in the last slot of each kind', () => {
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
    const summary = formatSummary(reportWith([], { server: { name: '<img src=x onerror=alert(1)>', version: '@admin', protocolVersion: '2025-11-25', capabilities: {} } }));
    expect(summary).not.toContain('<img');
    expect(summary).toContain('&lt;img');
    expect(summary).not.toMatch(/@admin/);
  });

  it('stays far below GitHub\'s 1 MiB limit with thousands of findings', () => {
    const many = Array.from({ length: 5000 }, (_, i) => finding(`tools.e${i}`, 'error', 'x'.repeat(5000)));
    const summary = formatSummary(reportWith(many));
    expect(Buffer.byteLength(summary)).toBeLessThan(512 * 1024);
    expect(summary).toContain('…and 4900 more in the JSON report.');
  });
});

describe('console and outputs', () => {
  it('prints one line per check and the verdict', () => {
    const text = formatConsole(reportWith([finding('tools.list', 'error', 'first line\nsecond line')]));
    expect(text).toContain('Server: demo 1.2.3 over stdio, protocol 2025-11-25');
    expect(text).toMatch(/✓ tools\.list\s+tools\/list answers {2}\(12 ms\)/);
    expect(text).toMatch(/- deploy\.failed\s+The deploy command succeeds$/m);
    expect(text).toContain('  ERROR [tools.list] first line\n    second line\n    Fix: fix tools.list');
    expect(text).toMatch(/mcp-preflight: FAIL, 1 error \(1\.5 s\)$/);
  });

  it('turns the report into the documented step outputs', () => {
    expect(formatOutputs(reportWith([finding('a.b', 'warning')]), '/tmp/r.json')).toEqual({
      result: 'pass',
      errors: '0',
      warnings: '1',
      'protocol-version': '2025-11-25',
      'server-name': 'demo',
      'server-version': '1.2.3',
      tools: '2',
      resources: '0',
      prompts: '0',
      report: '/tmp/r.json',
    });
  });
});
