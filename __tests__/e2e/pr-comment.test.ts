import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import type { Finding } from '../../src/checks/types.js';
import type { CommentResult, UpsertOptions } from '../../src/github/comment.js';
import type { Report } from '../../src/report/report.js';
import { BOT, FakeGitHub } from '../helpers/fake-github.js';

const REPOSITORY = 'octo/demo';
const PULL = 7;
const ISSUE = `${REPOSITORY}#${PULL}`;
const MARKER = '<!-- mcp-preflight:abc123 -->';
const ENV = { ...process.env };

let github: FakeGitHub;
let eventDir: string;

beforeAll(async () => {
  github = await FakeGitHub.start();
  eventDir = mkdtempSync(path.join(os.tmpdir(), 'preflight-event-'));
});

afterAll(async () => {
  await github.close();
  rmSync(eventDir, { recursive: true, force: true });
});

afterEach(() => {
  process.env = { ...ENV };
  github.reset();
});

function reportWith(findings: Finding[]): Report {
  return {
    tool: { name: 'mcp-preflight', version: '0.1.0' },
    verdict: findings.some((f) => f.severity === 'error') ? 'fail' : 'pass',
    target: { transport: 'stdio', command: 'node server.js' },
    server: { name: 'demo', version: '1.2.3', protocolVersion: '2025-11-25', capabilities: {} },
    surface: { tools: [], resources: [], resourceTemplates: [], prompts: [] },
    checks: [{ id: 'tools.list', title: 'tools/list answers', status: findings.length ? 'fail' : 'pass', durationMs: 12 }],
    findings,
    timings: { totalMs: 1500 },
    triage: [],
    logs: [],
    observations: {},
  };
}

const FAILING = reportWith([{ id: 'tools.list', severity: 'error', title: 'tools/list answers', message: 'tools/list timed out', hint: 'answer faster' }]);
const PASSING = reportWith([]);

function pullRequestEvent(headRepository = REPOSITORY): object {
  return {
    action: 'synchronize',
    number: PULL,
    pull_request: { number: PULL, head: { repo: { full_name: headRepository, fork: headRepository !== REPOSITORY } } },
  };
}

/** The environment a runner gives a step, with the event payload in a file. */
function setRunnerEnv(eventName: string, payload: object): void {
  const eventPath = path.join(eventDir, `${eventName}-${Date.now()}.json`);
  writeFileSync(eventPath, JSON.stringify(payload));
  Object.assign(process.env, {
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '4242',
  });
}

/** One action run: `@actions/github` reads the environment when first imported, so each run imports it afresh. */
async function runCommentStep(report: Report, options: Partial<UpsertOptions> = {}): Promise<CommentResult> {
  let result: CommentResult | undefined;
  await jest.isolateModulesAsync(async () => {
    const { context } = await import('@actions/github');
    const { upsertComment } = await import('../../src/github/comment.js');
    result = await upsertComment({ token: 'ghs_fake', report, serverKey: 'abc123', context, ...options });
  });
  if (!result) throw new Error('the comment step returned nothing');
  return result;
}

function calls(): string[] {
  return github.requests.map((r) => `${r.method} ${r.path}`);
}

