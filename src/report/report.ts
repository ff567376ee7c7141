import type { Finding, Observations, Severity } from '../checks/types.js';
import type { FailOn } from '../settings.js';

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  durationMs: number;
}

/** The JSON report. Its documented fields stay stable for scripts that read it; fields may be added. */
export interface Report {
  tool: { name: string; version: string };
  verdict: 'pass' | 'fail';
  target: { transport?: string; url?: string; command?: string };
  server?: {
    name: string;
    version: string;
    title?: string;
    protocolVersion: string;
    capabilities: Record<string, unknown>;
    instructions?: string;
    /** The protocol eras the server speaks: `legacy` (initialize, 2025-11-25 and earlier), `modern` (2026-07-28), or `dual`. */
    era?: 'legacy' | 'modern' | 'dual';
    /** Per era spoken, the versions the server offers: the one the legacy handshake agreed, the ones server/discover lists. */
    versions?: { legacy?: string[]; modern?: string[] };
  };
  surface: { tools: unknown[]; resources: unknown[]; resourceTemplates: unknown[]; prompts: unknown[] };
  checks: CheckResult[];
  findings: Finding[];
  /** Start to ready, the handshake alone, the checklist, and stopping the server and teardown. */
  timings: { startupMs?: number; initializeMs?: number; checksMs?: number; cleanupMs?: number; totalMs: number };
  /** Measurements beyond findings: the version-negotiation matrix, latencies, the health endpoint. */
  observations: Observations;
  /** The path the start-up triage walked, e.g. "started: yes -> alive: no (exit 1 during initialize)". */
  triage: string[];
  /** The last lines each started command printed, masked, for the log group and for debugging. */
  logs: { role: string; commandLine: string; stdout: string[]; stderr: string[] }[];
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, notice: 1 };

export function reachesThreshold(severity: Severity, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return RANK[severity] >= RANK[failOn];
}

export function statusOf(findings: Finding[]): CheckStatus {
  if (findings.some((f) => f.severity === 'error')) return 'fail';
  if (findings.some((f) => f.severity === 'warning')) return 'warn';
  return 'pass';
}

export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, notice: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

/** "3 errors, 1 warning" — the one line the failed step shows. */
export function summarizeCounts(findings: Finding[]): string {
  const counts = countBySeverity(findings);
  const parts = (['error', 'warning', 'notice'] as const)
    .filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}${counts[s] === 1 ? '' : 's'}`);
  return parts.length ? parts.join(', ') : 'no findings';
}
