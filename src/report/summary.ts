import type { Finding } from '../checks/types.js';
import { formatDuration } from '../util/time.js';
import { describeAnswer } from './compatibility.js';
import { describeEra } from './console.js';
import { codeSpan, escapeCodeBlock, escapeMarkdown, escapeTableCell } from './escape.js';
import { acceptedFindings, newFindings, serverLabel, serverRows, summarizeCounts, type CheckStatus, type Report, type ServersReport } from './report.js';

const STATUS_LABEL: Record<CheckStatus, string> = { pass: '✅ pass', fail: '❌ fail', warn: '⚠️ warn', skip: '⏭️ skip' };

/** Keeps the summary far below GitHub's 1 MiB limit even for a server with thousands of findings. */
const MAX_FINDINGS_LISTED = 100;
const MAX_MESSAGE_LENGTH = 2000;
/** An accepted finding is one line: the reader knows it already. */
const MAX_ACCEPTED_LINE = 300;

/** The job summary, as GitHub-flavoured Markdown. */
export function formatSummary(report: Report, files: { report?: string; sarif?: string; junit?: string } = {}): string {
  const parts = [
    `## ${report.verdict === 'pass' ? '✅' : '❌'} MCP preflight: ${report.verdict.toUpperCase()} — ${headlineCounts(report)}`,
    serverCard(report),
    compatibilitySection(report),
    surfaceDiffSection(report),
    checksTable(report),
    findingsSection(newFindings(report.findings)),
    acceptedSection(report),
    filesSection(files),
    `<sub>${report.tool.name} ${report.tool.version} · total ${formatDuration(report.timings.totalMs)}</sub>`,
  ];
  return parts.filter(Boolean).join('\n\n') + '\n';
}

/** "2 errors, 1 warning", of the new findings; "no new findings (3 accepted)" once some are accepted. */
export function headlineCounts(report: Report): string {
  if (!report.accepted) return summarizeCounts(report.findings);
  const fresh = newFindings(report.findings);
  const counts = fresh.length ? summarizeCounts(fresh) : 'no new findings';
  return `${counts} (${report.accepted.accepted} accepted${report.accepted.fixed.length ? `, ${report.accepted.fixed.length} fixed` : ''})`;
}

/**
 * The accepted findings, collapsed: they are known and do not fail the gate, but stay one click away.
 * The fixed entries are shown open: the accepted file should lose them.
 */
export function acceptedSection(report: Report, limit = MAX_FINDINGS_LISTED): string {
  if (!report.accepted) return '';
  const parts: string[] = [];
  const accepted = acceptedFindings(report.findings);
  if (accepted.length) {
    const lines = accepted.slice(0, limit).map((f) => `- ${ICON[f.severity]} **\`${f.id}\`** ${escapeMarkdown(clip(f.message.split('\n')[0]))}`);
    if (accepted.length > limit) lines.push(`- …and ${accepted.length - limit} more in the JSON report.`);
    parts.push(
      `<details><summary>Accepted findings (${accepted.length}), listed in ${escapeMarkdown(report.accepted.file)}; they do not fail the gate</summary>\n\n${lines.join('\n')}\n\n</details>`,
    );
  }
  const { fixed, unchecked } = report.accepted;
  if (fixed.length) {
    const lines = fixed
      .slice(0, limit)
      .map((e) => `- ${codeSpan(e.fingerprint)} **\`${e.check}\`**${e.subject ? ` ${codeSpan(e.subject)}` : ''} ${escapeMarkdown(clip(e.evidence ?? ''))}`);
    if (fixed.length > limit) lines.push(`- …and ${fixed.length - limit} more in the JSON report.`);
    parts.push(
      `### Fixed since accepted (${fixed.length})\n\nThese entries of ${escapeMarkdown(report.accepted.file)} match no finding any more: remove them, or write the file again with \`--accept-current\`.\n\n${lines.join('\n')}`,
    );
  }
  if (unchecked) parts.push(`${unchecked} accepted finding${unchecked === 1 ? ' was' : 's were'} not checked: their checks did not run.`);
  return parts.join('\n\n');
}

const ICON = { error: '❌', warning: '⚠️', notice: 'ℹ️' } as const;

