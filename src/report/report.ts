import type { Finding, Observations, Severity, Subject } from '../checks/types.js';
import type { AcceptedEntry } from '../accepted-file.js';
import type { FailOn } from '../settings.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import type { Compatibility } from './compatibility.js';

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  durationMs: number;
}

/**
 * Whether a finding is listed in the accepted-findings file: `accepted` ones are reported but never fail
 * the gate. Every finding is `new` when no file was given.
 */
export type FindingState = 'new' | 'accepted';

/** A finding as reported: with its fingerprint (report/fingerprint.ts) and its state, once classified. */
export interface ReportedFinding extends Finding {
  fingerprint?: string;
  state?: FindingState;
}

/** How the run compared with the accepted-findings file, when one was given. */
export interface AcceptedOutcome {
  /** The file, as given. */
  file: string;
  /** Findings of this run found in the file. */
  accepted: number;
  /** Entries that match no finding of this run although their check ran: the file can lose them. */
  fixed: AcceptedEntry[];
  /** Entries whose check did not run (the server never came up): neither matched nor known to be fixed. */
  unchecked: number;
}

/** The JSON report. Its documented fields stay stable for scripts that read it; fields may be added. */
export interface Report {
  tool: { name: string; version: string };
  verdict: 'pass' | 'fail';
  /** `name`: the server's entry in `servers-config`, which names it in a many-server table and in `merge`. */
  target: { name?: string; transport?: string; url?: string; command?: string };
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
  findings: ReportedFinding[];
  /** The comparison with the accepted-findings file (the `accepted` input), when one was given. */
  accepted?: AcceptedOutcome;
  /** Start to ready, the handshake alone, the checklist, and stopping the server and teardown. */
  timings: { startupMs?: number; initializeMs?: number; checksMs?: number; cleanupMs?: number; totalMs: number };
  /** Measurements beyond findings: the compatibility matrix (`versionMatrix`), latencies, the health endpoint. */
  observations: Observations;
  /** Which clients can use the server, per era, read from the compatibility matrix; absent when nothing connected. */
  compatibility?: Compatibility;
  /** When a `baseline` was given: the changes of the surface since it, breaking ones first (from the surface.* findings). */
  surfaceDiff?: { baseline: string; changes: SurfaceChangeRow[] };
  /** The path the start-up triage walked, e.g. "started: yes -> alive: no (exit 1 during initialize)". */
  triage: string[];
  /** The last lines each started command printed, masked, for the log group and for debugging. */
  logs: { role: string; commandLine: string; stdout: string[]; stderr: string[] }[];
}

/** One change of the surface, as the summary's table shows it: its check, what it is about, and its first line. */
export interface SurfaceChangeRow {
  id: string;
  severity: Severity;
  subject?: Subject;
  change: string;
}

/** The findings that count towards the verdict: all of them, unless some are accepted. */
export function newFindings(findings: readonly ReportedFinding[]): ReportedFinding[] {
  return findings.filter((f) => f.state !== 'accepted');
}

export function acceptedFindings(findings: readonly ReportedFinding[]): ReportedFinding[] {
  return findings.filter((f) => f.state === 'accepted');
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
  const parts = (['error', 'warning', 'notice'] as const).filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}${counts[s] === 1 ? '' : 's'}`);
  return parts.length ? parts.join(', ') : 'no findings';
}

/** The JSON report of a run over several servers: today's report for each, in the order they were given. */
export interface ServersReport {
  tool: { name: string; version: string };
  /** fail when any server failed. */
  verdict: 'pass' | 'fail';
  /** The run's wall-clock time; for merged reports, the slowest server's. */
  timings: { totalMs: number };
  servers: Report[];
}

export function buildServersReport(servers: Report[], totalMs: number): ServersReport {
  return { tool: { name: TOOL_NAME, version: TOOL_VERSION }, verdict: worstVerdict(servers), timings: { totalMs }, servers };
}

/** One row of the many-server table, as every reporter shows it. */
export interface ServerRow {
  name: string;
  transport: string;
  era: string;
  verdict: 'pass' | 'fail';
  errors: number;
  warnings: number;
  totalMs: number;
}

export function serverRows(reports: readonly Report[]): ServerRow[] {
  return reports.map((report) => {
    const counts = countBySeverity(report.findings);
    return {
      name: serverLabel(report),
      transport: report.target.transport ?? '',
      era: eraOf(report),
      verdict: report.verdict,
      errors: counts.error,
      warnings: counts.warning,
      totalMs: report.timings.totalMs,
    };
  });
}

/** The worst verdict of the reports: one server's failure fails the run. */
export function worstVerdict(reports: readonly Pick<Report, 'verdict'>[]): 'pass' | 'fail' {
  return reports.some((r) => r.verdict === 'fail') ? 'fail' : 'pass';
}

/** What names a server in a table: its entry in servers-config, else what it calls itself, else what was run. */
export function serverLabel(report: Report): string {
  return report.target.name ?? report.server?.name ?? report.target.url ?? report.target.command ?? 'MCP server';
}

/** The protocol era (legacy, modern, dual-era) where the report records it, else empty. */
export function eraOf(report: Report): string {
  const era = (report.server as { era?: unknown } | undefined)?.era;
  return typeof era === 'string' ? era : '';
}
