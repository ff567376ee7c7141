/**
 * The v2 SDK fixture servers (`__tests__/fixtures/servers/v2/`): their catalogue, the command the gate
 * runs for each (stdio), or the start command and URL on a free loopback port (Streamable HTTP), and
 * the parameters a bare SDK client needs to start them itself.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { FIXTURES, freePort, ROOT, uniqueTag } from './servers.js';

export const V2_FIXTURES = path.join(FIXTURES, 'v2');
const LOOPBACK_PRELOAD = path.join(ROOT, '__tests__/helpers/loopback-only.mjs');

export type V2Transport = 'stdio' | 'http';

/** The good servers: which eras each speaks, and on which transport. */
export const V2_GOOD = {
  'dual-stdio': { transport: 'stdio', eras: ['legacy', 'modern'] },
  'dual-http': { transport: 'http', eras: ['legacy', 'modern'] },
  'modern-stdio': { transport: 'stdio', eras: ['modern'] },
  'modern-http': { transport: 'http', eras: ['modern'] },
  'exits-before-initialize': { transport: 'stdio', eras: ['legacy'] },
} as const satisfies Record<string, { transport: V2Transport; eras: readonly ('legacy' | 'modern')[] }>;
export type V2GoodServer = keyof typeof V2_GOOD;

/**
 * One violating fixture per modern check, keyed by the check id it violates (file `violates-<id>.mjs`,
 * or `violates-<id>-stdio.mjs` for the stdio half of modern.stateless). `good` is the good server the
 * check's passing test should use on the same transport. `faults` are the fixture's MISBEHAVE choices.
 */
export const V2_VIOLATORS = {
  'discover.response': { transport: 'stdio', good: 'dual-stdio', faults: ['no-cache-hints', 'no-server-info', 'empty-versions'] },
  'modern.unsupported-version': { transport: 'http', good: 'dual-http', faults: ['wrong-code', 'serve'] },
  'modern.result-type': { transport: 'stdio', good: 'dual-stdio', faults: [] },
  'modern.stateless': { transport: 'http', good: 'dual-http', faults: [] },
  'modern.stateless-stdio': { transport: 'stdio', good: 'dual-stdio', faults: [] },
  'modern.list-order': { transport: 'stdio', good: 'dual-stdio', faults: [] },
  'modern.cache-hints': { transport: 'stdio', good: 'dual-stdio', faults: [] },
  'modern.removed-methods': { transport: 'stdio', good: 'dual-stdio', faults: ['ping', 'set-level', 'log'] },
  'http.standard-headers': { transport: 'http', good: 'dual-http', faults: [] },
  'tools.param-headers': { transport: 'http', good: 'dual-http', faults: [] },
  'resources.not-found': { transport: 'stdio', good: 'dual-stdio', faults: ['legacy-code', 'success'] },
  'subscriptions.listen': { transport: 'stdio', good: 'dual-stdio', faults: ['method-not-found', 'silent'] },
  'lifecycle.legacy-rejected': { transport: 'stdio', good: 'modern-stdio', faults: [] },
  'dual.surface-mismatch': { transport: 'stdio', good: 'dual-stdio', faults: ['drop-tool', 'old-schema'] },
} as const satisfies Record<string, { transport: V2Transport; good: V2GoodServer; faults: readonly string[] }>;
export type V2Violation = keyof typeof V2_VIOLATORS;

/** A fixture: a good server's name, or `violates:<check id>`. */
export type V2Fixture = V2GoodServer | `violates:${V2Violation}`;

export function v2FixturePath(fixture: V2Fixture): string {
  const file = fixture.startsWith('violates:') ? `violates-${fixture.slice('violates:'.length)}.mjs` : `${fixture}.mjs`;
  return path.join(V2_FIXTURES, file);
}

export function v2Transport(fixture: V2Fixture): V2Transport {
  return fixture.startsWith('violates:')
    ? V2_VIOLATORS[fixture.slice('violates:'.length) as V2Violation].transport
    : V2_GOOD[fixture as V2GoodServer].transport;
}

/** Environment for a fixture: MISBEHAVE when faults are chosen (otherwise the fixture's defaults). */
function fixtureEnv(faults?: readonly string[], port?: number): Record<string, string> {
  return {
    ...(faults?.length ? { MISBEHAVE: faults.join(',') } : {}),
    ...(port ? { PORT: String(port) } : {}),
  };
}

