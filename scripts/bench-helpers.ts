import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sleep, withinDeadline } from '../src/util/time.js';

// Compiled to build/scripts/, two levels below the repository root.
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const EVERYTHING = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
export const LOOPBACK_PRELOAD = path.join(ROOT, '__tests__/helpers/loopback-only.mjs');

const POLL_MS = 50;
const STOP_GRACE_MS = 3000;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

/** Rejects with `what` named once `ms` have passed, so no step of the benchmark can hang it. */
export async function bounded<T>(what: string, promise: Promise<T>, ms: number): Promise<T> {
  const outcome = await withinDeadline(
    promise.then((value) => ({ value })),
    ms,
  );
  if (!outcome) throw new Error(`${what} did not finish within ${ms} ms`);
  return outcome.value;
}

export { freePort } from '../__tests__/helpers/servers.js';

export const CORPUS = path.join(ROOT, '.corpus');
/** Written by corpus/install.mjs once the install is complete. */
export const CORPUS_INSTALLED = path.join(CORPUS, 'node_modules/.corpus-installed');

/** The values of a corpus target's placeholders (see __tests__/corpus/targets.ts) for one server. */
export interface CorpusValues {
  port: string;
  upstream: string;
  scratch: string;
}

const shellWords = (words: string[]) => words.map((word) => JSON.stringify(word)).join(' ');

/** Fills a corpus command line as the corpus test does: `{bin:NAME}` is node with the loopback preload. */
export function fillCorpusLine(text: string, values: CorpusValues): string {
  return text
    .replace(/\{bin:([^}]+)\}/g, (_, name: string) => shellWords(['node', '--import', LOOPBACK_PRELOAD, path.join(CORPUS, 'node_modules/.bin', name)]))
    .replace(/\{(port|upstream|scratch)\}/g, (_, key: keyof CorpusValues) => values[key]);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, timeout: 1000 });
    const finish = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
    socket.once('timeout', () => finish(false));
  });
}

/** A server process of its own, so one HTTP server (or database) serves every run being compared. */
export class HttpServer {
  private stderr = '';

  private constructor(
    readonly port: number,
    private readonly child: ChildProcess,
    private readonly name = 'the streamableHttp server',
  ) {
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr = (this.stderr + chunk).slice(-2000)));
  }

  static start(port: number): HttpServer {
    // Detached into its own group so a Ctrl-C aimed at the benchmark reaches the server only through stop().
    const child = spawn(process.execPath, ['--import', pathToFileURL(LOOPBACK_PRELOAD).href, EVERYTHING, 'streamableHttp'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port) },
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return new HttpServer(port, child);
  }

  /** A corpus target's upstream: a shell line, run from the repository root as the corpus test runs it. */
  static startLine(commandLine: string, port: number): HttpServer {
    const child = spawn('/bin/bash', ['--noprofile', '--norc', '-c', commandLine], { cwd: ROOT, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    return new HttpServer(port, child, `the upstream "${commandLine}"`);
  }

  get url(): URL {
    return new URL(`http://127.0.0.1:${this.port}/mcp`);
  }

  async waitUntilListening(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      if (this.child.exitCode !== null) {
        throw new Error(`${this.name} exited with code ${this.child.exitCode} before listening; stderr: ${this.stderr.trim()}`);
      }
      if (await accepts(this.port)) return;
      await sleep(POLL_MS);
    }
    throw new Error(`${this.name} did not accept connections on 127.0.0.1:${this.port} within ${timeoutMs} ms; stderr: ${this.stderr.trim()}`);
  }

  /**
   * Signals the whole group, even once its leader has exited: a shell's children (a database) may outlive
   * it. Returns whether any process of the group was there. Synchronous, for a signal handler that exits.
   */
  kill(signal: NodeJS.Signals | 0 = 'SIGKILL'): boolean {
    if (this.child.pid === undefined) return false;
    try {
      process.kill(-this.child.pid, signal);
      return true;
    } catch {
      // ESRCH: already gone.
      return false;
    }
  }

  async stop(): Promise<void> {
    const deadline = performance.now() + STOP_GRACE_MS;
    this.kill('SIGTERM');
    while (this.kill(0) && performance.now() < deadline) await sleep(POLL_MS);
    this.kill('SIGKILL');
  }
}

export interface ColdStart {
  ms: number;
  /** False when the process exited (or timed out) without printing a line: `ms` then ends at the exit. */
  printed: boolean;
  exitCode: number | null;
}

/**
 * Runner file commands and saved state are dropped too: with them the bundle would write into the
 * current job's files, or run as its `post` step.
 */
function environmentWithoutInputs(): NodeJS.ProcessEnv {
  const dropped = new Set(['GITHUB_STATE', 'GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY']);
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('INPUT_') && !key.startsWith('STATE_') && !dropped.has(key)));
}

/** From spawn to the first complete line on stdout. */
export function measureColdStart(script: string, timeoutMs: number): Promise<ColdStart> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [script], { cwd: ROOT, env: environmentWithoutInputs(), stdio: ['ignore', 'pipe', 'ignore'] });
    let firstLineMs: number | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      if (firstLineMs === undefined && chunk.includes('\n')) firstLineMs = performance.now() - started;
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      const printed = firstLineMs !== undefined;
      resolve({ ms: firstLineMs ?? performance.now() - started, printed, exitCode: code });
    });
  });
}