function clip(text: string): string {
  return text.length > MAX_ACCEPTED_LINE ? `${text.slice(0, MAX_ACCEPTED_LINE)}…` : text;
}

export function serverCard(report: Report): string {
  const s = report.server;
  const { tools, resources, resourceTemplates, prompts } = report.surface;
  const rows: [string, string][] = s
    ? [
        ['Server', `${escapeTableCell(s.name)} ${escapeTableCell(s.version)}`],
        ['Transport', report.target.transport ?? ''],
        ['Protocol version', escapeTableCell(s.protocolVersion)],
        ['Protocol era', escapeTableCell(describeEra(s))],
        ...(report.compatibility ? [['Clients', escapeTableCell(report.compatibility.summary)] as [string, string]] : []),
        ['Tools / resources / templates / prompts', `${tools.length} / ${resources.length} / ${resourceTemplates.length} / ${prompts.length}`],
        ['Start-up', report.timings.startupMs === undefined ? '' : formatDuration(report.timings.startupMs)],
        ['initialize', report.timings.initializeMs === undefined ? '' : formatDuration(report.timings.initializeMs)],
      ]
    : [
        ['Server', 'not connected'],
        ['Target', escapeTableCell(report.target.url ?? report.target.command ?? '')],
        ['Triage', escapeTableCell(report.triage.join(' → '))],
      ];
  return ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
}

/** The artifacts written in this run, so a reader knows what to upload or download. */
function filesSection(files: { report?: string; sarif?: string; junit?: string }): string {
  const rows = (
    [
      ['JSON report', files.report],
      ['SARIF', files.sarif],
      ['JUnit XML', files.junit],
    ] as const
  ).filter(([, file]) => file);
  return rows.length ? ['### Files', '', ...rows.map(([label, file]) => `- ${label}: ${codeSpan(file ?? '')}`)].join('\n') : '';
}

