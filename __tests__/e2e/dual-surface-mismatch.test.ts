import { surfaceMismatch } from '../../src/checks/dual/surface-mismatch.js';
import { CHECKS } from '../../src/checks/index.js';
import { runPreflight } from '../../src/engine.js';
import type { Report } from '../../src/report/report.js';
import { Masker } from '../../src/util/masker.js';
import { findingsOf, statusOf } from '../helpers/checklist.js';
import { processesMatching, settingsFor, uniqueTag } from '../helpers/servers.js';
import { pythonWithModernMcp, v2PythonStdio, v2StdioCommand, type V2Fixture } from '../helpers/v2-servers.js';

/** Both faces of a dual-era server, compared: the check and the session checks it reads listings from. */
const SESSION_CHECKS = CHECKS.filter((check) => check.stage === 'session' && check.meta.id.startsWith('tools.'));

async function run(command: string): Promise<Report> {
  return runPreflight(settingsFor({ command }), { masker: new Masker(), checks: [surfaceMismatch, ...SESSION_CHECKS] });
}

async function runFixture(fixture: V2Fixture, tag: string, faults?: string[]): Promise<Report> {
  return run(`${v2StdioCommand(fixture, faults)} ${JSON.stringify(tag)}`);
}

describe('dual.surface-mismatch', () => {
  it('passes on a dual-era server whose two faces offer the same surface', async () => {
    const tag = uniqueTag('surface-same');
    const report = await runFixture('dual-stdio', tag);
    expect(report.server?.era).toBe('dual');
    expect(statusOf(report, 'dual.surface-mismatch')).toBe('pass');
    expect(findingsOf(report, 'dual.surface-mismatch')).toEqual([]);
    expect(processesMatching(tag)).toEqual([]);
  });

  it('warns, naming the tool, when the modern face leaves a tool out', async () => {
    const tag = uniqueTag('surface-dropped');
    const report = await runFixture('violates:dual.surface-mismatch', tag, ['drop-tool']);
    expect(statusOf(report, 'dual.surface-mismatch')).toBe('warn');
    const [only, ...rest] = findingsOf(report, 'dual.surface-mismatch');
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ severity: 'warning', subject: { kind: 'tool', name: 'lookup' } });
    expect(only.message).toContain('is listed by the legacy face (initialize, 2025-11-25) but not by the modern face (2026-07-28)');
    expect(processesMatching(tag)).toEqual([]);
  });

  it('warns, quoting both schemas, when a tool takes other arguments in one era', async () => {
    const tag = uniqueTag('surface-schema');
    const report = await runFixture('violates:dual.surface-mismatch', tag, ['old-schema']);
    const [only, ...rest] = findingsOf(report, 'dual.surface-mismatch');
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ severity: 'warning', subject: { kind: 'tool', name: 'add' } });
    expect(only.message).toContain('differs between the eras in inputSchema');
    expect(processesMatching(tag)).toEqual([]);
  });

  const python = pythonWithModernMcp();
  (python ? describe : describe.skip)('on the Python SDK dual-era server', () => {
    it('passes: capability flags that differ by era are a notice, not a warning', async () => {
      const tag = uniqueTag('surface-python');
      const report = await run(v2PythonStdio(python ?? 'python3', tag).command);
      expect(report.server?.era).toBe('dual');
      const findings = findingsOf(report, 'dual.surface-mismatch');
      expect(findings.filter((f) => f.severity !== 'notice')).toEqual([]);
      expect(statusOf(report, 'dual.surface-mismatch')).toBe('pass');
      expect(findings.map((f) => f.message).join('\n')).toMatch(/capability's flags differ between the eras: legacy .*"listChanged":false/);
      expect(processesMatching(tag)).toEqual([]);
    });
  });
});
