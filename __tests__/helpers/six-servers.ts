// A Claude Desktop configuration of six real servers, for the many-server tests and the benchmark: four
// started over stdio as Claude Desktop starts them (command + args, no shell), two reached over HTTP.
// Two are broken differently: one lacks the key its entry does not set, one crashes at start.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort, ROOT } from './servers.js';

const LISTEN_TIMEOUT_MS = 30_000;

/** The six entries, in the file's order, with the verdict and the root cause each must get. */
export const SIX_SERVERS = [
  { name: 'everything', transport: 'stdio', verdict: 'pass' },
  { name: 'healthy', transport: 'stdio', verdict: 'pass' },
  { name: 'weather', transport: 'stdio', verdict: 'fail', cause: 'config.missing-env' },
  { name: 'catalogue', transport: 'stdio', verdict: 'fail', cause: 'launch.exited' },
  { name: 'everything-http', transport: 'streamable-http', verdict: 'pass' },
  { name: 'legacy', transport: 'sse', verdict: 'pass' },
] as const;

export interface SixServers {
  file: string;
  /** A marker on the command line of every server the gate starts (the stdio ones): none may be left after a run. */
  tag: string;
  stop(): Promise<void>;
}

/**
 * Starts the two HTTP servers (the entries only name their URLs, as a client's do) and writes the file into
 * `directory`. `root` is the repository: the benchmark runs compiled in build/, below it.
 */
export async function startSixServers(directory: string, tag: string, root = ROOT): Promise<SixServers> {
  const EVERYTHING = path.join(root, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
  const FIXTURES = path.join(root, '__tests__/fixtures/servers');
  const LOOPBACK_PRELOAD = path.join(root, '__tests__/helpers/loopback-only.mjs');
  const startHttp = (args: string[], port: number): ChildProcess =>
    // A group of its own, so stopping it ends whatever it started too.
    spawn(process.execPath, ['--import', LOOPBACK_PRELOAD, ...args], {
      cwd: root,
      env: { ...process.env, PORT: String(port) },
      detached: true,
      stdio: 'ignore',
    });
  const [httpPort, ssePort] = [await freePort(), await freePort()];
  const http = [startHttp([EVERYTHING, 'streamableHttp'], httpPort), startHttp([path.join(FIXTURES, 'legacy-sse.mjs')], ssePort)];
  const stop = async () => {
    await Promise.all(http.map(stopGroup));
  };
  try {
    await Promise.all([untilListening(httpPort, http[0]), untilListening(ssePort, http[1])]);
  } catch (error) {
    await stop();
    throw error;
  }
  const node = (script: string, ...args: string[]) => ({ command: process.execPath, args: ['--import', LOOPBACK_PRELOAD, script, ...args, tag] });
  const config = {
    mcpServers: {
      everything: node(EVERYTHING, 'stdio'),
      healthy: node(path.join(FIXTURES, 'healthy.mjs')),
      weather: { ...node(path.join(FIXTURES, 'missing-api-key.mjs')), env: { UNITS: 'metric' } },
      catalogue: node(path.join(FIXTURES, 'exits-at-start.mjs')),
      'everything-http': { type: 'http', url: `http://127.0.0.1:${httpPort}/mcp` },
      legacy: { type: 'sse', url: `http://127.0.0.1:${ssePort}/sse` },
    },
  };
  const file = path.join(directory, 'claude_desktop_config.json');
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return { file, tag, stop };
}

async function untilListening(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + LISTEN_TIMEOUT_MS;
  while (!(await accepts(port))) {
    if (child.exitCode !== null) throw new Error(`the HTTP server for port ${port} exited with ${child.exitCode} before listening`);
    if (Date.now() > deadline) throw new Error(`nothing listened on 127.0.0.1:${port} within ${LISTEN_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), name);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