/** Which clients can use the server, in words and as the matrix it is read from, and the latencies, when measured. */
export function compatibilitySection(report: Report): string {
  const { versionMatrix, latency } = report.observations;
  const parts: string[] = [];
  if (versionMatrix?.length) {
    const rows = versionMatrix.map((p) => `| ${p.era} | ${p.requested} | ${escapeTableCell(describeAnswer(p))} |`);
    parts.push(
      `### Compatibility\n\n${escapeMarkdown(capitalise(report.compatibility?.summary ?? ''))}\n`,
      ['| Client era | Asks for | Server answers |', '|---|---|---|', ...rows].join('\n'),
    );
  }
  if (latency?.length) {
    parts.push(
      ['| Method | Requests | p50 | p95 |', '|---|---|---|---|', ...latency.map((l) => `| ${l.method} | ${l.count} | ${l.p50Ms} ms | ${l.p95Ms} ms |`)].join(
        '\n',
      ),
    );
  }
  return parts.join('\n\n');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const CHANGE_ICON = { error: '❌ breaking', warning: '⚠️ review', notice: 'ℹ️' } as const;

/** The changes since the baseline snapshot, one row each, breaking first; `maxRows` keeps a comment short. */
export function surfaceDiffSection(report: Report, maxRows = MAX_FINDINGS_LISTED): string {
  const diff = report.surfaceDiff;
  if (!diff) return '';
  const heading = `### Surface changes since ${codeSpan(diff.baseline)}`;
  if (!diff.changes.length) return `${heading}\n\nNo changes: the server offers what the baseline describes.`;
  const rows = diff.changes.slice(0, maxRows).map((c) => {
    const item = c.subject ? `${c.subject.kind} ${codeSpan(c.subject.name)}` : 'server';
    return `| ${CHANGE_ICON[c.severity]} | \`${c.id.replace(/^surface\./, '')}\` | ${escapeTableCell(item)} | ${escapeTableCell(c.change)} |`;
  });
  const more = diff.changes.length > maxRows ? `\n\n…and ${diff.changes.length - maxRows} more in the findings and the JSON report.` : '';
  return [heading, '', '| | Change | Item | What changed |', '|---|---|---|---|', ...rows].join('\n') + more;
}

export function checksTable(report: Report): string {
  const accepted = acceptedFindings(report.findings);
  const rows = report.checks.map((c) => {
    const acceptedHere = accepted.filter((f) => f.id === c.id).length;
    const status = `${STATUS_LABEL[c.status]}${acceptedHere ? ` (${acceptedHere} accepted)` : ''}`;
    return `| \`${c.id}\` | ${escapeTableCell(c.title)} | ${status} | ${c.status === 'skip' ? '' : formatDuration(c.durationMs)} |`;
  });
  return ['### Checks', '', '| Check | What it verifies | Status | Time |', '|---|---|---|---|', ...rows].join('\n');
}

function findingsSection(findings: Finding[], level = '###'): string {
  if (!findings.length) return '';
  const sections: string[] = [`${level} Findings`];
  for (const severity of ['error', 'warning', 'notice'] as const) {
    const ofKind = findings.filter((f) => f.severity === severity);
    if (!ofKind.length) continue;
    sections.push(`${level}# ${severity === 'error' ? 'Errors' : severity === 'warning' ? 'Warnings' : 'Notices'} (${ofKind.length})`);
    for (const f of ofKind.slice(0, MAX_FINDINGS_LISTED)) sections.push(formatFindingMarkdown(f));
    if (ofKind.length > MAX_FINDINGS_LISTED) sections.push(`…and ${ofKind.length - MAX_FINDINGS_LISTED} more in the JSON report.`);
  }
  return sections.join('\n\n');
}

/**
 * A finding's message and hint quote the server (its names, descriptions, log lines, answers), so they
 * are escaped where they enter the Markdown; the id, the labels and the layout around them are ours.
 */
export function formatFindingMarkdown(f: Finding): string {
  const message = f.message.length > MAX_MESSAGE_LENGTH ? `${f.message.slice(0, MAX_MESSAGE_LENGTH)}…` : f.message;
  const [first, ...rest] = message.split('\n');
  const details = rest.length ? `\n\n\`\`\`text\n${escapeCodeBlock(rest.join('\n'))}\n\`\`\`` : '';
  const hint = f.hint ? `\n\n> **Fix:** ${escapeMarkdown(f.hint)}` : '';
  return `**\`${f.id}\`** ${escapeMarkdown(first)}${details}${hint}`;
}

const VERDICT_LABEL = { pass: '✅ pass', fail: '❌ fail' } as const;

/** One row per server: name, transport, era, verdict, errors, warnings, time. */
export function serversTable(reports: readonly Report[]): string {
  const rows = serverRows(reports).map(
    (r) =>
      `| ${escapeTableCell(r.name)} | ${escapeTableCell(r.transport)} | ${escapeTableCell(r.era)} | ${VERDICT_LABEL[r.verdict]} | ${r.errors} | ${r.warnings} | ${formatDuration(r.totalMs)} |`,
  );
  return ['| Server | Transport | Era | Verdict | Errors | Warnings | Time |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}

/** The heading of a many-server summary or comment: the one verdict, how many servers failed, the counts. */
export function serversHeading(run: ServersReport): string {
  const failed = run.servers.filter((r) => r.verdict === 'fail').length;
  const counts = summarizeCounts(run.servers.flatMap((r) => r.findings));
  return `${run.verdict === 'pass' ? '✅' : '❌'} MCP preflight: ${run.verdict.toUpperCase()} — ${failed ? `${failed} of ${run.servers.length} servers failed` : `${run.servers.length} servers passed`}, ${counts}`;
}

/** The job summary of a many-server run: the table, then each server's card, checks and findings. */
export function formatServersSummary(run: ServersReport, files: { report?: string; sarif?: string; junit?: string } = {}): string {
  const sections = run.servers.map((report) => {
    const checks = `<details><summary>Checks</summary>\n\n${checksTable(report)}\n\n</details>`;
    return [
      `### ${report.verdict === 'pass' ? '✅' : '❌'} ${escapeMarkdown(serverLabel(report))}`,
      serverCard(report),
      findingsSection(report.findings, '####'),
      checks,
    ]
      .filter(Boolean)
      .join('\n\n');
  });
  const parts = [
    `## ${serversHeading(run)}`,
    serversTable(run.servers),
    ...sections,
    filesSection(files),
    `<sub>${run.tool.name} ${run.tool.version} · total ${formatDuration(run.timings.totalMs)}</sub>`,
  ];
  return parts.filter(Boolean).join('\n\n') + '\n';
}
