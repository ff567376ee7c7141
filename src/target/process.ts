import { AsyncLocalStorage } from 'node:async_hooks';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { LineBuffer } from '../util/line-buffer.js';
import type { Masker } from '../util/masker.js';
import { sleep, withinDeadline } from '../util/time.js';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be spawned at all (e.g. the shell itself is missing). */
  spawnError?: NodeJS.ErrnoException;
  atMs: number;
}

export interface LaunchOptions {
  /** Human name for logs and findings: "server", "deploy", "teardown". */
  role: string;
  /** What logs and findings show; run through the shell unless `argv` is given. */
  commandLine: string;
  /**
   * A program and its arguments, run without a shell, as MCP clients run a configuration entry's
   * `command` and `args`; `commandLine` is then only its display.
   */
  argv?: readonly string[];
  /** Variables set on top of the environment the child would get, as a configuration entry's `env`. */
  env?: Readonly<Record<string, string>>;
  cwd: string;
  masker: Masker;
  /** The stdio server's stdout is the protocol channel, so the caller reads it instead of the log. */
  stdoutIsProtocol?: boolean;
}

export const GRACE_MS = 3000;
/**
 * Every process a run starts carries this variable (as the GitHub runner's own RUNNER_TRACKING_ID), and
 * its children inherit it: a daemon that left the process group and the session is still found by it.
 */
export const RUN_MARKER = 'MCP_PREFLIGHT_RUN_ID';
/**
 * Every process started for one server of a many-server run carries this variable too: that server's
 * cleanup ends what it started, daemons included, and never a process of a server still being verified.
 */
export const SCOPE_MARKER = 'MCP_PREFLIGHT_SCOPE_ID';
/** A marked process that survives SIGKILL is one forked meanwhile: looked for again, a few times. */
const KILL_ROUNDS = 5;
const KILL_SETTLE_MS = 200;
/** A group usually ends within milliseconds of SIGTERM; the first looks come soon, later ones back off. */
const GROUP_POLL_FIRST_MS = 5;
const GROUP_POLL_MAX_MS = 50;
/** A second signal to the gate: the grace periods under way end at once, and the kill follows. */
class Hurry {
  hurried = false;
  private resolve: () => void = () => undefined;
  readonly settled = new Promise<void>((resolve) => (this.resolve = resolve));

  now(): void {
    this.hurried = true;
    this.resolve();
  }
}

const NEVER = new Hurry();
/** SIGHUP (a closed terminal, a lost runner connection) ends the gate as surely as SIGINT and SIGTERM. */
const ENDING_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** The grace the run's processes get when the gate itself is being ended. */
const SIGNAL_GRACE_MS = 1000;

/**
 * A command run through the shell in a process group of its own.
 *
 * Users write commands as they would in a workflow's `run:` (quotes, `VAR=value` prefixes, `&&`), so the
 * shell parses them. A server from a client's configuration file is given as `argv` instead and runs
 * without a shell, as that client runs it. The group lets the gate end the shell and everything it started together; no run may
 * leave a server behind.
 */
export class ManagedProcess {
  readonly stdout = new LineBuffer();
  readonly stderr = new LineBuffer();
  readonly exited: Promise<ExitInfo>;
  readonly startedAt = performance.now();
  /** The server of a many-server run this process was started for, if any. */
  readonly scope = supervisor.currentScope();
  private exitInfo?: ExitInfo;
  private readonly child: ChildProcess;
  private killedHard = false;

  constructor(readonly options: LaunchOptions) {
    const [program, ...args] = options.argv ?? shellFor(options.commandLine);
    this.child = spawn(program, args, {
      cwd: options.cwd,
      env: environmentForChild(options.env, this.scope),
      detached: process.platform !== 'win32',
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.stderr.push(chunk));
    if (!options.stdoutIsProtocol) {
      this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.stdout.push(chunk));
    }
    this.exited = new Promise((resolve) => {
      const finish = (info: Omit<ExitInfo, 'atMs'>) => {
        if (this.exitInfo) return;
        this.stdout.end();
        this.stderr.end();
        this.exitInfo = { ...info, atMs: performance.now() };
        supervisor.forget(this);
        resolve(this.exitInfo);
      };
      this.child.once('error', (error: NodeJS.ErrnoException) => finish({ code: null, signal: null, spawnError: error }));
      this.child.once('exit', (code, signal) => finish({ code, signal }));
    });
    // A server that stops reading stdin must not crash the gate with EPIPE.
    this.child.stdin?.on('error', () => undefined);
    supervisor.track(this);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get stdin(): Writable | null {
    return this.child.stdin;
  }

  get protocolOutput(): Readable | null {
    return this.child.stdout;
  }

  /** The exit, if it has happened. */
  get exit(): ExitInfo | undefined {
    return this.exitInfo;
  }

  get neededKill(): boolean {
    return this.killedHard;
  }

  stderrTail(count: number): string[] {
    return this.stderr.tail(count).map((line) => this.options.masker.mask(line));
  }

  stdoutTail(count: number): string[] {
    return this.stdout.tail(count).map((line) => this.options.masker.mask(line));
  }

  /**
   * Ends the whole group: SIGTERM, then SIGKILL for whatever is still there after the grace period, or
   * as soon as `hurry` settles (a second signal to the gate).
   */
  async stop(graceMs = GRACE_MS, hurry = NEVER): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined) return;
    if (process.platform === 'win32') {
      if (!this.exitInfo) spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
      await withinDeadline(this.exited, graceMs);
      return;
    }
    const deadline = performance.now() + graceMs;
    signalGroup(pid, 'SIGTERM');
    // The leader's exit is an event; whatever else it started in the group can only be looked for after.
    await withinDeadline(hurry === NEVER ? this.exited : Promise.race([this.exited, hurry.settled]), graceMs);
    await untilGone(() => groupAlive(pid), deadline - performance.now(), hurry);
    if (groupAlive(pid)) {
      this.killedHard = true;
      signalGroup(pid, 'SIGKILL');
    }
    await withinDeadline(this.exited, graceMs);
    this.child.stdin?.destroy();
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
  }
}

