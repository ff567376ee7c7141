import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { groupAlive } from '../../src/target/process.js';
import { everythingCommand, fixtureCommand, freePort, processesMatching, ROOT, uniqueTag } from '../helpers/servers.js';

const BUNDLE = path.join(ROOT, 'dist/index.js');

interface RunnerFiles {
  dir: string;
  output: string;
  summary: string;
  state: string;
}

/** The files a runner hands a JavaScript action, in a fresh temporary directory. */
function runnerFiles(): RunnerFiles {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'preflight-runner-'));
  const files = { dir, output: path.join(dir, 'output'), summary: path.join(dir, 'summary'), state: path.join(dir, 'state') };
  for (const file of [files.output, files.summary, files.state]) writeFileSync(file, '');
  return files;
}

/** The environment the runner builds: inputs as INPUT_<NAME>, file commands, the workspace. */
function actionEnv(inputs: Record<string, string>, files: RunnerFiles, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_WORKSPACE: ROOT };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  return { ...env, GITHUB_OUTPUT: files.output, GITHUB_STEP_SUMMARY: files.summary, GITHUB_STATE: files.state, ...extra };
}

function startBundle(env: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string }> } {
  const child = spawn(process.execPath, [BUNDLE], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.resume();
  const done = new Promise<{ code: number | null; stdout: string }>((resolve) => child.once('exit', (code) => resolve({ code, stdout })));
  return { child, done };
}

/** Parses the `name<<delimiter` blocks the toolkit writes to GITHUB_OUTPUT and GITHUB_STATE. */
function readFileCommands(file: string): Record<string, string> {
  const values: Record<string, string> = {};
  const pattern = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const match of readFileSync(file, 'utf8').matchAll(pattern)) values[match[1]] = match[3];
  return values;
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(() => {
  if (!existsSync(BUNDLE)) throw new Error('dist/index.js is missing: run `npm run bundle` before the tests');
});

describe('dist/index.js run as the runner runs it', () => {
  it('verifies server-everything over stdio and writes outputs and the job summary', async () => {
    const files = runnerFiles();
    const tag = uniqueTag('bundle-everything');
    const { done } = startBundle(actionEnv({ command: everythingCommand('stdio', tag), report: path.join(files.dir, 'report.json') }, files));
    const { code, stdout } = await done;
    expect(code).toBe(0);
    expect(stdout).not.toContain('::error');
    const outputs = readFileCommands(files.output);
    expect(outputs).toMatchObject({ result: 'pass', errors: '0', 'protocol-version': '2025-11-25', 'server-name': 'mcp-servers/everything' });
    expect(Number(outputs.tools)).toBeGreaterThan(5);
    const report = JSON.parse(readFileSync(outputs.report, 'utf8'));
    expect(report).toMatchObject({ verdict: 'pass', target: { transport: 'stdio' }, tool: { name: 'mcp-preflight' } });
    const summary = readFileSync(files.summary, 'utf8');
    expect(summary).toContain('MCP preflight: PASS');
    expect(summary).toContain('| Protocol version | 2025-11-25 |');
    expect(summary).toContain('`tools.list`');
  });

  it('fails the step with an ::error annotation naming the cause when the server crashes', async () => {
    const files = runnerFiles();
    const workflow = { GITHUB_WORKFLOW_REF: 'owner/mcp-preflight/.github/workflows/ci.yml@refs/heads/main', GITHUB_JOB: 'preflight' };
    const tag = uniqueTag('bundle-exits-at-start');
    const { done } = startBundle(actionEnv({ command: fixtureCommand('exits-at-start.mjs', tag) }, files, workflow));
    const { code, stdout } = await done;
    expect(code).toBe(1);
    // A finding about the server as a whole points at the workflow step that runs the gate.
    const usesLine =
      readFileSync(path.join(ROOT, '.github/workflows/ci.yml'), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('uses: ./')) + 1;
    expect(stdout).toMatch(
      new RegExp(`^::error title=launch\\.exited,file=\\.github/workflows/ci\\.yml,line=${usesLine},endLine=${usesLine}::The server exited with code 1`, 'm'),
    );
    expect(stdout).toMatch(/^::error::1 error: launch\.exited: /m);
    expect(readFileCommands(files.output)).toMatchObject({ result: 'fail', errors: '1', 'protocol-version': '' });
    expect(readFileSync(files.summary, 'utf8')).toContain('catalogue.db is corrupt');
  });

  it('exits before running anything when an input is invalid, naming the input', async () => {
    const files = runnerFiles();
    const marker = path.join(files.dir, 'server-ran');
    const { done } = startBundle(actionEnv({ command: `touch ${marker}`, 'fail-on': 'sometimes' }, files));
    const { code, stdout } = await done;
    expect(code).toBe(1);
    expect(stdout).toContain('::error::Invalid input "fail-on": got "sometimes"; accepted values are error, warning, never');
    expect(existsSync(marker)).toBe(false);
  });

  it('ends the server group on cancellation, and the post step ends what a killed main step left', async () => {
    const port = await freePort();
    const tag = uniqueTag('bundle-cancelled');
    const files = runnerFiles();
    const inputs = {
      start: fixtureCommand('health-never-ready.mjs', tag, port),
      url: `http://127.0.0.1:${port}/mcp`,
      'health-url': `http://127.0.0.1:${port}/health`,
      'startup-timeout': '120',
    };

    const cancelled = startBundle(actionEnv(inputs, files));
    await waitFor(() => /processGroups<<\S+\n\[\d+/.test(readFileSync(files.state, 'utf8')), 10_000);
    cancelled.child.kill('SIGINT');
    await cancelled.done;
    expect(processesMatching(tag)).toEqual([]);

    const crashedFiles = runnerFiles();
    const crashed = startBundle(actionEnv(inputs, crashedFiles));
    await waitFor(() => /processGroups<<\S+\n\[\d+/.test(readFileSync(crashedFiles.state, 'utf8')), 10_000);
    crashed.child.kill('SIGKILL');
    await crashed.done;
    const groups = JSON.parse(readFileCommands(crashedFiles.state).processGroups) as number[];
    expect(groups.some(groupAlive)).toBe(true);

    const state = Object.fromEntries(Object.entries(readFileCommands(crashedFiles.state)).map(([k, v]) => [`STATE_${k}`, v]));
    const post = startBundle(actionEnv(inputs, runnerFiles(), state));
    const { code, stdout } = await post.done;
    expect(code).toBe(0);
    expect(stdout).toContain('::warning::Ended 1 process group(s) the main step left running');
    expect(groups.some(groupAlive)).toBe(false);
    expect(processesMatching(tag)).toEqual([]);
  });
});
