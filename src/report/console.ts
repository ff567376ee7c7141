import type { Finding } from '../checks/types.js';
import { formatDuration } from '../util/time.js';
import { showControls } from './escape.js';
import { summarizeCounts, type CheckStatus, type Report } from './report.js';

const MARKS: Record<CheckStatus, string> = { pass: '✓', fail: '✗', warn: '!', skip: '-' };

/**
 * Plain text for a terminal or a log: one line per check, then the findings with their hints. The
 * findings quote the server, so control characters are shown as escapes, never sent to the terminal.
 */
export function formatConsole(report: Report): string {
  const lines: string[] = [];
  const server = report.server;
  lines.push(
    server
      ? `Server: ${server.name} ${server.version} over ${report.target.transport}, protocol ${server.protocolVersion}, era ${describeEra(server)}`
      : `Server: not connected (${report.target.url ?? report.target.command ?? 'no target'})`,
  );
  if (report.triage.length) lines.push(`Triage: ${report.triage.join(' -> ')}`);
  if (server) {
    const { tools, resources, resourceTemplates, prompts } = report.surface;
    lines.push(`Surface: ${tools.length} tools, ${resources.length} resources, ${resourceTemplates.length} resource templates, ${prompts.length} prompts`);
  }
  const matrix = report.observations.versionMatrix;
  if (matrix?.length) lines.push(`Versions: ${matrix.map((p) => `${p.requested} -> ${p.answered ?? 'error'}`).join(', ')}`);
  lines.push('', 'Checks:');
  for (const check of report.checks) {
    const time = check.status === 'skip' ? '' : `  (${formatDuration(check.durationMs)})`;
    lines.push(`  ${MARKS[check.status]} ${check.id.padEnd(30)} ${check.title}${time}`);
  }
  if (report.findings.length) {
    lines.push('', 'Findings:');
    for (const finding of report.findings) lines.push(...formatFinding(finding));
  }
  lines.push('', formatVerdict(report));
  return showControls(lines.join('\n'));
}

/** "dual (legacy 2025-11-25; modern 2026-07-28)": the eras the server speaks, with the versions of each. */
export function describeEra(server: NonNullable<Report['server']>): string {
  const { legacy, modern } = server.versions ?? {};
  const versions = [legacy?.length ? `legacy ${legacy.join(', ')}` : '', modern?.length ? `modern ${modern.join(', ')}` : ''].filter(Boolean).join('; ');
  const era = server.era ?? 'legacy';
  return versions ? `${era} (${versions})` : era;
}

/** The lines a started command printed, for a terminal or a log: control characters shown as escapes. */
export function formatOutputLines(lines: readonly string[], indent = ''): string {
  return lines.map((line) => indent + showControls(line)).join('\n');
}

export function formatFinding(finding: Finding): string[] {
  const [first, ...rest] = finding.message.split('\n');
  return [
    `  ${finding.severity.toUpperCase()} [${finding.id}] ${first}`,
    ...rest.map((line) => `    ${line}`),
    ...(finding.hint ? [`    Fix: ${finding.hint}`] : []),
  ];
}

/** "mcp-preflight: FAIL, 3 errors, 1 warning (4.2 s)" */
export function formatVerdict(report: Report): string {
  return `${report.tool.name}: ${report.verdict.toUpperCase()}, ${summarizeCounts(report.findings)} (${formatDuration(report.timings.totalMs)})`;
}