describe('sticky pull-request comment against a fake GitHub API', () => {
  it('creates one comment on the first run and updates that same comment on the next', async () => {
    setRunnerEnv('pull_request', pullRequestEvent());
    const first = await runCommentStep(FAILING);
    expect(first).toEqual({ action: 'created', url: expect.stringContaining(`https://github.com/${REPOSITORY}/pull/${PULL}#issuecomment-`) });
    expect(calls()).toEqual([`GET /repos/${REPOSITORY}/issues/${PULL}/comments?per_page=100&page=1`, `POST /repos/${REPOSITORY}/issues/${PULL}/comments`]);
    expect(github.requests[1].headers.authorization).toBe('token ghs_fake');
    const [created] = github.commentsOn(ISSUE);
    expect(created.body.startsWith(`${MARKER}\n`)).toBe(true);
    expect(created.body).toContain('MCP preflight failed');
    expect(created.body).toContain(`[Workflow run](https://github.com/${REPOSITORY}/actions/runs/4242)`);

    github.requests.length = 0;
    const second = await runCommentStep(PASSING);
    expect(second).toEqual({ action: 'updated', url: first.action === 'created' ? first.url : '' });
    expect(calls()).toEqual([
      `GET /repos/${REPOSITORY}/issues/${PULL}/comments?per_page=100&page=1`,
      `PATCH /repos/${REPOSITORY}/issues/comments/${created.id}`,
    ]);
    expect(github.commentsOn(ISSUE)).toHaveLength(1);
    expect(github.commentsOn(ISSUE)[0].body).toContain('MCP preflight passed');
  });

  it('finds its comment on a later page of a busy pull request', async () => {
    setRunnerEnv('pull_request', pullRequestEvent());
    for (let i = 0; i < 130; i++) github.seed(ISSUE, `review comment ${i}`, { login: 'reviewer', type: 'User' }, 'MEMBER');
    const ours = github.seed(ISSUE, `${MARKER}\nold report`);
    const result = await runCommentStep(FAILING);
    expect(result.action).toBe('updated');
    expect(calls()).toEqual([
      `GET /repos/${REPOSITORY}/issues/${PULL}/comments?per_page=100&page=1`,
      `GET /repos/${REPOSITORY}/issues/${PULL}/comments?per_page=100&page=2`,
      `PATCH /repos/${REPOSITORY}/issues/comments/${ours.id}`,
    ]);
  });

  it("keeps each server's comment apart and leaves a marker planted by a contributor alone", async () => {
    setRunnerEnv('pull_request', pullRequestEvent());
    const planted = github.seed(ISSUE, `${MARKER}\nlooks official`, { login: 'mallory', type: 'User' }, 'CONTRIBUTOR');
    const other = github.seed(ISSUE, '<!-- mcp-preflight:other-server -->\nanother report');
    const result = await runCommentStep(FAILING);
    expect(result.action).toBe('created');
    expect(github.commentsOn(ISSUE)).toHaveLength(3);
    expect(planted.body).toBe(`${MARKER}\nlooks official`);
    expect(other.body).toBe('<!-- mcp-preflight:other-server -->\nanother report');
  });

  it('stays quiet on a clean pull request in auto mode, and posts in always mode', async () => {
    setRunnerEnv('pull_request', pullRequestEvent());
    expect(await runCommentStep(PASSING)).toEqual({ action: 'skipped', reason: 'no errors or warnings, and no earlier comment to update' });
    expect(calls()).toEqual([`GET /repos/${REPOSITORY}/issues/${PULL}/comments?per_page=100&page=1`]);
    expect(await runCommentStep(PASSING, { mode: 'always' })).toMatchObject({ action: 'created' });
    expect(github.commentsOn(ISSUE)[0]).toMatchObject({ user: BOT });
  });

  it('turns a 403 into one warning naming the permission and the fork, without throwing', async () => {
    setRunnerEnv('pull_request', pullRequestEvent('contributor/demo'));
    github.mode = 'forbidden';
    const result = await runCommentStep(FAILING);
    expect(result.action).toBe('failed');
    const warning = result.action === 'failed' ? result.warning : '';
    expect(warning).toContain(
      `Could not comment on pull request #${PULL}: GET ${github.url}/repos/${REPOSITORY}/issues/${PULL}/comments?per_page=100&page=1 answered 403: Resource not accessible by integration`,
    );
    expect(warning).toContain('`permissions: pull-requests: write`');
    expect(warning).toContain('comes from a fork (contributor/demo)');
    expect(warning).toContain('does not depend on the comment');
  });

  it('gives up with a warning when the API does not answer in time', async () => {
    setRunnerEnv('pull_request', pullRequestEvent());
    github.mode = 'stall';
    const result = await runCommentStep(FAILING, { timeoutMs: 300 });
    expect(result).toEqual({
      action: 'failed',
      warning: expect.stringMatching(/^Could not comment on pull request #7: GET \S+ failed: no answer within 300 ms\. /),
    });
  });

  it('warns without a request when the token is empty', async () => {
    setRunnerEnv('pull_request', pullRequestEvent());
    const result = await runCommentStep(FAILING, { token: '' });
    expect(result).toEqual({ action: 'failed', warning: expect.stringContaining('the github-token input is empty') });
    expect(github.requests).toEqual([]);
  });

  it.each([
    ['a push', 'push', { ref: 'refs/heads/main' }, {}, 'not a pull request (event "push")'],
    ['mode never', 'pull_request', pullRequestEvent(), { mode: 'never' as const }, 'the comment input is "never"'],
  ])('makes no request for %s', async (_name, eventName, payload, options, reason) => {
    setRunnerEnv(eventName, payload);
    expect(await runCommentStep(FAILING, options)).toEqual({ action: 'skipped', reason });
    expect(github.requests).toEqual([]);
  });
});
