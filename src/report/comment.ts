import { createHash } from 'node:crypto';
import type { Finding, Severity } from '../checks/types.js';
import { escapeMarkdown } from './escape.js';
import { newFindings, serverLabel, summarizeCounts, type Report, type ServersReport } from './report.js';
import {
  acceptedSection,
  checksTable,
  formatFindingMarkdown,
  headlineCounts,
  serverCard,
  serversHeading,
  serversTable,
  surfaceDiffSection,
} from './summary.js';

/** GitHub rejects a comment body longer than this many characters. */
export const COMMENT_LIMIT = 65_536;
/** Room kept free for the truncation note, so adding it never crosses the limit. */
const NOTE_RESERVE = 500;
/** A message longer than this, or of several lines, is collapsed: the conversation tab stays readable. */
const LONG_MESSAGE_CHARS = 300;
const MAX_HINT_LENGTH = 1000;
/** Rows of the surface-change table in a comment; the rest are counted. */
const MAX_CHANGE_ROWS = 40;
/**
 * Accepted and fixed findings are one clipped line each, fewer than in the summary, so that both lists
 * together stay far below the limit and leave it to the new findings.
 */
const MAX_ACCEPTED_LISTED = 25;

const ICON: Record<Severity, string> = { error: '❌', warning: '⚠️', notice: 'ℹ️' };
const ORDER: Severity[] = ['error', 'warning', 'notice'];

export interface CommentOptions {
  /** Identifies the verified server, so each gated server in a pull request keeps its own comment. */
  serverKey: string;
  runUrl?: string;
}

/** The hidden line a comment starts with; the comment is found again by it and updated in place. */
export function commentMarker(serverKey: string): string {
  return `<!-- mcp-preflight:${serverKey} -->`;
}

/**
 * A stable key for the server a workflow step describes. A hash, not a slug: commands and URLs can
 * hold credentials, and the marker is readable by anyone who opens the comment's source. Built from
 * the inputs rather than the report, because a deploy can print a new preview URL on every push.
 */
export function serverKeyOf(target: { command?: string; start?: string; deploy?: string; url?: URL | string }): string {
  const identity = JSON.stringify([target.command, target.start, target.deploy, target.url?.toString()]);
  return createHash('sha256').update(identity).digest('hex').slice(0, 12);
}

/** The sticky pull-request comment, as GitHub-flavoured Markdown under GitHub's size limit. */
export function formatComment(report: Report, options: CommentOptions): string {
  const head = [commentMarker(options.serverKey), heading(report), serverCard(report), surfaceDiffSection(report, MAX_CHANGE_ROWS), checksTable(report)]
    .filter(Boolean)
    .join('\n\n');
  const foot = footer(report, options.runUrl);
  const accepted = acceptedSection(report, MAX_ACCEPTED_LISTED);
  const budget = COMMENT_LIMIT - NOTE_RESERVE - head.length - foot.length - accepted.length;
  const findings = findingsSection(newFindings(report.findings), budget, options.runUrl);
  return clip([head, findings, accepted, foot].filter(Boolean).join('\n\n') + '\n');
}

function heading(report: Report): string {
  const verdict = report.verdict === 'pass' ? '✅ MCP preflight passed' : '❌ MCP preflight failed';
  return `## ${verdict} — ${headlineCounts(report)}`;
}

function footer(report: Pick<Report, 'tool'>, runUrl: string | undefined): string {
  const run = runUrl ? `[Workflow run](${runUrl}) · ` : '';
  return `<sub>${run}${report.tool.name} ${report.tool.version} · this comment is updated on every run</sub>`;
}

/** The findings, most severe first, as many as fit in `budget` characters; the rest are counted. */
function findingsSection(findings: Finding[], budget: number, runUrl: string | undefined): string {
  if (!findings.length) return '';
  const sorted = [...findings].sort((a, b) => ORDER.indexOf(a.severity) - ORDER.indexOf(b.severity));
  const blocks = ['### Findings'];
  let used = blocks[0].length;
  for (const finding of sorted) {
    const block = findingBlock(finding);
    if (used + block.length + 2 > budget) break;
    blocks.push(block);
    used += block.length + 2;
  }
  const left = sorted.slice(blocks.length - 1);
  if (left.length) blocks.push(omissionNote(left, runUrl));
  return blocks.join('\n\n');
}

/** One finding: its first line and fix always visible, a long message collapsed below them. */
function findingBlock(finding: Finding): string {
  const [first, ...rest] = finding.message.split('\n');
  const hint = finding.hint ? clipText(finding.hint, MAX_HINT_LENGTH) : undefined;
  const visible = `${ICON[finding.severity]} ${formatFindingMarkdown({ ...finding, message: clipText(first, LONG_MESSAGE_CHARS), hint })}`;
  if (!rest.length && first.length <= LONG_MESSAGE_CHARS) return visible;
  const size = rest.length ? `${rest.length + 1} lines` : `${finding.message.length} characters`;
  const full = formatFindingMarkdown({ ...finding, hint: undefined });
  return `${visible}\n\n<details><summary>Full message (${size})</summary>\n\n${full}\n\n</details>`;
}

function omissionNote(left: Finding[], runUrl: string | undefined): string {
  const where = runUrl ? `the [workflow run](${runUrl})'s job summary and JSON report` : 'the job summary and the JSON report';
  return `…and ${left.length} more finding${left.length === 1 ? '' : 's'} (${summarizeCounts(left)}) that do not fit in a comment: see ${where}.`;
}

function clipText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Last resort for a report whose fixed parts alone are huge (a server name of a megabyte). */
function clip(markdown: string): string {
  if (markdown.length <= COMMENT_LIMIT) return markdown;
  const note = '\n\n…the rest of this report does not fit in a comment: see the job summary.\n';
  let end = COMMENT_LIMIT - note.length;
  // Never split a surrogate pair: a lone half is not valid text.
  if (/[\uD800-\uDBFF]/.test(markdown[end - 1])) end -= 1;
  return markdown.slice(0, end) + note;
}

/** One key for a many-server step: the same servers keep one comment, whatever order they finish in. */
export function serversKeyOf(keys: readonly string[]): string {
  return createHash('sha256')
    .update(JSON.stringify([...keys].sort()))
    .digest('hex')
    .slice(0, 12);
}

/**
 * The sticky comment of a many-server run: the table, then each server's findings, most severe first,
 * the servers sharing what room the comment has left; what does not fit is counted per server.
 */
export function formatServersComment(run: ServersReport, options: CommentOptions): string {
  const head = [commentMarker(options.serverKey), `## ${serversHeading(run)}`, serversTable(run.servers)].join('\n\n');
  const foot = footer(run, options.runUrl);
  let budget = COMMENT_LIMIT - NOTE_RESERVE * run.servers.length - head.length - foot.length;
  const sections: string[] = [];
  const withFindings = run.servers.filter((r) => r.findings.length);
  for (const [index, report] of withFindings.entries()) {
    const title = `### ${report.verdict === 'pass' ? '✅' : '❌'} ${escapeMarkdown(serverLabel(report))}`;
    // An even share of what is left, so the room one server does not use goes to the next.
    const share = Math.floor(budget / (withFindings.length - index)) - title.length;
    const findings = findingsSection(report.findings, Math.max(0, share), options.runUrl).replace(/^### Findings(\n\n)?/, '');
    sections.push(`${title}\n\n${findings}`);
    budget -= title.length + findings.length + 4;
  }
  return clip([head, ...sections, foot].join('\n\n') + '\n');
}