/** The processes started for one server of a many-server run, and the marker value they carry. */
export interface Scope {
  readonly id: string;
  readonly live: Set<ManagedProcess>;
}

/** Every group the gate has started and not yet seen end, so that any exit path can end them all. */
class Supervisor {
  /** This run's marker value: random, so the gate never ends what another run (or its own parent) started. */
  readonly runId = randomBytes(12).toString('hex');
  private readonly live = new Set<ManagedProcess>();
  /** Follows each server's work through its awaits, so a process knows whose it is without being told. */
  private readonly scopes = new AsyncLocalStorage<Scope>();
  private scopeCount = 0;
  private ending = false;
  private readonly listeners: ((pids: number[]) => void)[] = [];
  private readonly hurried = new Hurry();

  /**
   * Runs `work` as one server of a many-server run: every process it starts, however deep in the
   * engine, belongs to its scope, and `stopScope` within it ends those only.
   */
  withinScope<T>(work: () => Promise<T>): Promise<T> {
    this.scopeCount += 1;
    return this.scopes.run({ id: `${this.runId}-${this.scopeCount}`, live: new Set() }, work);
  }

  currentScope(): Scope | undefined {
    return this.scopes.getStore();
  }

  track(process: ManagedProcess): void {
    this.live.add(process);
    process.scope?.live.add(process);
    this.notify();
    // Whatever the run still starts while the gate is being ended would otherwise outlive it.
    if (this.ending) void process.stop(0);
  }

  /** Once a signal is being handled, the run's own end must not exit the gate before every process is ended. */
  get endingOnSignal(): boolean {
    return this.ending;
  }

  forget(process: ManagedProcess): void {
    this.live.delete(process);
    process.scope?.live.delete(process);
  }

  /** Called with the current group ids whenever one is started, so the action can save them for `post`. */
  onChange(listener: (pids: number[]) => void): void {
    this.listeners.push(listener);
  }

  groupIds(): number[] {
    return [...this.live].map((p) => p.pid).filter((pid): pid is number => pid !== undefined);
  }

  /** Ends every group the run started and every process carrying the run's marker, wherever it went. */
  async stopAll(graceMs = GRACE_MS): Promise<void> {
    await Promise.all([...[...this.live].map((p) => p.stop(graceMs, this.hurried)), endMarkedProcesses(this.runId, graceMs, this.hurried)]);
  }

  /**
   * The end of one run of the engine: within a scope, the processes of that server only (the others of a
   * many-server run are still being verified); outside one, every process of the run.
   */
  async stopScope(graceMs = GRACE_MS): Promise<void> {
    const scope = this.scopes.getStore();
    if (!scope) return this.stopAll(graceMs);
    await Promise.all([...[...scope.live].map((p) => p.stop(graceMs, this.hurried)), endMarkedProcesses(scope.id, graceMs, this.hurried, SCOPE_MARKER)]);
  }

  /**
   * Ends every process of the run, then the gate, on SIGINT, SIGTERM or SIGHUP. The handlers stay: a
   * second signal (an impatient Ctrl-C, a runner that cancels twice) cuts the grace short and goes on to
   * SIGKILL, where the default action would kill the gate before it had ended anything.
   */
  endRunOnSignals(onSignal: (signal: NodeJS.Signals) => void, exitCode: (signal: NodeJS.Signals) => number): void {
    for (const signal of ENDING_SIGNALS) {
      process.on(signal, () => {
        if (this.ending) {
          this.hurried.now();
          return;
        }
        this.ending = true;
        onSignal(signal);
        void this.stopAll(SIGNAL_GRACE_MS).finally(() => process.exit(exitCode(signal)));
      });
    }
  }

