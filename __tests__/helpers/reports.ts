import { CHECKS } from '../../src/checks/index.js';
import type { Finding } from '../../src/checks/types.js';
import { statusOf, type CheckResult, type Report } from '../../src/report/report.js';

/** Reports for the reporters' tests: every field a real run fills, with values easy to assert on. */

export function findingOf(id: string, severity: Finding['severity'], extra: Partial<Finding> = {}): Finding {
  return { id, severity, title: id, message: `${id} went wrong`, hint: `fix ${id}`, ...extra };
}

/** One result per registered check: those with findings take their status from them, `skipped` ones are skipped. */
export function registryResults(findings: Finding[], skipped: string[] = []): CheckResult[] {
  return CHECKS.map(({ meta }, i) => {
    const status = skipped.includes(meta.id) ? 'skip' : statusOf(findings.filter((f) => f.id === meta.id));
    return { id: meta.id, title: meta.title, status, durationMs: status === 'skip' ? 0 : 10 * i };
  });
}

export function reportWith(findings: Finding[], overrides: Partial<Report> = {}): Report {
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
    observations: {},
    triage: ['started: yes', 'alive: yes'],
    logs: [],
    ...overrides,
  };
}
