import type { Finding } from '../checks/types.js';
import { formatDuration } from '../util/time.js';
import { showControls } from './escape.js';
import { serverLabel, serverRows, summarizeCounts, type CheckStatus, type Report, type ServersReport } from './report.js';

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
      ? `Server: ${server.name} ${server.version} over ${report.target.transport}, protocol ${server.protocolVersion}`
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

const VERDICT_MARK = { pass: '✓ PASS', fail: '✗ FAIL' } as const;

/** The many-server table for a terminal: one row per server, columns padded to their widest cell. */
export function formatServersTable(reports: readonly Report[]): string {
  const header = ['Server', 'Transport', 'Era', 'Verdict', 'Errors', 'Warnings', 'Time'];
  const rows = serverRows(reports).map((r) => [r.name, r.transport, r.era, VERDICT_MARK[r.verdict], String(r.errors), String(r.warnings), formatDuration(r.totalMs)]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => `  ${cells.map((cell, column) => cell.padEnd(widths[column])).join('  ')}`.trimEnd();
  return showControls([line(header), ...rows.map(line)].join('\n'));
}

/** Several servers: the table, then each server's own report below it, then the one verdict naming those that failed. */
export function formatServersConsole(run: ServersReport): string {
  const sections = run.servers.map((report) => `=== ${serverLabel(report)} ===\n${formatConsole(report)}`);
  const counts = summarizeCounts(run.servers.flatMap((r) => r.findings));
  const failed = run.servers.filter((r) => r.verdict === 'fail').map(serverLabel);
  const verdict = `${run.tool.name}: ${run.verdict.toUpperCase()}, ${run.servers.length} servers${failed.length ? ` (failed: ${failed.join(', ')})` : ''}, ${counts} (${formatDuration(run.timings.totalMs)})`;
  return showControls([`Servers:\n${formatServersTable(run.servers)}`, ...sections, verdict].join('\n\n'));
}
