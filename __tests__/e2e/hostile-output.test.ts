import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { randomish } from '../fixtures/fake-secrets.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { fixtureCommand, freePort, processesMatching, ROOT, uniqueTag } from '../helpers/servers.js';

const REPOSITORY = 'octo/demo';
const PULL = 7;
const ENV = { ...process.env };
const PIXEL = 'http://127.0.0.1:9/pixel.png';

interface Command {
  name: string;
  properties: string;
  data: string;
}

/**
 * The commands a runner would run in `stdout`, parsed as the runner parses them: every line is split at
 * CR as well as LF, `::name …::data` counts after leading spaces, `##[name …]data` anywhere in a line,
 * and between `::stop-commands::<token>` and `::<token>::` nothing runs. Any name counts, registered or not.
 */
function runnerCommands(stdout: string): { run: Command[]; stoppedAtEnd: boolean } {
  const run: Command[] = [];
  let stopToken: string | undefined;
  for (const line of stdout.split(/\r\n|\r|\n/)) {
    const command = parseCommand(line);
    if (!command) continue;
    if (stopToken !== undefined) {
      if (command.name === stopToken) stopToken = undefined;
      continue;
    }
    if (command.name === 'stop-commands') stopToken = command.data;
    else run.push(command);
  }
  return { run, stoppedAtEnd: stopToken !== undefined };
}

function parseCommand(line: string): Command | undefined {
  const trimmed = line.trimStart();
  if (trimmed.startsWith('::')) {
    const end = trimmed.indexOf('::', 2);
    if (end !== -1) return split(trimmed.slice(2, end), trimmed.slice(end + 2));
  }
  const legacy = line.indexOf('##[');
  const close = line.indexOf(']', legacy);
  return legacy !== -1 && close !== -1 ? split(line.slice(legacy + 3, close), line.slice(close + 1)) : undefined;
}

function split(info: string, data: string): Command {
  const space = info.indexOf(' ');
  return space === -1 ? { name: info, properties: '', data } : { name: info.slice(0, space), properties: info.slice(space + 1), data };
}

let github: FakeGitHub;
let dir: string;

beforeAll(async () => {
  github = await FakeGitHub.start();
  dir = mkdtempSync(path.join(os.tmpdir(), 'preflight-hostile-'));
});

afterAll(async () => {
  await github.close();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  process.env = { ...ENV };
});

/** The environment a runner gives the action's step on a pull request, with its files in `dir`. */
function setRunnerEnv(inputs: Record<string, string>): Record<'output' | 'summary' | 'state', string> {
  const files = { output: path.join(dir, 'output'), summary: path.join(dir, 'summary'), state: path.join(dir, 'state') };
  for (const file of Object.values(files)) writeFileSync(file, '');
  const event = path.join(dir, 'event.json');
  writeFileSync(event, JSON.stringify({ number: PULL, pull_request: { number: PULL, head: { repo: { full_name: REPOSITORY } } } }));
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_') || key.startsWith('GITHUB_') || key.startsWith('STATE_')) delete process.env[key];
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
  Object.assign(process.env, {
    GITHUB_WORKSPACE: ROOT,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_STATE: files.state,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: event,
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '4242',
  });
  return files;
}

/** One run of the action's entry point, as the runner starts it, with everything it writes to stdout. */
async function runAction(): Promise<string> {
  const chunks: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    await jest.isolateModulesAsync(async () => {
      // Loaded before the action loads them itself: `@actions/github` reads the environment when first imported.
      await Promise.all([import('@actions/github'), import('../../src/github/comment.js')]);
      const { run } = await import('../../src/main.js');
      await run();
    });
  } finally {
    process.stdout.write = write;
    // The failed gate set it; the test runner's own exit code is not the action's.
    process.exitCode = undefined;
  }
  return chunks.join('');
}

/** What would render in GitHub-flavoured Markdown from the server: an image, a link, an autolink or HTML. */
function renderable(markdown: string): string[] {
  const ours = markdown.replace(/\[(?:Workflow run|workflow run)\]\(https:\/\/github\.com\/[^)]*\)/g, '');
  return [...ours.matchAll(/!\[|(?<!\\)\]\(|<(?:img|script|a)\b|(?<!\\)https?:\/\/127/gi)].map((m) => m[0]);
}