function shellCommand(fixture: V2Fixture, env: Record<string, string>): string {
  const words = ['node', '--import', LOOPBACK_PRELOAD, v2FixturePath(fixture)].map((w) => JSON.stringify(w));
  const assignments = Object.entries(env).map(([name, value]) => `${name}=${JSON.stringify(value)}`);
  return [...assignments, ...words].join(' ');
}

/** The shell command the gate runs for a stdio fixture (`command` input / CLI argument). */
export function v2StdioCommand(fixture: V2Fixture, faults?: readonly string[]): string {
  if (v2Transport(fixture) !== 'stdio') throw new Error(`${fixture} is served over HTTP: use v2HttpCommand`);
  return shellCommand(fixture, fixtureEnv(faults));
}

/** For an HTTP fixture: the start command on a free loopback port, and the endpoint URL to check. */
export async function v2HttpCommand(fixture: V2Fixture, faults?: readonly string[]): Promise<{ command: string; url: string; health: string; port: number }> {
  if (v2Transport(fixture) !== 'http') throw new Error(`${fixture} is served over stdio: use v2StdioCommand`);
  const port = await freePort();
  return {
    command: shellCommand(fixture, fixtureEnv(faults, port)),
    url: `http://127.0.0.1:${port}/mcp`,
    health: `http://127.0.0.1:${port}/health`,
    port,
  };
}

/**
 * `StdioServerParameters` for the SDK's StdioClientTransport: node itself (no shell), the loopback
 * preload, and an environment of PATH and HOME only, plus MISBEHAVE.
 */
export function v2StdioParams(
  fixture: V2Fixture,
  faults?: readonly string[],
): { command: string; args: string[]; env: Record<string, string>; stderr: 'pipe' } {
  if (v2Transport(fixture) !== 'stdio') throw new Error(`${fixture} is served over HTTP`);
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...fixtureEnv(faults) };
  return { command: process.execPath, args: ['--import', LOOPBACK_PRELOAD, v2FixturePath(fixture)], env, stderr: 'pipe' };
}

export interface RunningHttpFixture {
  url: string;
  port: number;
  child: ChildProcess;
  /** The `uniqueTag` on the server's command line: `processesMatching(tag)` finds this server only. */
  tag: string;
  /** Ends the server (SIGTERM, then SIGKILL after `graceMs`) and resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts an HTTP fixture on a free loopback port and waits (at most `timeoutMs`) until GET /health
 * answers. The caller must `stop()` it.
 */
export async function startV2Http(fixture: V2Fixture, faults?: readonly string[], timeoutMs = 20_000): Promise<RunningHttpFixture> {
  if (v2Transport(fixture) !== 'http') throw new Error(`${fixture} is served over stdio`);
  const port = await freePort();
  const tag = uniqueTag(`v2-http-${fixture.replace(/[^a-z-]/g, '-')}`);
  const child = spawn(process.execPath, ['--import', LOOPBACK_PRELOAD, v2FixturePath(fixture), tag], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...fixtureEnv(faults, port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const stop = async (graceMs = 5_000): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${fixture} exited with ${child.exitCode} before it was ready: ${stderr}`);
    try {
      const answer = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1_000) });
      if (answer.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${fixture} was not ready on port ${port} within ${timeoutMs} ms: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url: `http://127.0.0.1:${port}/mcp`, port, child, tag, stop };
}

/**
 * A Python interpreter whose `mcp` package speaks 2026-07-28 (the Python SDK 2.3 and later): MCP_PYTHON,
 * or python3 on the PATH. Undefined when there is none, so the Python tests can be skipped.
 */
export function pythonWithModernMcp(): string | undefined {
  const python = process.env.MCP_PYTHON ?? 'python3';
  try {
    const version = execFileSync(python, ['-c', 'import mcp.types as t, mcp.server.mcpserver; print(t.LATEST_PROTOCOL_VERSION)'], {
      encoding: 'utf8',
      timeout: 20_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return version >= '2026-07-28' ? python : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Python dual-era fixture, tagged with a `uniqueTag` (the script ignores its arguments): its command
 * for the gate, and its StdioClientTransport parameters. Three test files run it, often at once, so a
 * leak check must look for the tag, never the script's name.
 */
export function v2PythonStdio(python: string, tag: string): { command: string; params: { command: string; args: string[]; env: Record<string, string> } } {
  const script = path.join(V2_FIXTURES, 'python-dual-stdio.py');
  return {
    command: [python, script, tag].map((w) => JSON.stringify(w)).join(' '),
    params: { command: python, args: [script, tag], env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' } },
  };
}
