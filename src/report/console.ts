import type { Finding } from '../checks/types.js';
import { formatDuration } from '../util/time.js';
import { showControls } from './escape.js';
import { acceptedFindings, newFindings, serverLabel, serverRows, summarizeCounts, type CheckStatus, type Report, type ServersReport } from './report.js';

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
  if (report.compatibility) lines.push(`Clients: ${report.compatibility.summary}`);
  const matrix = report.observations.versionMatrix;
  if (matrix?.length)
    lines.push(`Versions: ${matrix.map((p) => `${p.era} ${p.requested} -> ${p.answered ?? (p.code !== undefined ? `error ${p.code}` : 'error')}`).join(', ')}`);
  lines.push('', 'Checks:');
  for (const check of report.checks) {
    const time = check.status === 'skip' ? '' : `  (${formatDuration(check.durationMs)})`;
    lines.push(`  ${MARKS[check.status]} ${check.id.padEnd(30)} ${check.title}${time}`);
  }
  const fresh = newFindings(report.findings);
  if (fresh.length) {
    lines.push('', report.accepted ? 'New findings:' : 'Findings:');
    for (const finding of fresh) lines.push(...formatFinding(finding));
  }
  lines.push(...acceptedLines(report));
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

/** Accepted findings one line each, and the entries of the accepted file that matched nothing. */
function acceptedLines(report: Report): string[] {
  if (!report.accepted) return [];
  const { file, fixed, unchecked } = report.accepted;
  const lines: string[] = [];
  const accepted = acceptedFindings(report.findings);
  if (accepted.length) {
    lines.push('', `Accepted findings (${accepted.length}, listed in ${file}; they do not fail the gate):`);
    for (const f of accepted) lines.push(`  ${f.severity.toUpperCase()} [${f.id}] ${f.message.split('\n')[0]}`);
  }
  if (fixed.length) {
    lines.push('', `Fixed since accepted (${fixed.length}): remove these entries from ${file}, or write it again with --accept-current:`);
    for (const e of fixed) lines.push(`  ${e.fingerprint} [${e.check}]${e.subject ? ` ${e.subject}` : ''} ${e.evidence ?? ''}`.trimEnd());
  }
  if (unchecked) lines.push('', `${unchecked} accepted finding(s) not checked: their checks did not run.`);
  return lines;
}

/** "mcp-preflight: FAIL, 3 errors, 1 warning (4.2 s)"; with an accepted file, the new findings and "(2 accepted)". */
export function formatVerdict(report: Report): string {
  const counts = report.accepted
    ? `${summarizeCounts(newFindings(report.findings)).replace('no findings', 'no new findings')} (${report.accepted.accepted} accepted)`
    : summarizeCounts(report.findings);
  return `${report.tool.name}: ${report.verdict.toUpperCase()}, ${counts} (${formatDuration(report.timings.totalMs)})`;
}

const VERDICT_MARK = { pass: '✓ PASS', fail: '✗ FAIL' } as const;

/** The many-server table for a terminal: one row per server, columns padded to their widest cell. */
export function formatServersTable(reports: readonly Report[]): string {
  const header = ['Server', 'Transport', 'Era', 'Verdict', 'Errors', 'Warnings', 'Time'];
  const rows = serverRows(reports).map((r) => [
    r.name,
    r.transport,
    r.era,
    VERDICT_MARK[r.verdict],
    String(r.errors),
    String(r.warnings),
    formatDuration(r.totalMs),
  ]);
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