  private notify(): void {
    const pids = this.groupIds();
    for (const listener of this.listeners) listener(pids);
  }
}

export const supervisor = new Supervisor();

/** The safety net of the `post` step: ends groups recorded by a `main` step that did not get to. */
export async function endGroups(pids: number[], graceMs = GRACE_MS): Promise<number[]> {
  const ended = pids.filter(groupAlive);
  for (const pid of ended) signalGroup(pid, 'SIGTERM');
  await untilGone(() => ended.some(groupAlive), graceMs);
  for (const pid of ended.filter(groupAlive)) signalGroup(pid, 'SIGKILL');
  return ended;
}

/**
 * The safety net for daemons: ends every process whose environment carries the run's marker (SIGTERM,
 * the grace period, then SIGKILL), even one that left the process group and the session. Linux only,
 * where /proc shows each process's environment; elsewhere the process groups are all there is.
 * Returns the processes it found.
 */
export async function endMarkedProcesses(runId: string, graceMs = GRACE_MS, hurry = NEVER, marker = RUN_MARKER): Promise<number[]> {
  const found = findMarkedProcesses(runId, marker);
  if (!found.length) return [];
  for (const pid of found) signalProcess(pid, 'SIGTERM');
  await untilGone(() => findMarkedProcesses(runId, marker).length > 0, graceMs, hurry);
  for (let round = 0; round < KILL_ROUNDS; round++) {
    const left = findMarkedProcesses(runId, marker);
    if (!left.length) break;
    for (const pid of left) signalProcess(pid, 'SIGKILL');
    await untilGone(() => findMarkedProcesses(runId, marker).length > 0, KILL_SETTLE_MS);
  }
  return found;
}

/** Processes other than the gate whose environment holds `RUN_MARKER=runId` (or `marker`); a zombie's environment reads empty. */
export function findMarkedProcesses(runId: string, marker = RUN_MARKER): number[] {
  if (process.platform !== 'linux') return [];
  const needle = Buffer.from(`${marker}=${runId}\0`);
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const environment = readEnvironment(pid);
    const at = environment?.indexOf(needle) ?? -1;
    if (at === 0 || (at > 0 && environment?.[at - 1] === 0)) found.push(pid);
  }
  return found;
}

function readEnvironment(pid: number): Buffer | undefined {
  try {
    return readFileSync(`/proc/${pid}/environ`);
  } catch {
    // Gone meanwhile, or another user's process: not one of the run's.
    return undefined;
  }
}

/** Processes and groups cannot be awaited, only looked at; bounded by `graceMs`, cut short by `hurry`. */
async function untilGone(alive: () => boolean, graceMs: number, hurry = NEVER): Promise<void> {
  const deadline = performance.now() + graceMs;
  for (let pause = GROUP_POLL_FIRST_MS; !hurry.hurried && alive() && performance.now() < deadline; pause = Math.min(pause * 2, GROUP_POLL_MAX_MS)) {
    await sleep(Math.min(pause, Math.max(1, deadline - performance.now())));
  }
}

export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  signalProcess(-pid, signal);
}

function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // ESRCH: already gone, which is what we want.
  }
}

function shellFor(commandLine: string): string[] {
  if (process.platform === 'win32') return [process.env.ComSpec ?? 'cmd.exe', '/d', '/s', '/c', commandLine];
  // Workflow `run:` steps use `bash --noprofile --norc`; commands copied from them should behave the same.
  // Without --norc, bash sources ~/.bashrc when stdin is a socket (as node's pipes are) and SHLVL is
  // unset, and a .bashrc can print to stdout, the protocol channel, or wait for a terminal.
  if (!existsSync('/bin/bash')) return ['/bin/sh', '-c', commandLine];
  return ['/bin/bash', '--noprofile', '--norc', '-c', commandLine];
}

/**
 * The server sees the environment a `run:` step would see: the action's own inputs (which may hold
 * credentials) and the runner's internal tokens are not handed to code under test.
 */
function environmentForChild(extra: Readonly<Record<string, string>> = {}, scope?: Scope): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('INPUT_') || key.startsWith('STATE_') || RUNNER_INTERNAL.has(key)) continue;
    env[key] = value;
  }
  Object.assign(env, extra);
  env[RUN_MARKER] = supervisor.runId;
  if (scope) env[SCOPE_MARKER] = scope.id;
  else delete env[SCOPE_MARKER];
  return env;
}

const RUNNER_INTERNAL = new Set([
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RUNTIME_URL',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'ACTIONS_CACHE_URL',
  'ACTIONS_RESULTS_URL',
]);
