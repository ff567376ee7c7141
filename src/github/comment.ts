import { getOctokit, type context as runnerContext } from '@actions/github';
import { commentMarker, formatComment, formatServersComment } from '../report/comment.js';
import { newFindings, type Report, type ServersReport } from '../report/report.js';
import type { CommentMode } from '../settings.js';
import { formatDuration } from '../util/time.js';

/**
 * When the sticky comment is written, on pull requests only:
 * - `auto`: when the report has an error or a warning; a clean run only updates an earlier comment,
 *   so a fixed pull request turns green instead of keeping a stale failure, and clean ones stay quiet.
 * - `always`: on every run, clean or not.
 * - `never`: not at all.
 */

/** The parts of `@actions/github`'s `context` the comment needs; that object is built from the runner's environment. */
export type GitHubContext = Pick<typeof runnerContext, 'eventName' | 'payload' | 'repo' | 'serverUrl' | 'apiUrl' | 'runId'>;

export type CommentResult =
  | { action: 'created' | 'updated'; url: string }
  | { action: 'skipped'; reason: string }
  /** The caller shows `warning` once; a comment is never the reason a gate fails. */
  | { action: 'failed'; warning: string };

export interface UpsertOptions {
  token: string;
  /** One server's report, or a many-server run's: one comment with a row per server. */
  report: Report | ServersReport;
  serverKey: string;
  context: GitHubContext;
  mode?: CommentMode;
  /** For all requests together: a slow API must not hold the job. */
  timeoutMs?: number;
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);
/** 1,000 comments: enough for any review, bounded for a bot-flooded one (a new comment then follows). */
const MAX_PAGES = 10;
const PER_PAGE = 100;
/** Authors with write access: a comment a fork contributor plants with our marker is never taken over. */
const WRITERS = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

type Octokit = ReturnType<typeof getOctokit>;
interface IssueRef {
  owner: string;
  repo: string;
  issue_number: number;
}
interface ListedComment {
  id: number | bigint;
  body?: string;
  user: { type?: string } | null;
  author_association?: string;
}

/** Creates or updates this server's comment on the pull request the workflow runs for. Never throws. */
export async function upsertComment(options: UpsertOptions): Promise<CommentResult> {
  const { context, mode = 'auto', token, timeoutMs = 30_000 } = options;
  const pullNumber: unknown = context.payload.pull_request?.number;
  if (mode === 'never') return { action: 'skipped', reason: 'the comment input is "never"' };
  if (!PULL_REQUEST_EVENTS.has(context.eventName) || typeof pullNumber !== 'number') {
    return { action: 'skipped', reason: `not a pull request (event "${context.eventName}")` };
  }
  if (!token) return { action: 'failed', warning: `Could not comment on pull request #${pullNumber}: the github-token input is empty. ${PERMISSION_HELP}` };
  const request = { signal: AbortSignal.timeout(timeoutMs) };
  try {
    return await syncComment({ ...options, mode }, pullNumber, request);
  } catch (error) {
    const timedOut = request.signal.aborted ? `no answer within ${formatDuration(timeoutMs)}` : undefined;
    return { action: 'failed', warning: explainFailure(error, pullNumber, context, timedOut) };
  }
}

async function syncComment(options: UpsertOptions & { mode: CommentMode }, pullNumber: number, request: { signal: AbortSignal }): Promise<CommentResult> {
  const { token, report, serverKey, context, mode } = options;
  // Passed explicitly: the client's default base URL is read once, when the module is first imported.
  const octokit = getOctokit(token, { baseUrl: context.apiUrl });
  const issue: IssueRef = { ...context.repo, issue_number: pullNumber };
  const existing = await findComment(octokit, issue, commentMarker(serverKey), request);
  if (!existing && mode === 'auto' && !needsAttention(report)) {
    return { action: 'skipped', reason: 'no errors or warnings, and no earlier comment to update' };
  }
  const comment = { serverKey, runUrl: runUrlOf(context) };
  const body = 'servers' in report ? formatServersComment(report, comment) : formatComment(report, comment);
  if (existing) {
    const { owner, repo } = issue;
    const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: Number(existing.id), body, request });
    return { action: 'updated', url: data.html_url };
  }
  const { data } = await octokit.rest.issues.createComment({ ...issue, body, request });
  return { action: 'created', url: data.html_url };
}

/**
 * Pages by number rather than with `octokit.paginate`, whose iterator drops `request.signal`
 * and so could wait on a stalled API for minutes.
 */
async function findComment(octokit: Octokit, issue: IssueRef, marker: string, request: { signal: AbortSignal }): Promise<ListedComment | undefined> {
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { data } = await octokit.rest.issues.listComments({ ...issue, per_page: PER_PAGE, page, request });
    const found = (data as ListedComment[]).find((c) => c.body?.startsWith(marker) && isTrustedAuthor(c));
    if (found || data.length < PER_PAGE) return found;
  }
  return undefined;
}

/** A bot (github-actions[bot] or an app's token) or someone with write access (a personal token). */
function isTrustedAuthor(comment: ListedComment): boolean {
  return comment.user?.type === 'Bot' || WRITERS.has(comment.author_association ?? '');
}

/** Accepted findings are known to the team already: they alone are no reason to comment. */
function needsAttention(report: Report | ServersReport): boolean {
  const findings = 'servers' in report ? report.servers.flatMap((r) => r.findings) : report.findings;
  return report.verdict === 'fail' || newFindings(findings).some((f) => f.severity !== 'notice');
}

function runUrlOf(context: GitHubContext): string | undefined {
  if (!Number.isFinite(context.runId)) return undefined;
  const { owner, repo } = context.repo;
  return `${context.serverUrl}/${owner}/${repo}/actions/runs/${context.runId}`;
}

const PERMISSION_HELP =
  'To comment, the job needs `permissions: pull-requests: write` (a `permissions:` block in the workflow replaces the defaults, so list it there).';

/** One warning with the evidence (request, status, GitHub's message) and what to change. */
function explainFailure(error: unknown, pullNumber: number, context: GitHubContext, timedOut?: string): string {
  // Octokit reports a network failure as status 500 without a response; only a response carries GitHub's status.
  const { response, request } = error as { response?: { status?: number }; request?: { method?: string; url?: string } };
  const status = response?.status;
  // Name the deadline that passed: the abort error alone says little ("This operation was aborted", or "Unknown Error").
  const message = timedOut ?? (error instanceof Error ? error.message : String(error));
  const call = request?.method && request.url ? `${request.method} ${request.url}` : 'the GitHub API request';
  const evidence = status ? `${call} answered ${status}: ${message}` : `${call} failed: ${message}`;
  const help = status === 403 || status === 404 ? ` ${PERMISSION_HELP} ${forkNote(context)}` : '';
  return `Could not comment on pull request #${pullNumber}: ${evidence}.${help} The gate's result does not depend on the comment; the job summary has the full report.`;
}

function forkNote(context: GitHubContext): string {
  const pr = context.payload.pull_request as { head?: { repo?: { full_name?: string; fork?: boolean } } } | undefined;
  const name = pr?.head?.repo?.full_name;
  if (pr?.head?.repo?.fork || (name && name !== `${context.repo.owner}/${context.repo.repo}`)) {
    return `This pull request comes from a fork${name ? ` (${name})` : ''}: GitHub gives such runs a read-only token, whatever the workflow asks for.`;
  }
  return 'Pull requests from forks always get a read-only token, whatever the workflow asks for.';
}
