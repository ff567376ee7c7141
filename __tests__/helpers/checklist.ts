// Shared by the checklist tests: each runs the gate once on a misbehaving fixture, then reads the
// verdict of one check at a time from that report.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Finding } from '../../src/checks/types.js';
import type { CheckStatus, Report } from '../../src/report/report.js';

export function statusOf(report: Report, id: string): CheckStatus | undefined {
  return report.checks.find((c) => c.id === id)?.status;
}

export function findingsOf(report: Report, id: string): Finding[] {
  return report.findings.filter((f) => f.id === id);
}

/** The one finding a check reported, once its status and the finding's severity are as expected. */
export function soleFinding(report: Report, id: string, status: 'fail' | 'warn'): Finding {
  expect(statusOf(report, id)).toBe(status);
  const findings = findingsOf(report, id);
  expect(findings).toHaveLength(1);
  expect(findings[0]).toMatchObject({ id, severity: status === 'fail' ? 'error' : 'warning' });
  return findings[0];
}

/** A configuration file (mcp-preflight.config.json) in a directory of its own. */
export function writeConfig(config: object): { file: string; remove: () => void } {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'preflight-config-'));
  const file = path.join(directory, 'mcp-preflight.config.json');
  writeFileSync(file, JSON.stringify(config));
  return { file, remove: () => rmSync(directory, { recursive: true, force: true }) };
}
