import type { CheckContext, Finding } from '../checks/types.js';
import type { VersionProbe } from '../session/version-probe.js';
import type { Masker } from '../util/masker.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { applyAccepted } from './accepted.js';
import { describeCompatibility } from './compatibility.js';
import { reachesThreshold, type CheckResult, type Report, type SurfaceChangeRow } from './report.js';

export type Surface = Report['surface'];

export const EMPTY_SURFACE: Surface = { tools: [], resources: [], resourceTemplates: [], prompts: [] };

const LOG_LINES = 200;

const SEVERITY_ORDER = ['error', 'warning', 'notice'];

/** The surface.* findings as table rows, breaking (errors) first, then those to review, then the rest. */
function surfaceChangeRows(findings: Finding[]): SurfaceChangeRow[] {
  return findings
    .filter((f) => f.id.startsWith('surface.'))
    .map((f) => ({ id: f.id, severity: f.severity, subject: f.subject, change: f.message.split('\n')[0] }))
    .sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
}

interface ReportInput {
  evidence: CheckContext;
  results: { result: CheckResult; findings: Finding[] }[];
  surface: Surface;
  /** The compatibility matrix, once settled; undefined when no face connected. */
  matrix?: VersionProbe[];
  triage: string[];
  totalMs: number;
  masker: Masker;
}

/** Assembles the report every reporter formats; masking here means no reporter can leak a secret. */
export function buildReport({ evidence, results, surface, matrix, triage, totalMs, masker }: ReportInput): Report {
  const { settings, session, connect, server, deploy, teardown, faces } = evidence;
  const findings = results.flatMap((r) => r.findings);
  const serverInfo = session?.serverInfo;
  const report: Report = {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    verdict: findings.some((f) => reachesThreshold(f.severity, settings.failOn)) ? 'fail' : 'pass',
    target: {
      name: settings.serverConfig?.name,
      transport: session?.transportName ?? connect?.attempts.at(-1)?.transport,
      url: evidence.targetUrl?.href,
      command: settings.command ?? settings.start,
    },
    server: session && {
      name: serverInfo?.name ?? '',
      version: serverInfo?.version ?? '',
      title: serverInfo?.title,
      protocolVersion: session.protocolVersion,
      capabilities: session.capabilities,
      instructions: session.instructions,
      era: evidence.era ?? session.era,
      versions: { legacy: faces?.legacy?.versionsOffered, modern: faces?.modern?.versionsOffered },
    },
    surface,
    checks: results.map((r) => r.result),
    findings,
    timings: {
      startupMs: evidence.startupMs,
      initializeMs: connect?.exchange.initialize.durationMs,
      checksMs: evidence.checksMs,
      cleanupMs: evidence.cleanupMs,
      totalMs,
    },
    observations: { ...evidence.observations, ...(matrix && { versionMatrix: matrix }) },
    compatibility: matrix && describeCompatibility(matrix),
    surfaceDiff: settings.baseline && session ? { baseline: settings.baseline.source, changes: surfaceChangeRows(findings) } : undefined,
    triage,
    logs: [
      deploy && { role: 'deploy', commandLine: deploy.commandLine, stdout: deploy.outputTail, stderr: [] },
      server && {
        role: 'server',
        commandLine: server.options.commandLine,
        stdout: server.stdoutTail(LOG_LINES),
        stderr: server.stderrTail(LOG_LINES),
      },
      teardown && { role: 'teardown', commandLine: teardown.commandLine, stdout: teardown.outputTail, stderr: [] },
    ].filter((log): log is Report['logs'][number] => Boolean(log)),
  };
  // Fingerprinted after masking: a secret never enters a fingerprint, and a token that changes every run is `***` in each.
  return applyAccepted(masker.maskDeep(report), settings.accepted, settings.failOn);
}