describe('a hostile server cannot turn the gate against its user', () => {
  it('runs none of its output as commands, renders none of its text, and passes on no credential in any form', async () => {
    const port = await freePort();
    const tag = uniqueTag('hostile-output-action');
    const token = `tok${randomish(37, 21)}`;
    const apiKey = `key${randomish(29, 22)}`;
    const sarif = path.join(dir, 'report.sarif');
    const files = setRunnerEnv({
      start: fixtureCommand('hostile-output.mjs', tag, port),
      url: `http://127.0.0.1:${port}/mcp?api_key=${apiKey}`,
      header: `Authorization: Bearer ${token}`,
      report: path.join(dir, 'report.json'),
      sarif,
      junit: path.join(dir, 'junit.xml'),
      comment: 'always',
      'github-token': 'ghs_fake',
      'startup-timeout': '30',
    });
    const stdout = await runAction();
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'));

    // The server's output reached the log, and the echoes happened: there was something to neutralise.
    expect(stdout).toContain('::warning::pwned');
    expect(stdout).toContain('::stop-commands::abc');
    expect(report.logs.flatMap((l: { stderr: string[] }) => l.stderr).some((line: string) => line.startsWith('POST /mcp authorization=***'))).toBe(true);

    // Commands: only the gate's own ran, and the gate's annotations after the server's output still did.
    const { run, stoppedAtEnd } = runnerCommands(stdout);
    expect(stoppedAtEnd).toBe(false);
    const names = new Set(run.map((c) => c.name));
    expect([...names].filter((name) => !['add-mask', 'group', 'endgroup', 'error', 'warning', 'notice', 'debug'].includes(name))).toEqual([]);
    expect(
      run.filter((c) => ['error', 'warning', 'notice'].includes(c.name)).every((c) => /^title=[a-z]+\.[a-z-]+(,|$)|^title=\d+ more /.test(c.properties)),
    ).toBe(true);
    expect(run.filter((c) => c.name === 'add-mask').map((c) => c.data)).not.toContain('x');
    expect(run.some((c) => c.properties.startsWith('title=tools.name'))).toBe(true);
    expect(run.map((c) => c.data)).not.toEqual(expect.arrayContaining(['pwned', 'y', 'indented', 'anywhere in the line', 'after a bare CR']));

    // The terminal: escapes shown, never sent.
    expect(stdout).toContain('\\x1b[2J\\x1b[Hscreen cleared');
    expect(stdout).toContain('\\x1b]8;;http://127.0.0.1:9/phish\\x07a link');
    expect(stdout).toContain('before\\x0d::warning::after a bare CR');
    expect(stdout).toContain('a C1 CSI \\x9b31m');
    // eslint-disable-next-line no-control-regex -- the point: no control character other than LF reaches the log.
    expect(stdout.match(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g)).toBeNull();

    // The job summary and the pull-request comment: the server's image, links and HTML are text.
    const summary = readFileSync(files.summary, 'utf8');
    const [comment] = github.commentsOn(`${REPOSITORY}#${PULL}`);
    expect(comment).toBeDefined();
    for (const markdown of [summary, comment.body]) {
      expect(markdown).toContain('tools.name');
      expect(markdown).toContain('!\\[x\\](http\\://127.0.0.1:9/pixel.png)');
      expect(markdown).toContain('&lt;img src=http\\://127.0.0.1:9/pixel.png&gt;');
      expect(renderable(markdown)).toEqual([]);
    }

    // SARIF: no embedded link from the server; annotations: plain text with visible escapes.
    const results = JSON.parse(readFileSync(sarif, 'utf8')).runs[0].results as { message: { text: string } }[];
    const nameResult = results.find((r) => r.message.text.includes(PIXEL));
    expect(nameResult?.message.text).toContain(`!\\[x\\](${PIXEL})`);
    expect(results.map((r) => r.message.text).filter((text) => /(?<!\\)[[\]]/.test(text))).toEqual([]);

    // Credentials: the token, the API key and every encoded form of them are in no output.
    const forms = [token, apiKey, `Bearer ${token}`, `k:${apiKey}`].flatMap((secret) => [
      secret,
      encodeURIComponent(secret),
      ...[0, 1, 2].map((offset) =>
        Buffer.from(`${'ab'.slice(0, offset)}${secret}`)
          .toString('base64')
          .slice(4),
      ),
    ]);
    const outputs: Record<string, string> = {
      stdout: stdout
        .split('\n')
        .filter((line) => !line.startsWith('::add-mask::'))
        .join('\n'),
      summary,
      comment: comment.body,
      outputs: readFileSync(files.output, 'utf8'),
      report: readFileSync(path.join(dir, 'report.json'), 'utf8'),
      sarif: readFileSync(sarif, 'utf8'),
      junit: readFileSync(path.join(dir, 'junit.xml'), 'utf8'),
    };
    const leaks = Object.entries(outputs).flatMap(([name, text]) => forms.filter((form) => text.includes(form.slice(0, 12))).map((form) => `${name}: ${form}`));
    expect(leaks).toEqual([]);
    expect(report.target.url).toBe(`http://127.0.0.1:${port}/mcp?api_key=***`);
    expect(processesMatching(tag)).toEqual([]);
  });

  it("the CLI in a workflow step writes the server's output where the runner runs none of it", async () => {
    const port = await freePort();
    const tag = uniqueTag('hostile-output-cli');
    process.env.GITHUB_ACTIONS = 'true';
    const printed: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(text));
    let code: number | undefined;
    try {
      const { main } = await import('../../src/command-line.js');
      code = await main(['--start', fixtureCommand('hostile-output.mjs', tag, port), '--url', `http://127.0.0.1:${port}/mcp`, '--startup-timeout', '30']);
    } finally {
      log.mockRestore();
    }
    const stdout = printed.join('\n');
    expect(code).toBe(0);
    expect(stdout).toContain('::warning::pwned');
    const { run, stoppedAtEnd } = runnerCommands(stdout);
    expect(run).toEqual([]);
    expect(stoppedAtEnd).toBe(false);
    expect(stdout).toContain('\\x1b[2J');
    expect(processesMatching(tag)).toEqual([]);
  });
});
