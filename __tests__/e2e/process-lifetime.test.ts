// No process outlives a run: not a daemon that left the process group and the session, not after a
// SIGHUP or a second Ctrl-C to the gate, not when the main step was killed and only `post` remains.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findMarkedProcesses, supervisor } from '../../src/target/process.js';
import { fixtureWith, runGate, uniqueTag } from '../fixtures/gate.js';
import { processesMatching, ROOT } from '../helpers/servers.js';

const onLinux = process.platform === 'linux' ? describe : describe.skip;
/** The entry points compiled from these sources, as the runner and a shell run them. */
const BUILD = path.join(ROOT, 'build/process-lifetime');
const CLI = path.join(BUILD, 'src/cli.js');
const ACTION = path.join(BUILD, 'src/index.js');

interface Daemon {
  pid: number;
  runId: string;
}

/** The daemons the fixture's servers started, each with the run marker it inherited. */
function daemonsIn(record: string): Daemon[] {
  if (!existsSync(record)) return [];
  return readFileSync(record, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => ({ pid: Number(line.split(' ')[0]), runId: line.split(' ')[1] }));
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function start(entry: string, args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string }> } {
  const child = spawn(process.execPath, [entry, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.resume();
  return { child, done: new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout }))) };
}

/** Parses the `name<<delimiter` blocks the toolkit writes to GITHUB_STATE. */
function readState(file: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const match of readFileSync(file, 'utf8').matchAll(/^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) values[match[1]] = match[3];
  return values;
}

onLinux('processes started by a run', () => {
  let dir: string;
  let record: string;
  let tag: string;

  beforeAll(() => {
    const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
    const options = ['--outDir', BUILD, '--rootDir', ROOT, '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022'];
    execFileSync(
      process.execPath,
      [tsc, ...options, '--esModuleInterop', '--strict', '--skipLibCheck', '--resolveJsonModule', '--lib', 'ES2023,DOM', 'src/cli.ts', 'src/index.ts'],
      { cwd: ROOT },
    );
  }, 240_000);

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'preflight-lifetime-'));
    record = path.join(dir, 'daemons');
    tag = uniqueTag('daemons');
  });

  afterEach(() => {
    // A failed assertion must not leave the daemons running: they are found by the test's tag.
    for (const line of processesMatching(tag)) {
      try {
        process.kill(Number(line.split(/\s+/)[0]), 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  });

  function expectNoneLeft(daemons: Daemon[]): void {
    for (const runId of new Set(daemons.map((d) => d.runId))) expect(findMarkedProcesses(runId)).toEqual([]);
    expect(processesMatching(tag)).toEqual([]);
  }

  it('ends the daemons a server started in a process group and a session of their own', async () => {
    const { report } = await runGate({ command: fixtureWith('daemonizes.mjs', tag, { DAEMON_RECORD: record }) });
    expect(report.server?.name).toBe('daemonizing-fixture');
    const daemons = daemonsIn(record);
    // Two per server process: the gate's own and each version probe's copy.
    expect(daemons.length).toBeGreaterThanOrEqual(2);
    expect(new Set(daemons.map((d) => d.runId))).toEqual(new Set([supervisor.runId]));
    expectNoneLeft(daemons);
  });

  const hanging = () => ['--request-timeout', '120', '--command', fixtureWith('daemonizes.mjs', tag, { DAEMON_RECORD: record, DAEMON_HANG: 1 })];

  it('ends every process of the run when the gate gets SIGHUP', async () => {
    const gate = start(CLI, hanging(), process.env);
    await waitFor(() => daemonsIn(record).length >= 2, 60_000);
    gate.child.kill('SIGHUP');
    const { code } = await gate.done;
    expect(code).toBe(129);
    expectNoneLeft(daemonsIn(record));
  });

  it('ends every process of the run when a second SIGINT follows the first at once', async () => {
    const gate = start(CLI, hanging(), process.env);
    await waitFor(() => daemonsIn(record).length >= 2, 60_000);
    gate.child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 20));
    gate.child.kill('SIGINT');
    const { code } = await gate.done;
    expect(code).toBe(130);
    expectNoneLeft(daemonsIn(record));
  });

  it('lets the post step end the daemons of a main step that was killed outright', async () => {
    const state = path.join(dir, 'state');
    writeFileSync(state, '');
    const inputs = { INPUT_COMMAND: fixtureWith('daemonizes.mjs', tag, { DAEMON_RECORD: record, DAEMON_HANG: 1 }), 'INPUT_REQUEST-TIMEOUT': '120' };
    const runner = { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_WORKSPACE: ROOT, GITHUB_STATE: state, GITHUB_OUTPUT: path.join(dir, 'output') };
    const main = start(ACTION, [], { ...runner, ...inputs });
    await waitFor(() => daemonsIn(record).length >= 2, 60_000);
    main.child.kill('SIGKILL');
    await main.done;
    const daemons = daemonsIn(record);
    expect(findMarkedProcesses(daemons[0].runId).length).toBeGreaterThanOrEqual(2);

    const saved = Object.fromEntries(Object.entries(readState(state)).map(([name, value]) => [`STATE_${name}`, value]));
    const post = start(ACTION, [], { ...runner, ...inputs, ...saved, GITHUB_STATE: path.join(dir, 'post-state') });
    const { code, stdout } = await post.done;
    expect(code).toBe(0);
    expect(stdout).toMatch(/::warning::Ended \d+ process\(es\) the server left running outside its process group/);
    expectNoneLeft(daemons);
  });
});
